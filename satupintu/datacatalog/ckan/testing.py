"""Many published datasets at once, for the API's paging tests and its benchmark.

Publishing 10,000 datasets through the workflow would take an hour and measure nothing the API
does; these are bulk copies of one dataset that went through the real workflow, each with its
own ids, name, resources and filter terms, written the way `publishing.publish` writes them.
"""

import datetime
import json
import uuid

from django.db import transaction
from django.utils import timezone

from .. import publishing
from ..models import Dataset, PublishedDataset, PublishedTerm, Resource

BATCH = 1000


@transaction.atomic
def clone_published(
    template: Dataset,
    count: int,
    *,
    prefix: str = "salinan",
    opds=None,
    start: datetime.datetime | None = None,
    step: datetime.timedelta = datetime.timedelta(seconds=1),
) -> list[uuid.UUID]:
    """`count` published copies of the published `template`, named `<prefix>-00000`...,
    spread over `opds` in turn, modified at `start`, `start + step`, ... Returns their ids."""
    template_row = PublishedDataset.objects.get(pk=template.pk)
    base = json.loads(template_row.package)
    base_terms = [
        (f, v)
        for f, v in PublishedTerm.objects.filter(dataset=template_row).values_list("field", "value")
        if f != "organization"
    ]
    resources = list(template.resources.all())
    fields = [f.attname for f in Dataset._meta.concrete_fields]
    opds = list(opds or [template.opd])
    organizations = {opd.pk: publishing.organization_dict(opd) for opd in opds}
    moment = start or timezone.now()
    ids = []
    for offset in range(0, count, BATCH):
        datasets, rows, terms, copies = [], [], [], []
        for n in range(offset, min(count, offset + BATCH)):
            opd = opds[n % len(opds)]
            dataset = Dataset(**{f: getattr(template, f) for f in fields})
            dataset.id = uuid.uuid4()
            dataset.opd_id = opd.pk
            dataset.name = f"{prefix}-{n:05d}"
            dataset.title = f"{template.title} {n}"
            modified = moment + step * n
            dataset.updated_at = dataset.published_at = modified
            datasets.append(dataset)
            package = dict(base)
            package.update(
                id=str(dataset.id),
                name=dataset.name,
                title=dataset.title,
                owner_org=organizations[opd.pk]["id"],
                organization=organizations[opd.pk],
                url=publishing.absolute(publishing.public_path("dataset", dataset.name)),
                metadata_modified=publishing.ckan_time(modified),
                resources=[],
            )
            for resource, item in zip(resources, base["resources"], strict=False):
                copy = Resource(
                    id=uuid.uuid4(),
                    dataset=dataset,
                    name=resource.name,
                    kind=resource.kind,
                    url=resource.url,
                    format=resource.format,
                    position=resource.position,
                    current_id=resource.current_id,
                    public_version_id=resource.public_version_id,
                )
                copies.append(copy)
                package["resources"].append(
                    item
                    | {
                        "id": str(copy.id),
                        "package_id": str(dataset.id),
                        "url": publishing.absolute(
                            publishing.public_path("download", dataset.name, copy.id)
                        ),
                    }
                )
            rows.append(
                PublishedDataset(
                    dataset_id=dataset.id,
                    name=dataset.name,
                    title=dataset.title,
                    opd_id=opd.pk,
                    license_id=template_row.license_id,
                    private=template_row.private,
                    metadata_created=template_row.metadata_created,
                    metadata_modified=modified,
                    package=json.dumps(package, ensure_ascii=False, separators=(",", ":")),
                    search_text=publishing._search_text(package),
                )
            )
            terms.append(PublishedTerm(dataset_id=dataset.id, field="organization", value=opd.slug))
            terms += [PublishedTerm(dataset_id=dataset.id, field=f, value=v) for f, v in base_terms]
            ids.append(dataset.id)
        Dataset.objects.bulk_create(datasets)
        Resource.objects.bulk_create(copies)
        PublishedDataset.objects.bulk_create(rows)
        PublishedTerm.objects.bulk_create(terms)
    return ids
