"""Building datasets for tests through the real workflow (upload, load, submit, verify), so
that a test sees exactly what an OPD and the Walidata would have produced."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.regency.models import Region

from . import workflow
from .models import Dataset, Resource, Topic

SAMPLE_CSV = (
    b"kode_kecamatan,kecamatan,tahun,jumlah\n"
    b"35.24.01,Sukorame,2024,120\n"
    b"35.24.02,Bluluk,2024,95\n"
    b"35.24.03,Modo,2024,210\n"
)


def topic(name="kesehatan", title="Kesehatan") -> Topic:
    return Topic.objects.get_or_create(name=name, defaults={"title": title})[0]


def make_dataset(
    opd,
    operator,
    verifier=None,
    walidata=None,
    *,
    name="jumlah-contoh",
    title="Jumlah contoh per kecamatan",
    csv=SAMPLE_CSV,
    types=None,
    **fields,
) -> Dataset:
    """A complete dataset of `opd` with one CSV resource. Given a verifier it is submitted;
    given the Walidata too it is verified and published."""
    values = {
        "notes": "Data contoh untuk pengujian.",
        "concept": "Konsep contoh.",
        "definition": "Definisi contoh.",
        "measure": "jumlah",
        "unit": "unit",
        "frequency": "tahunan",
        "temporal_start": datetime.date(2024, 1, 1),
        "temporal_end": datetime.date(2024, 12, 31),
        "source": "Pengujian",
        "contact_name": "Petugas Data",
        "contact_email": "data@example.go.id",
        "tags": ["contoh"],
    } | fields
    dataset = Dataset.objects.create(opd=opd, name=name, title=title, created_by=operator, **values)
    dataset.topics.add(topic())
    regency = Region.objects.filter(level=Region.Level.REGENCY).first()
    if regency:
        dataset.regions.add(regency)
    resource = Resource.objects.create(dataset=dataset, name="Tabel utama")
    if csv is not None:
        version = workflow.add_version(
            operator, resource, SimpleUploadedFile("data.csv", csv, content_type="text/csv")
        )
        report = workflow.load(operator, version, types or [c["type"] for c in version.columns])
        assert report.ok, report.errors
    dataset.refresh_from_db()
    if verifier is not None:
        workflow.submit(verifier, dataset)
        if walidata is not None:
            workflow.verify(walidata, dataset)
    dataset.refresh_from_db()
    return dataset
