"""The text inside attached documents is searchable once extracted, after the publish."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from satupintu.demo.seed import _pdf
from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage
from satupintu.search.models import DocumentText
from satupintu.search.query import search

pytestmark = pytest.mark.django_db


def upload(opd, title, file):
    document = Document(title=title, collection=opd.collection, file=file)
    document._set_document_file_metadata()
    document.save()
    return document


def publish_ppid(opd, title, document):
    index = PPIDIndexPage.objects.child_of(opd.home_page).get()
    page = PPIDDocumentPage(
        title=title,
        category=PPIDDocumentPage.Category.BERKALA,
        year=2026,
        summary="Dokumen perencanaan.",
        document=document,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_text_of_a_pdf_is_found_after_publishing(portal, django_capture_on_commit_callbacks):
    document = upload(portal.a, "lampiran", _pdf("Rencana kalibrasi timbangan posyandu"))
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_ppid(portal.a, "Rencana kerja 2026", document)
    assert DocumentText.objects.get(document=document).status == "ok"
    hits = search("kalibrasi timbangan").hits
    assert [h.entry.key for h in hits] == [f"page:{page.pk}"]
    assert "<mark>kalibrasi</mark>" in hits[0].snippet


def test_a_replaced_file_is_extracted_again(portal, django_capture_on_commit_callbacks):
    document = upload(portal.a, "lampiran", _pdf("Jadwal kalibrasi lama"))
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_ppid(portal.a, "Jadwal kerja", document)
    document.file.save("baru.pdf", _pdf("Jadwal sterilisasi baru"), save=False)
    document._set_document_file_metadata()
    document.save()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert search("sterilisasi").hits[0].entry.key == f"page:{page.pk}"
    assert not search("kalibrasi").hits


def test_an_unreadable_file_leaves_the_page_findable_by_its_own_text(
    portal, django_capture_on_commit_callbacks
):
    document = upload(portal.a, "rusak", ContentFile(b"<html><script>x</script>", name="a.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_ppid(portal.a, "Laporan pengaduan masyarakat", document)
    assert DocumentText.objects.get(document=document).status == "rusak"
    assert search("pengaduan").hits[0].entry.key == f"page:{page.pk}"
    assert not search("script").hits


def test_extraction_is_not_part_of_the_publish(portal):
    """Without the commit (a rolled-back transaction), nothing was extracted: the publish
    request never waits for a hostile file."""
    document = upload(portal.a, "lampiran", _pdf("Teks yang belum dibaca"))
    publish_ppid(portal.a, "Dokumen baru", document)
    assert not DocumentText.objects.exists()
