"""Django-side helper of bench/backup: runs inside the project with the benchmark's settings.

    multiply --factor N   add (N-1) copies of every loaded dataset (rows, file, datastore
                          table), of every image and document file and of every report
                          attachment, so data and files are N times the demo's
    status                counts of what the installation holds, and a digest of it

Every subcommand prints one JSON object on the last line of stdout. The copies are made here,
in the benchmark, never in the product's demo.
"""

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def emit(payload):
    print(json.dumps(payload, default=str))


def _copy_datasets(factor):
    from satupintu.datacatalog import workflow
    from satupintu.datacatalog.models import Dataset, Resource, ResourceVersion

    made = 0
    originals = list(
        Dataset.objects.filter(resources__current__state=ResourceVersion.State.LOADED).distinct()
    )
    for original in originals:
        resource = original.resources.filter(current__state=ResourceVersion.State.LOADED).first()
        version = resource.current
        with version.file.open("rb") as handle:
            content = handle.read()
        types = [column["type"] for column in version.columns]
        user = version.created_by
        for copy in range(2, factor + 1):
            with transaction.atomic():
                dataset = Dataset.objects.get(pk=original.pk)
                topics, regions = list(original.topics.all()), list(original.regions.all())
                dataset.pk = None
                dataset.name = f"{original.name[:88]}-salinan-{copy}"
                dataset.title = f"{original.title[:180]} (salinan {copy})"
                dataset.status = Dataset.Status.DRAFT
                dataset.save()
                dataset.topics.set(topics)
                dataset.regions.set(regions)
                new_resource = Resource.objects.create(dataset=dataset, name=resource.name)
                new_version = workflow.add_version(
                    user,
                    new_resource,
                    SimpleUploadedFile(
                        version.original_name or "data.csv",
                        content,
                        content_type=version.media_type or "text/csv",
                    ),
                )
            report = workflow.load(user, new_version, types)
            if not report.ok:
                raise SystemExit(f"copy of {original.name} did not load: {report.errors[:2]}")
            made += 1
    return made


def _copy_media(factor):
    from wagtail.documents.models import Document

    from satupintu.media.models import PortalImage

    images = documents = 0
    for image in list(PortalImage.objects.all()):
        with image.file.open("rb") as handle:
            content = handle.read()
        name = Path(image.file.name).name
        for copy in range(2, factor + 1):
            PortalImage.objects.create(
                title=f"{image.title[:230]} (salinan {copy})",
                description=image.description or image.title,
                collection=image.collection,
                file=ContentFile(content, name=f"salinan{copy}-{name}"),
            )
            images += 1
    for document in list(Document.objects.all()):
        with document.file.open("rb") as handle:
            content = handle.read()
        name = Path(document.file.name).name
        for copy in range(2, factor + 1):
            Document.objects.create(
                title=f"{document.title[:230]} (salinan {copy})",
                collection=document.collection,
                file=ContentFile(content, name=f"salinan{copy}-{name}"),
            )
            documents += 1
    return images, documents


def _copy_attachments(factor):
    from satupintu.reporting.models import Attachment

    made = 0
    for attachment in list(Attachment.objects.all()):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        for _copy in range(2, factor + 1):
            clone = Attachment(
                submission=attachment.submission,
                field_key=attachment.field_key,
                name=attachment.name,
                size=attachment.size,
                content_type=attachment.content_type,
                sha256=attachment.sha256,
            )
            clone.file.save(attachment.name, ContentFile(content), save=True)
            made += 1
    return made


def cmd_multiply(args):
    datasets = _copy_datasets(args.factor)
    images, documents = _copy_media(args.factor)
    attachments = _copy_attachments(args.factor)
    emit(
        {"datasets": datasets, "images": images, "documents": documents, "attachments": attachments}
    )


def cmd_status(args):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from satupintu.backup.archive import file_roots
    from satupintu.citizens.models import Citizen
    from satupintu.datacatalog.models import Dataset, ResourceVersion
    from satupintu.reporting.models import Submission
    from satupintu.search.models import Entry

    files, size = 0, 0
    digest = hashlib.sha256()
    for name, root in sorted(file_roots().items()):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files += 1
            size += path.stat().st_size
            digest.update(f"{name}/{path.relative_to(root)}".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    tables = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'datastore'"
            if connection.vendor == "postgresql"
            else "SELECT count(*) FROM sqlite_master WHERE name LIKE 'datastore_%'"
        )
        tables = cursor.fetchone()[0]
        size_sql = (
            "SELECT pg_database_size(current_database())"
            if connection.vendor == "postgresql"
            else "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        )
        cursor.execute(size_sql)
        db_bytes = cursor.fetchone()[0]
    emit(
        {
            "pages": Page.objects.count(),
            "live_pages": Page.objects.live().count(),
            "users": get_user_model().objects.count(),
            "citizens": Citizen.objects.count(),
            "datasets": Dataset.objects.count(),
            "versions": ResourceVersion.objects.count(),
            "datastore_tables": tables,
            "reports": Submission.objects.count(),
            "search_entries": Entry.objects.count(),
            "files": files,
            "file_bytes": size,
            "files_digest": digest.hexdigest(),
            "database_bytes": db_bytes,
        }
    )


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    multiply = sub.add_parser("multiply")
    multiply.add_argument("--factor", type=int, default=10)
    sub.add_parser("status")
    args = parser.parse_args()
    {"multiply": cmd_multiply, "status": cmd_status}[args.command](args)


if __name__ == "__main__":
    main()
