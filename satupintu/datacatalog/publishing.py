"""The package dict (CKAN's shape of a dataset) and the published layer built from it.

When the Walidata verifies a dataset, its package dict is computed once and stored with the
values `fq` filters on. Public readers never rebuild it, which keeps every search page a
constant number of queries and keeps an OPD's unverified edits out of public view.

Timestamps are naive UTC with exactly six fractional digits: harvesters compare
`metadata_modified` as a string (see ../shared/reference/ckan-compat.md).
"""

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from . import licenses
from .models import Dataset, PublishedDataset, PublishedTerm, Resource, ResourceVersion

FORMAT_MEDIA_TYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "JSON": "application/json",
    "PDF": "application/pdf",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "ZIP": "application/zip",
    "HTML": "text/html",
}


def ckan_time(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def absolute(path: str) -> str:
    return settings.SATUPINTU_BASE_URL + path


def public_path(name, *args) -> str:
    """Public URLs in the catalog's own language (Indonesian, no prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(f"datacatalog:{name}", args=args)


def regency_name() -> str:
    from satupintu.regency.models import RegencySettings

    regency = RegencySettings.load()
    return regency.name or ""


def organization_dict(opd) -> dict:
    return {
        "id": str(opd.uuid),
        "name": opd.slug,
        "title": opd.name,
        "type": "organization",
        "description": "",
        "image_url": "",
        "created": ckan_time(opd.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def topic_dict(topic) -> dict:
    return {
        "id": str(topic.id),
        "name": topic.name,
        "title": topic.title,
        "display_name": topic.title,
        "description": topic.description,
        "image_display_url": "",
    }


def resource_dict(resource: Resource, version: ResourceVersion | None, dataset: Dataset) -> dict:
    """A resource as CKAN shows it, for one version (the published one, or the current one
    for the OPD's own view)."""
    if resource.kind == Resource.Kind.LINK:
        url = resource.url
        fmt = (resource.format or "").upper()
        size = None
        modified = resource.created_at
    else:
        url = absolute(public_path("download", dataset.name, resource.id)) if version else ""
        fmt = (version.format if version else resource.format or "").upper()
        size = version.size if version else None
        modified = (version.loaded_at or version.created_at) if version else None
    return {
        "id": str(resource.id),
        "package_id": str(dataset.id),
        "name": resource.name,
        "description": resource.description,
        "url": url,
        "format": fmt,
        "mimetype": FORMAT_MEDIA_TYPES.get(fmt, version.media_type if version else None),
        "size": size,
        "hash": f"sha256:{version.sha256}" if version and version.sha256 else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(modified),
        "position": resource.position,
        "datastore_active": bool(version and version.datastore_active),
        "state": "active",
        "url_type": None,
    }


def extras(dataset: Dataset, verified_at=None) -> list[dict]:
    regions = [r.kemendagri_code for r in dataset.regions.all()]
    period = ""
    if dataset.temporal_start:
        period = (
            dataset.temporal_start.isoformat()
            + "/"
            + (dataset.temporal_end.isoformat() if dataset.temporal_end else "")
        )
    values = {
        "produsen_data": dataset.opd.name,
        "walidata": regency_name(),
        "konsep": dataset.concept,
        "definisi": dataset.definition,
        "klasifikasi": dataset.classification,
        "ukuran": dataset.measure,
        "satuan": dataset.unit,
        "frekuensi": dataset.frequency,
        "cakupan_waktu": period,
        "kode_wilayah": ",".join(regions),
        "sumber": dataset.source,
        "sumber_url": dataset.source_url,
        "data_prioritas": "ya" if dataset.priority else "tidak",
        "status_verifikasi": "terverifikasi" if verified_at else "belum diverifikasi",
        "tanggal_verifikasi": ckan_time(verified_at) or "",
        "asal_data": dataset.get_origin_display()
        if dataset.origin != Dataset.Origin.MANUAL
        else "",
    }
    if dataset.provenance.get("summary"):
        values["provenans"] = dataset.provenance["summary"]
    return [{"key": k, "value": str(v)} for k, v in sorted(values.items()) if v]


def package_dict(dataset: Dataset, *, published=False, modified=None) -> dict:
    """The dataset as CKAN's package dict. `published` picks each resource's verified
    version (what the public gets); otherwise the current one (the OPD's own view)."""
    license_ = licenses.get(dataset.license_id)
    topics = list(dataset.topics.all())
    resources = []
    for resource in dataset.resources.select_related("current", "public_version"):
        version = resource.public_version if published else resource.current
        if published and resource.kind == Resource.Kind.UPLOAD and version is None:
            continue  # added after the last verification
        resources.append(resource_dict(resource, version, dataset))
    tags = [{"name": t, "display_name": t, "state": "active"} for t in dataset.tags]
    modified = modified or dataset.updated_at
    return {
        "id": str(dataset.id),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active",
        "private": dataset.private,
        "owner_org": str(dataset.opd.uuid),
        "organization": organization_dict(dataset.opd),
        "license_id": license_.id,
        "license_title": license_.title,
        "license_url": license_.url,
        "isopen": license_.open,
        "url": absolute(public_path("dataset", dataset.name)),
        "version": str(dataset.revision),
        "author": dataset.opd.name,
        "author_email": dataset.opd.email or "",
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(modified),
        "tags": tags,
        "extras": extras(dataset, verified_at=modified if published else None),
        "groups": [topic_dict(t) for t in topics],
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def _terms(package: dict) -> list[tuple[str, str]]:
    terms = [("organization", package["organization"]["name"])]
    terms += [("tags", t["name"]) for t in package["tags"]]
    terms += [("groups", g["name"]) for g in package["groups"]]
    terms += sorted({("res_format", r["format"]) for r in package["resources"] if r["format"]})
    terms += [("extras_" + e["key"], e["value"][:500]) for e in package["extras"]]
    return terms


def _search_text(package: dict) -> str:
    parts = [package["name"], package["title"], package["organization"]["title"]]
    parts += [t["name"] for t in package["tags"]]
    parts += [g["title"] for g in package["groups"]]
    parts.append(package["notes"] or "")
    return " ".join(parts).lower()


@transaction.atomic
def publish(dataset: Dataset, modified=None) -> PublishedDataset:
    """Freeze the dataset's verified state as its public package."""
    modified = modified or timezone.now()
    package = package_dict(dataset, published=True, modified=modified)
    row, _ = PublishedDataset.objects.update_or_create(
        dataset=dataset,
        defaults={
            "name": dataset.name,
            "title": dataset.title,
            "opd": dataset.opd,
            "license_id": dataset.license_id,
            "private": dataset.private,
            "metadata_created": dataset.created_at,
            "metadata_modified": modified,
            "package": json.dumps(package, ensure_ascii=False, separators=(",", ":")),
            "search_text": _search_text(package),
        },
    )
    row.terms.all().delete()
    PublishedTerm.objects.bulk_create(
        PublishedTerm(dataset=row, field=field, value=value) for field, value in _terms(package)
    )
    return row


def unpublish(dataset: Dataset) -> None:
    PublishedDataset.objects.filter(dataset=dataset).delete()


def republish_opd(opd) -> None:
    """The OPD's name or slug changed: its published packages embed it. The verified content
    is unchanged, so only the organization part is replaced (and the modification time moves,
    so that harvesters fetch the new name)."""
    now = timezone.now()
    for row in PublishedDataset.objects.filter(opd=opd):
        package = json.loads(row.package)
        organization = organization_dict(opd)
        if package["organization"] == organization and package["author"] == opd.name:
            continue
        package["organization"] = organization
        package["author"] = opd.name
        for extra in package["extras"]:
            if extra["key"] == "produsen_data":
                extra["value"] = opd.name
        package["metadata_modified"] = ckan_time(now)
        row.package = json.dumps(package, ensure_ascii=False, separators=(",", ":"))
        row.metadata_modified = now
        row.search_text = _search_text(package)
        row.save()
        row.terms.all().delete()
        PublishedTerm.objects.bulk_create(
            PublishedTerm(dataset=row, field=f, value=v) for f, v in _terms(package)
        )


def on_opd_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        republish_opd(instance)
