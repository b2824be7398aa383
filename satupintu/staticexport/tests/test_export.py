"""export-static: the public site as files, nothing private, links that work, small re-runs."""

import io
import json
import logging
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from wagtail.documents.models import Document
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from satupintu.core.testing import add_news
from satupintu.datacatalog.testing import make_dataset
from satupintu.media.models import PortalImage
from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage
from satupintu.services.models import ServiceIndexPage, ServicePage
from satupintu.staticexport import exporter, links


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (960, 540), (20, 90, 160)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="foto-uji.png")


def _publish(index_model, opd, page):
    index_model.objects.child_of(opd.home_page).get().add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def content(portal):
    image = PortalImage.objects.create(
        title="Foto uji",
        description="Petugas di puskesmas",
        collection=portal.a.collection,
        file=_png(),
    )
    news = add_news(portal.a, "Vaksinasi massal di Babat", image=image)
    for number in range(12):  # 13 news in Dinkes: its list has two pages (12 a page)
        add_news(portal.a, f"Berita rutin {number}")
    service = _publish(
        ServiceIndexPage,
        portal.a,
        ServicePage(
            title="Surat keterangan sehat",
            summary="Layanan surat sehat.",
            requirements="<ul><li>KTP</li></ul>",
            procedure="<ol><li>Datang</li></ol>",
            duration="1 hari",
            fee="Gratis",
            product="Surat",
            complaints="<p>Ke loket.</p>",
        ),
    )
    document = Document.objects.create(
        title="Laporan kinerja",
        collection=portal.a.collection,
        file=ContentFile(b"%PDF-1.4\n% laporan uji\n%%EOF\n", name="laporan-kinerja.pdf"),
    )
    ppid = _publish(
        PPIDIndexPage,
        portal.a,
        PPIDDocumentPage(
            title="Laporan kinerja 2025", category="berkala", year=2025, document=document
        ),
    )
    closed = portal.a.collection.add_child(name="Arsip tertutup")
    CollectionViewRestriction.objects.create(
        collection=closed, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    hidden_file = Document.objects.create(
        title="Memo internal",
        collection=closed,
        file=ContentFile(b"%PDF-1.4\n% memo\n%%EOF\n", name="memo-internal.pdf"),
    )
    _publish(
        PPIDIndexPage,
        portal.a,
        PPIDDocumentPage(title="Memo 2025", category="berkala", year=2025, document=hidden_file),
    )
    draft = add_news(portal.a, "Draf rahasia dinkes", publish=False)
    restricted = add_news(portal.b, "Berita khusus pegawai")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="rahasia-uji"
    )
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    pending = make_dataset(
        portal.b,
        portal.operator_b,
        portal.verifier_b,
        name="data-belum-terbit",
        title="Data belum terbit",
    )
    return {
        "news": news,
        "service": service,
        "ppid": ppid,
        "document": document,
        "draft": draft,
        "restricted": restricted,
        "dataset": dataset,
        "pending": pending,
    }


def _export(target, **options):
    out = StringIO()
    call_command("export_static", to=target, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def _manifest(target):
    return json.loads((target / links.MANIFEST_NAME).read_text())["files"]


def _all_text(root):
    return "\n".join(
        p.read_text(errors="replace")
        for p in root.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".rss", ".atom", ".txt", "")
    )


def test_public_site_is_copied_with_working_links_and_nothing_private(portal, content, tmp_path):
    target = tmp_path / "salinan"
    output = _export(target, check=True)
    assert "tidak ada tautan rusak" in output
    root = target.resolve()
    news, dataset = content["news"], content["dataset"]
    resource = dataset.resources.get()

    home = (root / "index.html").read_text()
    assert "Salinan statis: layanan daring sedang tidak tersedia" in home
    assert links_to(home, "/akun/") == [] and 'id="q-header"' not in home
    for listing in (home, (root / "data/index.html").read_text()):
        assert "<form hidden" in listing and not re.search(r"<form(?! hidden)", listing)
    for path in [
        "dinkes/index.html",
        f"dinkes/berita/{news.slug}/index.html",
        f"dinkes/layanan/{content['service'].slug}/index.html",
        f"dinkes/ppid/{content['ppid'].slug}/index.html",
        f"dokumen/{content['document'].pk}/laporan-kinerja.pdf",
        f"data/{dataset.name}/index.html",
        f"data/{dataset.name}/sumber/{resource.id}/index.html",
        "aplikasi/index.html",
        "sitemap.xml",
        "robots.txt",
        "feeds/berita.rss",
        "feeds/dinkes/berita.atom",
        "_salinan/tidak-tersedia/index.html",
        "404.html",
        "static/portal/portal.css",
    ]:
        assert (root / path).is_file(), path
    downloads = list((root / f"data/{dataset.name}/sumber/{resource.id}/unduh").iterdir())
    assert [p.suffix for p in downloads] == [".csv"]
    with resource.public_version.file.open("rb") as published:
        assert downloads[0].read_bytes() == published.read()
    assert (
        root / "dokumen" / str(content["document"].pk) / "laporan-kinerja.pdf"
    ).read_bytes() == (b"%PDF-1.4\n% laporan uji\n%%EOF\n")
    page = (root / f"dinkes/berita/{news.slug}/index.html").read_text()
    renditions = [u for u in links.links_of(page) if u.startswith("/media/images/")]
    assert renditions and all((root / u.lstrip("/")).is_file() for u in renditions)

    # The Dinkes list has a second page, as a path of its own, linked from the first.
    first = (root / "dinkes/berita/index.html").read_text()
    assert "/dinkes/berita/halaman/2/" in first and "?halaman=" not in first
    second = (root / "dinkes/berita/halaman/2/index.html").read_text()
    titles = ["Vaksinasi massal di Babat"] + [f"Berita rutin {n}" for n in range(12)]
    assert all(t in first + second for t in titles)
    assert any(t in second for t in titles)

    assert not list(root.rglob("memo-internal.pdf"))
    everything = _all_text(root)
    assert "Draf rahasia dinkes" not in everything
    assert "Berita khusus pegawai" not in everything
    assert "Data belum terbit" not in everything
    assert not (root / "data/data-belum-terbit").exists()
    assert not (root / f"dlh/berita/{content['restricted'].slug}").exists()
    assert not (root / f"dinkes/berita/{content['draft'].slug}").exists()
    for private in ["akun", "admin", "cari", "sso", "en", "api"]:
        assert not (root / private).exists(), private


def links_to(text, prefix):
    return [u for u in links.links_of(text) if u.startswith(prefix)]


def test_second_run_writes_only_what_changed_and_removes_what_left(portal, content, tmp_path):
    target = tmp_path / "salinan"
    _export(target)
    first_release = target.resolve()
    before = _manifest(target)

    again = exporter.Exporter(target).run()
    assert again.written == 0 and again.removed == 0 and again.unchanged == again.files
    assert _manifest(target).keys() == before.keys()
    assert target.resolve() != first_release

    fresh = add_news(portal.b, "Penanaman mangrove di Paciran")
    content["service"].unpublish()
    changed = exporter.Exporter(target).run()
    after = _manifest(target)
    root = target.resolve()
    assert f"dlh/berita/{fresh.slug}/index.html" in after
    assert (root / f"dlh/berita/{fresh.slug}/index.html").is_file()
    gone = f"dinkes/layanan/{content['service'].slug}/index.html"
    assert gone in before and gone not in after and not (root / gone).exists()
    assert changed.removed == 1
    # Lists and feeds that show the new item changed; the other pages did not.
    rewritten = {k for k, v in after.items() if before.get(k, {}).get("sha256") != v["sha256"]}
    assert "index.html" in rewritten and "feeds/dlh/berita.rss" in rewritten
    assert f"dinkes/berita/{content['news'].slug}/index.html" not in rewritten
    assert "static/portal/portal.css" not in rewritten
    assert changed.written == len(rewritten)
    assert len(rewritten) < len(after) / 2


def test_failed_export_leaves_the_served_copy_alone(portal, content, tmp_path, monkeypatch):
    target = tmp_path / "salinan"
    _export(target)
    served = target.resolve()

    def broken(self):
        raise RuntimeError("database hilang di tengah jalan")

    monkeypatch.setattr(exporter.SiteCrawl, "crawl", broken)
    with pytest.raises(RuntimeError):
        exporter.Exporter(target).run()
    assert target.resolve() == served
    assert [p for p in served.parent.iterdir() if p.is_dir()] == [served]


def test_check_fails_on_a_broken_link(portal, tmp_path):
    target = tmp_path / "salinan"
    _export(target)
    page = target.resolve() / "index.html"
    page.write_text(
        page.read_text() + '<a href="/tidak-ada/">x</a><a href="/berita/?halaman=2">y</a>'
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("export_static", to=target, check_only=True, stdout=out)
    assert "/tidak-ada/" in out.getvalue() and "/berita/?halaman=2" in out.getvalue()


def test_a_directory_that_is_not_a_copy_is_refused(tmp_path, db):
    target = tmp_path / "www"
    target.mkdir()
    with pytest.raises(CommandError):
        _export(target)


def test_segments_of_query_values_are_plain_file_names():
    assert links.segment("air bersih/sanitasi") == "air~20bersih~2Fsanitasi"
    assert links.segment("..") == "~.."
    assert links.static_query("/data/", "topik=a&organisasi=dinkes&halaman=3", "/data/") == (
        "/data/organisasi/dinkes/halaman/3/",
        "organisasi=dinkes&halaman=3",
    )
    assert links.static_query("/berita/", "urut=judul", "/data/") is None
    assert links.static_query("/berita/", "halaman=1", "/data/") is None


def test_english_behind_a_flag_and_the_live_site_untouched(portal, tmp_path, client):
    target = tmp_path / "salinan"
    output = _export(target, english=True, check=True)
    assert "tidak ada tautan rusak" in output
    root = target.resolve()
    assert '<html lang="en"' in (root / "en/index.html").read_text()
    assert (root / "en/_salinan/tidak-tersedia/index.html").is_file()
    assert 'href="/en/"' in (root / "index.html").read_text()
    # The banner and hidden forms were for the copy only.
    for path in ("/", "/berita/"):
        assert "Salinan statis" not in client.get(path).content.decode()
    assert 'id="q-header"' in client.get("/berita/").content.decode()


def test_an_export_writes_no_access_log_lines(portal, tmp_path, client, settings, caplog):
    """Hundreds of pages rendered in-process every 15 minutes are not visitors' requests: none
    of them reaches the access log, which stays on for the live site."""
    settings.SATUPINTU_ACCESS_LOG = True
    with caplog.at_level(logging.INFO, logger="satupintu.access"):
        result = exporter.Exporter(tmp_path / "salinan").run()
        assert result.pages > 1
        assert [r for r in caplog.records if r.name == "satupintu.access"] == []
        client.get("/")  # the same process, outside the export: logged as before
    (line,) = [r for r in caplog.records if r.name == "satupintu.access"]
    assert line.path == "/"
