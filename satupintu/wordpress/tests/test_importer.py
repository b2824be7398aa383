"""Importing an OPD's WordPress export: complete, repeatable, all or nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from wagtail.models import Page

from satupintu.home.models import InfoPage
from satupintu.media.models import PortalImage
from satupintu.news.models import NewsPage
from satupintu.wordpress import sample, wxr
from satupintu.wordpress.importer import import_wordpress
from satupintu.wordpress.models import ImportedItem


def _section_pages(opd):
    return Page.objects.filter(
        path__startswith=opd.home_page.path, depth__gt=opd.home_page.depth + 1
    )


def test_posts_pages_and_images_land_in_the_opd_section(portal, export):
    path, uploads = export
    report = import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    news = NewsPage.objects.filter(opd=portal.a)
    assert news.count() == 40
    assert InfoPage.objects.child_of(portal.a.home_page).count() == 3
    assert PortalImage.objects.filter(collection=portal.a.collection).count() == 8
    first = news.get(title="Posyandu serentak di Babat")
    assert first.live and first.date.isoformat() == "2019-01-07"
    assert first.author_name == "admin-dinkes" and first.image is not None
    assert '<embed embedtype="image"' in first.body and "[caption" not in first.body
    assert set(first.tags.names()) == {"Kesehatan", "Babat"}
    assert report.unknown_shortcodes["contact-form-7"] == 3
    assert len(report.created) == 40 + 3 + 8
    assert not NewsPage.objects.filter(opd=portal.b).exists()


def test_without_publish_every_page_waits_for_the_opd_review(portal, export):
    path, uploads = export
    import_wordpress(portal.a, path, uploads_dir=uploads)
    news = NewsPage.objects.filter(opd=portal.a)
    assert news.count() == 40 and not news.filter(live=True).exists()
    assert all(p.current_workflow_state.status == "in_progress" for p in news[:5])


def test_running_twice_creates_nothing_new(portal, export):
    path, uploads = export
    import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    pages, images = _section_pages(portal.a).count(), PortalImage.objects.count()
    report = import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    assert not report.created and not report.updated
    assert report.unchanged == 40 + 3 + 8
    assert (_section_pages(portal.a).count(), PortalImage.objects.count()) == (pages, images)


def test_a_changed_post_updates_its_page(portal, export):
    path, uploads = export
    import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "<title>Posyandu serentak di Babat</title>",
            "<title>Posyandu serentak di Babat (ralat)</title>",
        ),
        encoding="utf-8",
    )
    pages = _section_pages(portal.a).count()
    report = import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    assert report.updated == ["Posyandu serentak di Babat (ralat)"]
    assert _section_pages(portal.a).count() == pages
    item = ImportedItem.objects.get(opd=portal.a, wp_id=10)
    assert item.page.specific.title == "Posyandu serentak di Babat (ralat)"


def test_a_broken_file_leaves_nothing_behind(portal, export, settings):
    path, uploads = export
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("</channel>", "<item><title>rusak</item></channel>"), encoding="utf-8"
    )
    pages, images = Page.objects.count(), PortalImage.objects.count()
    files = set(Path(settings.MEDIA_ROOT).rglob("*"))
    with pytest.raises(wxr.WxrError):
        import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    assert (Page.objects.count(), PortalImage.objects.count()) == (pages, images)
    assert not ImportedItem.objects.exists()
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) - files <= {
        p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_dir()
    }


def test_attachments_are_never_fetched_and_are_reported(portal, export):
    path, _uploads = export
    report = import_wordpress(portal.a, path, publish=True)  # no uploads folder
    assert PortalImage.objects.filter(collection=portal.a.collection).count() == 0
    assert len([s for s in report.skipped if "folder unggahan" in s[1]]) == 8
    assert NewsPage.objects.filter(opd=portal.a).count() == 40


def test_attachment_paths_cannot_leave_the_uploads_folder(portal, tmp_path):
    secret = tmp_path / "rahasia.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    secret.write_bytes(buffer.getvalue())
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    text = sample.build(posts=5).replace(
        "/wp-content/uploads/2019/01/foto-1.jpg", "/wp-content/uploads/../rahasia.jpg"
    )
    path = tmp_path / "ekspor.xml"
    path.write_text(text, encoding="utf-8")
    report = import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    assert PortalImage.objects.count() == 0
    assert any("folder unggahan" in why for _what, why in report.skipped)


def test_command_reports_and_refuses_bad_input(portal, export, capsys):
    path, uploads = export
    call_command("import_wordpress", "dinkes", str(path), uploads=uploads, publish=True)
    out = capsys.readouterr().out
    assert "Dibuat 51" in out and "contact-form-7" in out
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_wordpress", "tidak-ada", str(path))
    hostile = path.parent / "bom.xml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>', encoding="utf-8"
    )
    with pytest.raises(CommandError, match="DTD"):
        call_command("import_wordpress", "dinkes", str(hostile))


def test_an_item_the_portal_refuses_is_skipped_with_its_reason(portal, export):
    path, uploads = export
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "<wp:post_date><![CDATA[2019-01-07", "<wp:post_date><![CDATA[2099-01-07", 1
        ),
        encoding="utf-8",
    )
    report = import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    assert NewsPage.objects.filter(opd=portal.a).count() == 39
    assert not NewsPage.objects.filter(title="Posyandu serentak di Babat").exists()
    assert any("masa depan" in why for _what, why in report.skipped)
