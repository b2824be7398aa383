"""Documents reach citizens with the published page that uses them, never on upload."""

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage


def _document(opd, title="Laporan keuangan"):
    document = Document(
        title=title,
        collection=opd.collection,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="lk.pdf"),
    )
    document.save()
    return document


def _ppid_page(opd, document, publish):
    index = PPIDIndexPage.objects.child_of(opd.home_page).get()
    page = PPIDDocumentPage(
        title=f"Dokumen {document.title}",
        category="berkala",
        year=2026,
        document=document,
        live=False,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def test_unpublished_document_is_not_public(portal, client):
    document = _document(portal.a)
    assert client.get(document.url).status_code == 404


def test_document_of_a_draft_page_is_not_public(portal, client):
    document = _document(portal.a)
    _ppid_page(portal.a, document, publish=False)
    assert client.get(document.url).status_code == 404


def test_document_of_a_published_page_is_public(portal, client):
    document = _document(portal.a)
    _ppid_page(portal.a, document, publish=True)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_own_opd_and_kominfo_may_open_an_unpublished_document(portal, client_for):
    document = _document(portal.a)
    for user in (portal.operator_a, portal.verifier_a, portal.kominfo):
        assert client_for(user).get(document.url).status_code == 200
    for user in (portal.operator_b, portal.verifier_b):
        assert client_for(user).get(document.url).status_code == 404
