"""Hostile files at every upload entry point: refused with a sentence in Indonesian and
nothing kept, or, where the file is a valid one of its kind, stored and served so that no
browser runs what it carries. Never a server error.

Already covered elsewhere, and not repeated here: HTML, SVG and executables disguised as images
and documents, empty files and size limits of images and documents
(satupintu/media/tests/test_uploads.py); HTML as a dataset CSV and a dataset over its size limit
(satupintu/datacatalog/tests/test_admin.py); HTML as a report attachment and an attachment over
its limit (satupintu/reporting/tests/test_submitting.py); zip bombs, ratio bombs and entity XML
inside indexed documents (satupintu/search/tests/test_extract.py); DTDs (billion laughs, external
entities), size limits and path traversal of WordPress exports (satupintu/wordpress/tests/);
NUL bytes, binary and runaway fields in the registry import, a CSV read as a stream with no
size limit by design (satupintu/registry/tests/test_import.py).
"""

import csv
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from wagtail.documents import get_document_model

from satupintu.datacatalog.models import ResourceVersion
from satupintu.datacatalog.tests.test_admin import create_draft
from satupintu.datacatalog.tests.test_admin import upload as resource_upload
from satupintu.datacatalog.tests.test_admin import url as catalog_url
from satupintu.media.models import PortalImage
from satupintu.media.tests.test_uploads import PDF, add_document, add_image, upload
from satupintu.reporting.models import Attachment
from satupintu.reporting.tests.conftest import fill_url, report_type, valid_post  # noqa: F401

pytestmark = pytest.mark.django_db

Document = get_document_model()
SCRIPT_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>fetch('/akun/unduh/')</script><rect width='9' height='9'/></svg>\n"
)
PDF_HTML = PDF + b"<html><body><script>alert(document.domain)</script></body></html>\n"
TRAVERSAL_NAMES = ["../../../etc/cron.d/satupintu.pdf", "..\\..\\win.pdf", "lapor\x00an.pdf"]


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "#0b4f8a").save(buffer, format=kind)
    return buffer.getvalue()


# A GIF whose header doubles as the start of a JavaScript comment: valid as both.
GIF_JS = b"GIF89a/*" + _image("GIF")[8:] + b"*/=1;fetch('/akun/unduh/');"
JPEG_PHP = _image("JPEG") + b"<?php system($_GET['c']); ?>"


def files_under(root) -> set:
    found = set()
    for folder, _dirs, names in os.walk(root):
        found.update(os.path.join(folder, n) for n in names)
    return found


def nginx_media_headers() -> str:
    """The headers deploy/nginx gives to /media/, where original images are served from."""
    conf = Path(settings.BASE_DIR, "deploy", "nginx", "snippets", "satupintu-locations.conf")
    block = re.search(r"location /media/ \{(.*?)\}", conf.read_text(), re.S)
    assert block, "deploy/nginx no longer has a /media/ location"
    return block.group(1)


# --- images: valid pictures that carry a script or PHP ---------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("spanduk.gif", GIF_JS), ("foto.jpg", JPEG_PHP)],
    ids=["gif-js", "jpg-php"],
)
def test_image_polyglots_never_reach_a_page_and_are_served_inert(
    portal, client_for, name, content
):
    """Pillow reads these as pictures, so Wagtail keeps them; the payload stays in the original
    only. Pages show renditions, which Pillow re-encodes from the pixels, and nginx serves
    /media/ with nosniff and a sandbox policy, so neither file can run as a script."""
    operator = client_for(portal.operator_a)
    response = add_image(operator, file=upload(name, content, "image/gif"), title=name)
    assert response.status_code == 302
    image = PortalImage.objects.get(title=name)
    payload = content[-24:]
    for spec in ("fill-1200x630", "width-400", "max-165x165"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as stored:
            assert payload not in stored.read(), spec
    headers = nginx_media_headers()
    assert "X-Content-Type-Options nosniff" in headers
    assert "sandbox" in headers and "default-src 'none'" in headers


# --- documents: a PDF that is also an HTML page --------------------------------------------


def test_pdf_html_polyglot_document_is_served_as_an_inert_pdf(portal, client_for, client):
    """A PDF header makes it a PDF to the type sniffer; what matters is that no browser ever
    treats it as a page of the portal's origin."""
    from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage

    operator = client_for(portal.operator_a)
    assert add_document(operator, "laporan.pdf", PDF_HTML, title="Poliglot").status_code == 302
    document = Document.objects.get(title="Poliglot")
    page = PPIDDocumentPage(title="Poliglot", category="berkala", year=2026, document=document)
    PPIDIndexPage.objects.child_of(portal.a.home_page).get().add_child(instance=page)
    page.save_revision().publish()
    client.logout()
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"


# --- SVG with script at the entry points the media tests do not reach ------------------------


def test_svg_with_script_is_refused_as_a_dataset_file(portal, client):
    dataset = create_draft(client, portal)
    stored = files_under(storages["datacatalog_files"].location)
    response = client.post(
        catalog_url("add_resource", dataset.pk), resource_upload("peta.svg", SCRIPT_SVG)
    )
    assert response.status_code == 200
    assert "Jenis berkas .svg tidak diizinkan." in response.content.decode()
    assert not ResourceVersion.objects.filter(resource__dataset=dataset).exists()
    assert files_under(storages["datacatalog_files"].location) == stored


def test_svg_with_script_is_refused_as_a_report_attachment(portal, report_type, client_for):  # noqa: F811
    client = client_for(portal.operator_a)
    svg = SimpleUploadedFile("foto.svg", SCRIPT_SVG, "image/svg+xml")
    response = client.post(fill_url(report_type, portal.a), {**valid_post(), "dokumen": svg})
    assert response.status_code == 400
    assert "Jenis berkas .svg tidak diizinkan." in response.content.decode()
    assert not Attachment.objects.exists()


# --- names with path traversal or a NUL byte, at every entry point that keeps a name --------


def _assert_safe_name(stored_name: str, root) -> None:
    assert ".." not in stored_name and "\x00" not in stored_name and "\\" not in stored_name
    assert not stored_name.startswith("/")
    assert Path(root, stored_name).resolve().is_relative_to(Path(root).resolve())


@pytest.mark.parametrize("name", TRAVERSAL_NAMES, ids=["dots", "backslashes", "nul"])
def test_file_names_cannot_leave_the_storage_folder(portal, client_for, report_type, name):  # noqa: F811
    operator = client_for(portal.operator_a)

    assert add_document(operator, name, PDF, title="Dokumen nakal").status_code == 302
    document = Document.objects.get(title="Dokumen nakal")
    _assert_safe_name(document.file.name, settings.MEDIA_ROOT)

    image_name = name.replace(".pdf", ".png")
    picture = upload(image_name, _image("PNG"), "image/png")
    assert add_image(operator, file=picture).status_code == 302
    image = PortalImage.objects.get(title="Jembatan Babat")
    _assert_safe_name(image.file.name, settings.MEDIA_ROOT)

    dataset = create_draft(operator, portal)
    csv_name = name.replace(".pdf", ".csv")
    response = operator.post(
        catalog_url("add_resource", dataset.pk), resource_upload(csv_name, b"a,b\n1,2\n")
    )
    assert response.status_code == 302
    version = ResourceVersion.objects.get(resource__dataset=dataset)
    _assert_safe_name(version.file.name, storages["datacatalog_files"].location)
    assert "\x00" not in version.original_name and "/" not in version.original_name

    attachment = SimpleUploadedFile(name, PDF, "application/pdf")
    response = operator.post(
        fill_url(report_type, portal.a), {**valid_post(), "dokumen": attachment}
    )
    assert response.status_code == 302
    stored = Attachment.objects.get()
    _assert_safe_name(stored.file.name, storages["reporting_files"].location)
    assert "\x00" not in stored.name and "/" not in stored.name


# --- workbooks: entity XML and zip bombs inside an XLSX dataset file ------------------------


def _workbook(sheet_xml: bytes | None = None) -> bytes:
    """A real workbook (openpyxl), with its first sheet's XML replaced when given."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kecamatan", "jumlah"])
    book.active.append(["Babat", 12])
    raw = io.BytesIO()
    book.save(raw)
    if sheet_xml is None:
        return raw.getvalue()
    source = zipfile.ZipFile(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info.filename, data, compresslevel=9)
    return out.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>{dtd}<worksheet xmlns="http://schemas.openxmlformats'
    b'.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>kecamatan</t></is>'
    b'</c></row><row><c t="inlineStr"><is><t>{cell}</t></is></c></row>{padding}</sheetData>'
    b"</worksheet>"
)


def sheet(dtd=b"", cell=b"Babat", padding=b"") -> bytes:
    return (
        SHEET.replace(b"{dtd}", dtd).replace(b"{cell}", cell).replace(b"{padding}", padding)
    )


LAUGHS = b"<!DOCTYPE w [<!ENTITY a 'ha'>" + b"".join(
    b"<!ENTITY %c '%s'>" % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8)
) + b"]>"
EXTERNAL = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    ("dtd", "cell"), [(LAUGHS, b"&i;"), (EXTERNAL, b"&x;")], ids=["billion-laughs", "external"]
)
def test_xlsx_with_entities_is_refused_and_nothing_kept(portal, client, dtd, cell):
    dataset = create_draft(client, portal)
    stored = files_under(storages["datacatalog_files"].location)
    content = _workbook(sheet(dtd=dtd, cell=cell))
    response = client.post(
        catalog_url("add_resource", dataset.pk), resource_upload("data.xlsx", content)
    )
    assert response.status_code == 200
    assert "Berkas XLSX tidak dapat dibaca." in response.content.decode()
    assert "root:" not in response.content.decode()
    assert not ResourceVersion.objects.filter(resource__dataset=dataset).exists()
    assert files_under(storages["datacatalog_files"].location) == stored


@override_settings(SATUPINTU_MAX_DATASET_FILE_BYTES=1024 * 1024)
def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(portal, client):
    """About 24 KiB on the wire, 24 MiB of sheet XML (1:1000, deflate's ceiling): no honest
    workbook unpacks to more than the upload limit, or at such a ratio."""
    dataset = create_draft(client, portal)
    bomb = _workbook(sheet(padding=b" " * (24 * 1024 * 1024)))
    assert len(bomb) < 64 * 1024
    response = client.post(
        catalog_url("add_resource", dataset.pk), resource_upload("bom.xlsx", bomb)
    )
    assert response.status_code == 200
    assert "kemungkinan bom zip" in response.content.decode()
    assert not ResourceVersion.objects.filter(resource__dataset=dataset).exists()


# --- a CSV whose one field is longer than Python's csv module reads ---------------------------


def test_csv_with_an_over_long_field_is_refused_with_a_message(portal, client):
    dataset = create_draft(client, portal)
    content = b"kecamatan,jumlah\n" + b"x" * (csv.field_size_limit() + 1) + b",1\n"
    response = client.post(
        catalog_url("add_resource", dataset.pk), resource_upload("panjang.csv", content)
    )
    assert response.status_code == 200
    assert "Ada isian yang terlalu panjang" in response.content.decode()
    assert not ResourceVersion.objects.filter(resource__dataset=dataset).exists()
