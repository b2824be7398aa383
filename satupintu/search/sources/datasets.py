"""Datasets of Satu Data: only what the Walidata verified and made public.

Read from `PublishedDataset` (the verified layer), never from the dataset being edited,
so an unverified change cannot reach a result or a snippet.
"""

import json

from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ..index import Doc
from ..models import Kind

PREFIX = "dataset:"


def key(dataset_id) -> str:
    return f"{PREFIX}{dataset_id}"


def doc(published) -> Doc | None:
    if published.private:
        return None
    package = json.loads(published.package)
    tags = [t["name"] for t in package.get("tags", [])]
    groups = [g.get("title", "") for g in package.get("groups", [])]
    extras = {e["key"]: e["value"] for e in package.get("extras", [])}
    resources = package.get("resources", [])
    body = [package.get("notes") or ""]
    for resource in resources:
        body += [resource.get("name") or "", resource.get("description") or ""]
    body += _column_names(published)
    body += [extras.get(k, "") for k in ("konsep", "definisi", "ukuran", "satuan", "sumber")]
    notes = package.get("notes") or ""
    return Doc(
        key=key(published.dataset_id),
        kind=Kind.DATASET,
        title=published.title,
        url=reverse("datacatalog:dataset", args=[published.name]),
        summary=notes[:300],
        body=" ".join(filter(None, body)),
        keywords=" ".join(tags + [published.name.replace("-", " "), "data"]),
        context=" ".join(
            filter(
                None,
                [
                    package.get("organization", {}).get("title", ""),
                    *groups,
                    extras.get("cakupan_waktu", ""),
                ],
            )
        ),
        opd_id=published.opd_id,
        published_at=published.metadata_modified,
        boost=1.1,
    )


# Text values read from each verified table: "kecamatan babat" finds the table that has a
# row for Babat. Bounded: a million-row table costs one DISTINCT per text column.
VALUES_PER_COLUMN = 300
VALUES_PER_DATASET = 3000
MAX_VALUE_CHARS = 80


def _column_names(published) -> list[str]:
    """Column names and text values of the verified versions ("jumlah_penduduk", "Babat")."""
    from satupintu.datacatalog.models import Resource

    names, values = [], []
    for resource in Resource.objects.filter(dataset_id=published.dataset_id).select_related(
        "public_version"
    ):
        version = resource.public_version
        if not version:
            continue
        names += [str(c.get("id", "")).replace("_", " ") for c in version.columns or []]
        if version.datastore_active and len(values) < VALUES_PER_DATASET:
            values += _text_values(version)
    return names + values[:VALUES_PER_DATASET]


def _text_values(version) -> list[str]:
    from satupintu.datacatalog import datastore

    columns = [c["id"] for c in version.columns or [] if c.get("type") == datastore.TEXT]
    found = []
    try:
        # A savepoint: a table missing after a failed restore must not break the publish.
        with transaction.atomic(), connection.cursor() as cursor:
            table = datastore.table_name(version.key)
            for column in columns:
                quoted = datastore.quote_column(column)
                cursor.execute(
                    f"SELECT DISTINCT {quoted} FROM {table} "  # noqa: S608 -- quoted names
                    f"WHERE {quoted} IS NOT NULL LIMIT {VALUES_PER_COLUMN}"
                )
                found += [str(row[0])[:MAX_VALUE_CHARS] for row in cursor.fetchall()]
    except DatabaseError:
        return []
    return found


def all_docs():
    from satupintu.datacatalog.models import PublishedDataset

    for published in PublishedDataset.objects.public().order_by("pk").iterator():
        found = doc(published)
        if found:
            yield found
