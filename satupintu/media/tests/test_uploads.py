"""Uploads through the Wagtail admin, and the content checks behind them.

Every refused upload must leave nothing behind: no row and no file under MEDIA_ROOT.
"""

import io
import os
import random
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model

from satupintu.media import checks
from satupintu.media.models import PortalImage
from satupintu.opd.models import OPD

Document = get_document_model()

ALT_TEXT_REQUIRED = "Teks alternatif wajib diisi agar gambar dapat dipahami pembaca layar."
NO_MARKUP = "tidak boleh berisi kode HTML"
MISMATCH = "Isi berkas tidak sesuai dengan ekstensinya"

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>\n'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def zipped(*entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped(
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", "<w:document/>"),
    )


def xlsx() -> bytes:
    return zipped(
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", "<Relationships/>"),
        ("xl/workbook.xml", "<workbook/>"),
    )


def png(size=(8, 8), noise=False) -> bytes:
    image = PILImage.new("RGB", size, "#0b4f8a")
    if noise:  # incompressible, so that the file is big enough for the size limits
        rng = random.Random(3524)
        image.putdata(
            [
                (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                for _ in range(size[0] * size[1])
            ]
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def short_id(value):
    """Readable test ids: the file name, not the bytes."""
    return f"{len(value)}B" if isinstance(value, bytes) else None


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files():
    found = set()
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(folder, f) for f in files)
    return found


@pytest.fixture
def operator(portal, client_for):
    return client_for(portal.operator_a)


@pytest.fixture(params=["operator_a", "kominfo"])
def uploader(request, portal, client_for):
    """Who uploads images: the OPD operator, and Kominfo (who sees every collection)."""
    return client_for(getattr(portal, request.param))


@pytest.fixture
def nothing_stored(portal):
    """Asserts, after the test, that no image, document or file was added."""
    before = (PortalImage.objects.count(), Document.objects.count(), stored_files())
    yield
    assert (PortalImage.objects.count(), Document.objects.count(), stored_files()) == before


def file_error(response) -> str:
    """The one reason given for refusing the file (one, so that the operator is not confused)."""
    assert response.status_code == 200, "the upload was accepted"
    errors = response.context["form"].errors
    assert list(errors) == ["file"], errors
    assert len(errors["file"]) == 1, errors["file"]
    return errors["file"][0]


# --- images ---------------------------------------------------------------------------------


def add_image(client, **fields):
    data = {"title": "Jembatan Babat", "description": "Bupati meresmikan jembatan Babat"}
    # Kominfo picks the collection; an operator has only one and is not asked.
    data["collection"] = OPD.objects.get(slug="dinkes").collection_id
    data["file"] = upload("jembatan.png", png(), "image/png")
    data.update(fields)
    return client.post(reverse("wagtailimages:add"), data)


def test_operator_uploads_an_image_into_the_own_collection(portal, operator):
    files_before = stored_files()
    response = add_image(operator, collection="")

    assert response.status_code == 302
    image = PortalImage.objects.get(title="Jembatan Babat")
    assert image.description == "Bupati meresmikan jembatan Babat"
    assert image.collection == portal.a.collection
    assert image.uploaded_by_user == portal.operator_a
    assert (image.width, image.height) == (8, 8)
    assert os.path.isfile(image.file.path)
    assert stored_files() - files_before == {image.file.path}


def test_kominfo_uploads_an_image_into_an_opd_collection(portal, client_for):
    response = add_image(client_for(portal.kominfo))
    assert response.status_code == 302
    image = PortalImage.objects.get(title="Jembatan Babat")
    assert image.collection == portal.a.collection
    assert image.description == "Bupati meresmikan jembatan Babat"
    assert os.path.isfile(image.file.path)


def test_operator_cannot_choose_another_opds_collection(portal, operator):
    response = add_image(operator, collection=portal.b.collection.pk)
    assert response.status_code == 302
    assert PortalImage.objects.get(title="Jembatan Babat").collection == portal.a.collection


@pytest.mark.parametrize("description", ["", "   "])
def test_image_without_alt_text_is_refused(uploader, nothing_stored, description):
    response = add_image(uploader, description=description)
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [ALT_TEXT_REQUIRED]
    assert ALT_TEXT_REQUIRED in response.content.decode()


def test_image_without_description_field_is_refused(portal, uploader, nothing_stored):
    data = {
        "title": "Tanpa teks",
        "file": upload("a.png", png(), "image/png"),
        "collection": portal.a.collection_id,
    }
    response = uploader.post(reverse("wagtailimages:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [ALT_TEXT_REQUIRED]


@pytest.mark.parametrize(
    "field",
    ["title", "description"],
)
def test_image_text_with_markup_is_refused(uploader, nothing_stored, field):
    response = add_image(uploader, **{field: "Jembatan <script>alert(1)</script>"})
    assert response.status_code == 200
    assert NO_MARKUP in response.context["form"].errors[field][0]


def test_image_over_the_portal_limit_is_refused(uploader, nothing_stored):
    content = png((64, 64), noise=True)
    limit = len(content) - 1
    with override_settings(SATUPINTU_MAX_IMAGE_BYTES=limit):
        response = add_image(uploader, file=upload("besar.png", content, "image/png"))
    message = file_error(response)
    assert message.startswith("Berkas terlalu besar (")
    assert "batasnya" in message


def test_image_over_the_wagtail_limit_is_refused(uploader, nothing_stored):
    content = png((64, 64), noise=True)
    limit = len(content) // 2
    with override_settings(SATUPINTU_MAX_IMAGE_BYTES=limit, WAGTAILIMAGES_MAX_UPLOAD_SIZE=limit):
        response = add_image(uploader, file=upload("besar.png", content, "image/png"))
    assert "Berkas terlalu besar" in file_error(response)  # Wagtail's own message


def test_image_at_the_limit_is_accepted(uploader):
    content = png((64, 64), noise=True)
    with override_settings(
        SATUPINTU_MAX_IMAGE_BYTES=len(content), WAGTAILIMAGES_MAX_UPLOAD_SIZE=len(content)
    ):
        response = add_image(uploader, file=upload("pas.png", content, "image/png"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailimages:index")
    assert PortalImage.objects.get(title="Jembatan Babat").file_size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [("halaman.png", HTML), ("gambar.svg", SVG), ("program.png", EXE), ("kosong.png", b"")],
    ids=["html-as-png", "svg", "exe-as-png", "empty"],
)
def test_file_that_is_not_an_image_is_refused(uploader, nothing_stored, name, content):
    response = add_image(uploader, file=upload(name, content, "image/png"))
    assert file_error(response)  # Wagtail's own reasons, via Pillow


# --- documents ------------------------------------------------------------------------------


def add_document(client, name, content, **fields):
    data = {"title": "Laporan Kinerja 2024", "file": upload(name, content)}
    data.update(fields)
    return client.post(reverse("wagtaildocs:add"), data)


def test_operator_uploads_a_pdf(portal, operator):
    files_before = stored_files()
    response = add_document(operator, "laporan.pdf", PDF)

    assert response.status_code == 302
    document = Document.objects.get(title="Laporan Kinerja 2024")
    assert document.collection == portal.a.collection
    assert document.uploaded_by_user == portal.operator_a
    assert document.file_extension == "pdf"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert stored_files() - files_before == {document.file.path}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laporan.docx", docx()),
        ("anggaran.xlsx", xlsx()),
        ("surat.doc", OLE),
        ("data.csv", b"kecamatan,jumlah\nSarirejo,9\n"),
        ("catatan.txt", "Pengumuman – kantor tutup pada 17 Agustus.\n".encode()),
    ],
    ids=short_id,
)
def test_office_and_text_documents_are_accepted(operator, name, content):
    response = add_document(operator, name, content, title=f"Dokumen {name}")
    assert response.status_code == 302
    assert Document.objects.filter(title=f"Dokumen {name}").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", HTML, f"{MISMATCH} (.pdf)"),
        ("laporan.docx", EXE, f"{MISMATCH} (.docx)"),
        ("laporan.docx", xlsx(), f"{MISMATCH} (.docx)"),
        ("laporan.pdf", OLE, f"{MISMATCH} (.pdf)"),
        ("gambar.txt", SVG, "Berkas .txt ini berisi HTML/XML, bukan teks biasa."),
        ("halaman.txt", HTML, "Berkas .txt ini berisi HTML/XML, bukan teks biasa."),
        ("halaman.csv", b"  \n<html><body>x</body></html>", "Berkas .csv ini berisi HTML/XML"),
        ("program.txt", EXE, "Berkas .txt ini bukan teks biasa."),
        ("program.exe", EXE, "Jenis berkas .exe tidak diizinkan."),
        ("halaman.html", HTML, "Jenis berkas .html tidak diizinkan."),
        ("gambar.svg", SVG, "Jenis berkas .svg tidak diizinkan."),
    ],
    ids=short_id,
)
def test_disguised_or_forbidden_documents_are_refused(
    operator, nothing_stored, name, content, message
):
    response = add_document(operator, name, content)
    assert message in file_error(response)


def test_empty_document_is_refused(operator, nothing_stored):
    response = add_document(operator, "kosong.pdf", b"")
    assert file_error(response) == "Berkas yang dikirimkan kosong."  # Django's own message


def test_document_title_with_markup_is_refused(operator, nothing_stored):
    response = add_document(operator, "laporan.pdf", PDF, title="<script>alert(1)</script>")
    assert response.status_code == 200
    assert NO_MARKUP in response.context["form"].errors["title"][0]


def test_document_over_the_limit_is_refused(operator, nothing_stored):
    with override_settings(SATUPINTU_MAX_DOCUMENT_BYTES=len(PDF) - 1):
        response = add_document(operator, "laporan.pdf", PDF)
    assert file_error(response).startswith("Berkas terlalu besar (")


def test_multiple_upload_runs_the_same_checks(operator, nothing_stored):
    response = operator.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": upload("laporan.pdf", HTML)},
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert MISMATCH in payload["error_message"]


def test_replacing_a_document_file_runs_the_checks(portal, operator):
    assert add_document(operator, "laporan.pdf", PDF).status_code == 302
    document = Document.objects.get(title="Laporan Kinerja 2024")
    files_before = stored_files()
    response = operator.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": document.title, "file": upload("laporan.pdf", HTML)},
    )
    assert MISMATCH in file_error(response)
    document.refresh_from_db()
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert stored_files() == files_before


# --- satupintu.media.checks, directly -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laporan.pdf", PDF),
        ("LAPORAN.PDF", PDF),
        ("surat.docx", docx()),
        ("anggaran.xlsx", xlsx()),
        ("arsip.zip", zipped(("a.txt", "isi"))),
        ("surat.doc", OLE),
        ("anggaran.xls", OLE),
        ("data.csv", b"a,b\n1,2\n"),
        ("catatan.txt", b"Teks biasa < 5 > 3\n"),
    ],
    ids=short_id,
)
def test_check_document_accepts_what_the_extension_claims(name, content):
    uploaded = upload(name, content)
    checks.check_document(uploaded)
    # The check leaves the file where it found it, ready to be saved.
    assert uploaded.read() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("surat.docx", EXE, "type_mismatch"),
        ("surat.docx", xlsx(), "type_mismatch"),
        ("anggaran.xlsx", docx(), "type_mismatch"),
        ("surat.docx", PDF, "type_mismatch"),
        ("surat.doc", docx(), "type_mismatch"),
        ("surat.doc", HTML, "type_mismatch"),
        ("laporan.pdf", HTML, "type_mismatch"),
        ("laporan.pdf", b"just text", "type_mismatch"),
        ("arsip.zip", PDF, "type_mismatch"),
        ("catatan.txt", HTML, "type_mismatch"),
        ("catatan.txt", SVG, "type_mismatch"),
        ("catatan.txt", b'<?xml version="1.0"?><svg/>', "type_mismatch"),
        ("catatan.txt", b"\n\t <SCRIPT>alert(1)</SCRIPT>", "type_mismatch"),
        ("catatan.txt", b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "type_mismatch"),
        ("catatan.txt", b"<!-- x --><html><script>alert(1)</script></html>", "type_mismatch"),
        ("data.csv", b"a,b\x00c", "type_mismatch"),
        ("program.exe", EXE, "extension"),
        ("halaman.html", HTML, "extension"),
        ("tanpa-ekstensi", PDF, "extension"),
        ("laporan.pdf", b"", "empty"),
    ],
    ids=short_id,
)
def test_check_document_refuses(name, content, code):
    with pytest.raises(ValidationError) as refused:
        checks.check_document(upload(name, content))
    assert refused.value.code == code
    assert refused.value.messages[0]  # a sentence for the operator, never empty


def test_check_document_names_the_extension():
    with pytest.raises(ValidationError) as refused:
        checks.check_document(upload("program.exe", EXE))
    assert refused.value.messages == ["Jenis berkas .exe tidak diizinkan."]
    with pytest.raises(ValidationError) as refused:
        checks.check_document(upload("surat.docx", EXE))
    assert refused.value.messages == [
        "Isi berkas tidak sesuai dengan ekstensinya (.docx). Simpan ulang dokumen dalam format "
        "yang benar lalu unggah lagi."
    ]


def test_check_document_size_limit():
    with override_settings(SATUPINTU_MAX_DOCUMENT_BYTES=len(PDF)):
        checks.check_document(upload("laporan.pdf", PDF))
    with (
        override_settings(SATUPINTU_MAX_DOCUMENT_BYTES=len(PDF) - 1),
        pytest.raises(ValidationError) as refused,
    ):
        checks.check_document(upload("laporan.pdf", PDF))
    assert refused.value.code == "file_too_large"


def test_check_size_message_gives_size_and_limit():
    checks.check_size(upload("a.bin", b"x" * 2048), 2048)
    with pytest.raises(ValidationError) as refused:
        checks.check_size(upload("a.bin", b"x" * 2049), 2048)
    message = refused.value.messages[0]
    assert message.startswith("Berkas terlalu besar (")
    assert "2,0" in message  # the limit, in kilobytes as filesizeformat writes it


def test_settings_wire_the_portal_forms_and_limits():
    assert settings.WAGTAILIMAGES_IMAGE_FORM_BASE == "satupintu.media.forms.PortalImageForm"
    assert settings.WAGTAILDOCS_DOCUMENT_FORM_BASE == "satupintu.media.forms.PortalDocumentForm"
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == settings.SATUPINTU_MAX_IMAGE_BYTES
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"exe", "html", "htm", "svg", "js"} & set(settings.WAGTAILDOCS_EXTENSIONS)
    # Every allowed document extension has a content check.
    for ext in settings.WAGTAILDOCS_EXTENSIONS:
        assert ext in checks._BINARY_KINDS or ext in checks._TEXT_KINDS, ext
