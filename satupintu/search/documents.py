"""The text inside documents attached to pages (PPID documents, announcement attachments).

Extraction reads hostile files, so it runs in a child process with limits (extract.py)
and never inside the publish itself: publishing asks for it after commit, through Django
tasks (in-process in the embedded mode, a worker in production), and when the text
arrives the pages that attach the document are indexed again with it.
"""

import logging
import os
import shutil
import tempfile

from django.db import transaction
from django_tasks import task

from .models import DocumentText

logger = logging.getLogger(__name__)


def text_of(document) -> str:
    """The extracted text if it matches the current file; otherwise "" and ask for it."""
    row = DocumentText.objects.filter(document=document).only("file_hash", "text").first()
    if row and row.file_hash == (document.file_hash or ""):
        return row.text
    request_extraction(document.pk)
    return ""


def request_extraction(document_id: int) -> None:
    transaction.on_commit(lambda: extract_document.enqueue(document_id))


@task()
def extract_document(document_id: int) -> str:
    from wagtail.documents import get_document_model

    from .extract import extract_text

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return "hilang"
    with tempfile.TemporaryDirectory(prefix="satupintu-extract-") as folder:
        # Storage may not be a local disk; the child process reads a private copy.
        path = os.path.join(folder, "document")
        with document.file.open("rb") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
        result = extract_text(path, document.file.name)
    DocumentText.objects.update_or_create(
        document=document,
        defaults={
            "file_hash": document.file_hash or "",
            "status": result.status,
            "detail": result.detail[:200],
            "text": result.text,
        },
    )
    logger.info("document %s extracted: %s", document_id, result.status)
    reindex_attaching_pages(document_id)
    return result.status


def reindex_attaching_pages(document_id: int) -> None:
    from satupintu.announcements.models import AnnouncementPage
    from satupintu.ppid.models import PPIDDocumentPage

    from . import index
    from .sources import pages

    attaching = list(PPIDDocumentPage.objects.filter(document_id=document_id)) + list(
        AnnouncementPage.objects.filter(attachment_id=document_id)
    )
    for page in attaching:
        found = pages.doc(page)
        if found:
            index.put(found)
