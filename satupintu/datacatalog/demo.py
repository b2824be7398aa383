"""Demo datasets for Satu Data, so a fresh install has a catalog to browse, preview, chart and
map, and a queue to work through.

Real figures first, each with its source in the metadata:
- desa and kelurahan per kecamatan, counted from the region table (the Kepmendagri list the
  regency was loaded from), for whatever regency is configured;
- the regency's headline figures (population, area, villages) from data/facts_<code>.json,
  which exists only for the regencies someone has checked (Lamongan, 35.24);
- the list of every desa/kelurahan with its codes, left "diajukan" for the Walidata to verify.
Population and area per kecamatan are not included: no BPS table for them could be checked.

Then generated figures, clearly labelled: the title starts with "[DATA CONTOH]", the
description says the numbers are generated, and the tag is "data-contoh". They exist so the
preview, the chart and the kecamatan map have something to draw; one is left as a draft with
metadata missing, for a new operator to complete and send through verification. When the
Pelaporan demo has approved reports, one summary of them is published the way Kominfo would
(`from_reports.publish_aggregate`); its figures are as invented as those reports.

Everything goes through the workflow (create, upload, load, submit, verify), acted by one demo
account that cannot sign in ("tim.data.demo", no password, inactive), added to the producing
OPDs' groups and to Kominfo's, so the history shows who prepared the demo. Safe to run again:
datasets are matched by name and an existing one is left as it is.
"""

import datetime
import io
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from satupintu.opd.models import OPD
from satupintu.opd.provisioning import ensure_kominfo_group
from satupintu.regency.models import RegencySettings, Region

from . import workflow
from .from_reports import SAMPLE_PREFIX, SAMPLE_TAG
from .models import Dataset, DatasetEvent, Frequency, Resource, Topic

DATA = Path(__file__).parent / "data"
SEED = 3524
DEMO_USER = "tim.data.demo"
SAMPLE_NOTE = (
    "Data contoh untuk demonstrasi portal: angkanya dibangkitkan acak dengan benih tetap, "
    "bukan data resmi."
)

TOPICS = [
    ("kependudukan", "Kependudukan"),
    ("pemerintahan", "Pemerintahan"),
    ("kesehatan", "Kesehatan"),
    ("wilayah", "Wilayah"),
    ("lingkungan-hidup", "Lingkungan Hidup"),
]

# Who produces what, by preference; another regency's OPD list may lack some, see `_producer`.
GOVERNMENT = ["setda", "bappeda", "diskominfo"]
POPULATION = ["disdukcapil", "setda"]
PLANNING = ["bappeda", "setda", "diskominfo"]
HEALTH = ["dinkes"]
ENVIRONMENT = ["dlh"]
REPORTING = ["diskominfo"]

NAMES = {
    "districts": "jumlah-desa-kelurahan-per-kecamatan",
    "villages": "daftar-desa-kelurahan",
    "visits": "data-contoh-kunjungan-puskesmas-per-kecamatan",
    "waste": "data-contoh-sampah-terangkut-per-kecamatan",
    "posyandu": "data-contoh-posyandu-aktif-per-kecamatan",
}


# --- People and places ------------------------------------------------------------------------


def _demo_user(producers):
    """The account the demo acts as: no password, inactive, so it can never sign in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USER,
        defaults={"first_name": "Tim Demo Satu Data", "email": f"{DEMO_USER}@demo.invalid"},
    )
    if created:
        user.set_unusable_password()
        user.is_active = False
        user.save()
    user.groups.add(ensure_kominfo_group())
    for opd in producers:
        user.groups.add(opd.operator_group, opd.verifier_group)
    return user


def _producer(opds, slugs):
    by_slug = {opd.slug: opd for opd in opds}
    for slug in slugs:
        if slug in by_slug:
            return by_slug[slug]
    others = sorted(
        (o for o in opds if o.type != OPD.Type.KECAMATAN), key=lambda o: (o.type, o.name)
    )
    return (others or sorted(opds, key=lambda o: o.name))[0]


def _topics() -> dict[str, Topic]:
    return {
        name: Topic.objects.get_or_create(name=name, defaults={"title": title})[0]
        for name, title in TOPICS
    }


def _districts():
    """Kecamatan with their desa and kelurahan counts, in Kemendagri order."""
    return list(
        Region.objects.filter(level=Region.Level.DISTRICT)
        .annotate(
            desa=Count("children", filter=Q(children__kind=Region.Kind.DESA)),
            kelurahan=Count("children", filter=Q(children__kind=Region.Kind.KELURAHAN)),
        )
        .order_by("kemendagri_code")
    )


def _contact(opd) -> str:
    return opd.email or RegencySettings.load().email or f"data.{opd.slug}@demo.invalid"


def _csv(header, rows) -> bytes:
    import csv

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


# --- The workflow -----------------------------------------------------------------------------


def _build(user, opd, name, *, csv, topics, regions, text_columns=(), until, **fields):
    """One dataset through the producer's steps and, `until` allowing, the Walidata's:
    "draf", "diajukan" or "terbit"."""
    dataset = Dataset(opd=opd, name=name, created_by=user, **fields)
    dataset.full_clean()
    dataset.save()
    dataset.topics.set(topics)
    dataset.regions.set(regions)
    workflow.record(dataset, user, DatasetEvent.Action.CREATED, "Data demo.")
    resource = Resource.objects.create(dataset=dataset, name="Tabel utama")
    version = workflow.add_version(
        user, resource, SimpleUploadedFile(f"{name}.csv", csv, content_type="text/csv")
    )
    types = [
        "text" if column["id"] in text_columns else column["type"] for column in version.columns
    ]
    report = workflow.load(user, version, types)
    if not report.ok:
        raise ValueError(f"demo dataset {name} did not load: {report.errors[:3]}")
    dataset.refresh_from_db()
    if until in ("diajukan", "terbit"):
        workflow.submit(user, dataset)
    if until == "terbit":
        workflow.verify(user, dataset)
    dataset.refresh_from_db()
    return dataset


def _common(opd, regency):
    return {
        "contact_name": opd.name,
        "contact_email": _contact(opd),
        "regions": [regency] if regency else [],
    }


# --- The datasets -----------------------------------------------------------------------------


def _districts_dataset(user, opd, regency, topics, districts):
    source = regency.source if regency else districts[0].source
    source_date = regency.source_date if regency else districts[0].source_date
    rows = [
        [d.kemendagri_code, d.bps_code, d.name, d.desa, d.kelurahan, d.desa + d.kelurahan]
        for d in districts
    ]
    header = [
        "kode_kecamatan",
        "kode_bps_kecamatan",
        "kecamatan",
        "jumlah_desa",
        "jumlah_kelurahan",
        "jumlah_desa_kelurahan",
    ]
    settings = RegencySettings.load()
    return _build(
        user,
        opd,
        NAMES["districts"],
        csv=_csv(header, rows),
        text_columns={"kode_kecamatan", "kode_bps_kecamatan"},
        topics=[topics["pemerintahan"], topics["wilayah"]],
        until="terbit",
        title=f"Jumlah desa dan kelurahan per kecamatan, {settings.name}"[:200],
        notes=(
            f"Banyaknya desa dan kelurahan di setiap kecamatan {settings.name}, dihitung dari "
            f"daftar wilayah administrasi yang dimuat portal ({source}). Kode BPS kosong bila "
            "tabel padanan BPS belum dimuat."
        ),
        concept="Pembagian wilayah administrasi pemerintahan di bawah kecamatan.",
        definition=(
            "Desa dan kelurahan yang tercantum dalam daftar kode wilayah Kemendagri, dihitung "
            "per kecamatan induknya. Desa dipimpin kepala desa; kelurahan adalah perangkat "
            "kecamatan yang dipimpin lurah."
        ),
        classification="Kode wilayah Kemendagri; kode wilayah BPS",
        measure="jumlah desa dan kelurahan",
        unit="wilayah",
        frequency=Frequency.IRREGULAR,
        temporal_start=source_date,
        temporal_end=datetime.date(source_date.year, 12, 31),
        source=source[:500],
        source_url="https://github.com/cahyadsn/wilayah",
        tags=["desa", "kelurahan", "kecamatan", "wilayah administrasi"],
        **_common(opd, regency),
    )


def _villages_dataset(user, opd, regency, topics):
    villages = (
        Region.objects.filter(level=Region.Level.VILLAGE)
        .select_related("parent")
        .order_by("kemendagri_code")
    )
    rows = [
        [
            v.kemendagri_code,
            v.bps_code,
            v.name,
            v.get_kind_display(),
            v.parent.kemendagri_code if v.parent_id else "",
            v.parent.name if v.parent_id else "",
        ]
        for v in villages
    ]
    if not rows:
        return None
    first = villages[0]
    settings = RegencySettings.load()
    header = ["kode_wilayah", "kode_bps", "nama", "jenis", "kode_kecamatan", "kecamatan"]
    return _build(
        user,
        opd,
        NAMES["villages"],
        csv=_csv(header, rows),
        text_columns={"kode_wilayah", "kode_bps", "kode_kecamatan"},
        topics=[topics["pemerintahan"], topics["wilayah"]],
        until="diajukan",
        title=f"Daftar desa dan kelurahan beserta kode wilayah, {settings.name}"[:200],
        notes=(
            f"Setiap desa dan kelurahan di {settings.name} dengan kode wilayah Kemendagri, "
            f"kode BPS (bila padanannya sudah dimuat) dan kecamatannya. Sumber: {first.source}."
        ),
        concept="Kode referensi wilayah administrasi untuk Satu Data.",
        definition=(
            "Kode wilayah Kemendagri 13 karakter (desa 2NNN, kelurahan 1NNN pada bagian akhir) "
            "dan kode BPS 10 digit bagi wilayah yang sama."
        ),
        classification="Kode wilayah Kemendagri; kode wilayah BPS",
        measure="daftar wilayah administrasi",
        unit="wilayah",
        frequency=Frequency.IRREGULAR,
        temporal_start=first.source_date,
        temporal_end=datetime.date(first.source_date.year, 12, 31),
        source=first.source[:500],
        source_url="https://github.com/cahyadsn/wilayah",
        tags=["kode wilayah", "desa", "kelurahan"],
        **_common(opd, regency),
    )


def regency_facts(code: str) -> dict | None:
    """The checked headline figures of the regency `code`, if someone has compiled them."""
    path = DATA / f"facts_{code}.json"
    if not path.is_file():
        return None
    facts = json.loads(path.read_text(encoding="utf-8"))
    return facts if facts.get("regency_code") == code else None


def _facts_dataset(user, opd, regency, topics, facts):
    return _build(
        user,
        opd,
        facts["name"],
        csv=_csv(facts["columns"], facts["rows"]),
        text_columns={"satuan", "sumber"},
        topics=[topics["kependudukan"], topics["wilayah"]],
        until="terbit",
        title=facts["title"],
        notes=facts["notes"],
        concept=facts["concept"],
        definition=facts["definition"],
        classification=facts["classification"],
        measure=facts["measure"],
        unit=facts["unit"],
        frequency=Frequency.ANNUAL,
        temporal_start=datetime.date.fromisoformat(facts["temporal_start"]),
        temporal_end=datetime.date.fromisoformat(facts["temporal_end"]),
        source=facts["source"],
        source_url=facts["source_url"],
        tags=["penduduk", "luas wilayah", "desa"],
        **_common(opd, regency),
    )


def _sample_fields(title, notes, year, **fields):
    return {
        "title": f"{SAMPLE_PREFIX} {title}"[:200],
        "notes": f"{SAMPLE_NOTE} {notes}",
        "source": "Dibangkitkan oleh demo Satu Pintu (data contoh, bukan data resmi)",
        "temporal_start": datetime.date(year, 1, 1),
        "temporal_end": datetime.date(year, 12, 31),
        **fields,
    }


def _visits_dataset(user, opd, regency, topics, districts, year):
    rng = random.Random(f"{SEED}:kunjungan")  # noqa: S311 (sample data)
    rows = []
    for district in districts:
        base = max(district.desa + district.kelurahan, 1) * rng.randint(260, 420)
        for month in range(1, 13):
            season = 1.12 if month in (1, 2, 3, 11, 12) else 1.0  # the rainy season
            visits = round(base * season * rng.uniform(0.9, 1.1))
            rows.append(
                [
                    datetime.date(year, month, 1).isoformat(),
                    district.kemendagri_code,
                    district.name,
                    visits,
                ]
            )
    return _build(
        user,
        opd,
        NAMES["visits"],
        csv=_csv(["bulan", "kode_kecamatan", "kecamatan", "kunjungan"], rows),
        text_columns={"kode_kecamatan"},
        topics=[topics["kesehatan"]],
        until="terbit",
        **_sample_fields(
            "Kunjungan rawat jalan puskesmas per kecamatan, per bulan",
            "Kunjungan pasien rawat jalan di puskesmas setiap kecamatan, per bulan.",
            year,
            concept="Pemanfaatan layanan kesehatan tingkat pertama.",
            definition="Banyaknya kunjungan pasien rawat jalan (baru dan lama) ke puskesmas "
            "dan jaringannya di kecamatan itu dalam sebulan.",
            classification="Kode wilayah kecamatan Kemendagri",
            measure="jumlah kunjungan rawat jalan",
            unit="kunjungan",
            frequency=Frequency.MONTHLY,
            tags=[SAMPLE_TAG, "puskesmas", "kunjungan"],
        ),
        **_common(opd, regency),
    )


def _waste_dataset(user, opd, regency, topics, districts, year):
    rng = random.Random(f"{SEED}:sampah")  # noqa: S311 (sample data)
    rows = [
        [
            d.kemendagri_code,
            d.name,
            year,
            f"{(d.desa * rng.uniform(180, 320) + d.kelurahan * rng.uniform(600, 900)):.1f}",
        ]
        for d in districts
    ]
    return _build(
        user,
        opd,
        NAMES["waste"],
        csv=_csv(["kode_kecamatan", "kecamatan", "tahun", "sampah_terangkut_ton"], rows),
        text_columns={"kode_kecamatan"},
        topics=[topics["lingkungan-hidup"]],
        until="terbit",
        **_sample_fields(
            "Sampah terangkut per kecamatan",
            "Berat sampah yang diangkut ke tempat pemrosesan akhir dari setiap kecamatan "
            "dalam setahun.",
            year,
            concept="Layanan pengangkutan sampah.",
            definition="Berat sampah (ton) yang ditimbang masuk tempat pemrosesan akhir, "
            "menurut kecamatan asal armada.",
            classification="Kode wilayah kecamatan Kemendagri",
            measure="berat sampah terangkut",
            unit="ton",
            frequency=Frequency.ANNUAL,
            tags=[SAMPLE_TAG, "sampah"],
        ),
        **_common(opd, regency),
    )


def _posyandu_draft(user, opd, regency, topics, districts, year):
    """A draft with its concept, definition and unit still empty: what a new operator
    completes before the verifikator can submit it."""
    rng = random.Random(f"{SEED}:posyandu")  # noqa: S311 (sample data)
    rows = [
        [d.kemendagri_code, d.name, year, max(d.desa + d.kelurahan, 1) * rng.randint(3, 6)]
        for d in districts
    ]
    return _build(
        user,
        opd,
        NAMES["posyandu"],
        csv=_csv(["kode_kecamatan", "kecamatan", "tahun", "posyandu_aktif"], rows),
        text_columns={"kode_kecamatan"},
        topics=[topics["kesehatan"]],
        until="draf",
        **_sample_fields(
            "Posyandu aktif per kecamatan",
            "Banyaknya posyandu yang aktif di setiap kecamatan.",
            year,
            measure="jumlah posyandu aktif",
            frequency=Frequency.ANNUAL,
            tags=[SAMPLE_TAG, "posyandu"],
        ),
        **_common(opd, regency),
    )


def _reports_dataset(user, opd):
    """One summary of the Pelaporan demo's approved reports, published as Kominfo would."""
    from django.core.exceptions import ValidationError

    from satupintu.reporting import aggregate
    from satupintu.reporting.demo import ACTIVITY_SLUG
    from satupintu.reporting.models import PublishedAggregate, ReportType

    from . import from_reports

    report_type = ReportType.objects.filter(slug=ACTIVITY_SLUG).first()
    if report_type is None:
        return None
    item, _created = PublishedAggregate.objects.get_or_create(
        report_type=report_type,
        title=f"{SAMPLE_PREFIX} Peserta kegiatan OPD per kecamatan (rekap Pelaporan)",
        defaults={
            "path": "jumlah_peserta",
            "grouping": aggregate.BY_DISTRICT,
            "function": aggregate.SUM,
            "months": 12,
            "description": f"{SAMPLE_NOTE} Direkap dari laporan kegiatan contoh demo Pelaporan.",
        },
    )
    if from_reports.dataset_for(item) is not None:
        return None
    try:
        return from_reports.publish_aggregate(user, item, opd)
    except ValidationError:
        return None  # no approved report in the window yet: nothing to publish


# --- Entry point ------------------------------------------------------------------------------


@transaction.atomic
def seed_datasets(opds, today: datetime.date | None = None) -> list[Dataset]:
    """Create the demo datasets that do not exist yet; returns those created."""
    opds = [o for o in opds if o.pk and o.operator_group_id and o.verifier_group_id]
    districts = _districts()
    if not opds or not districts:
        return []
    today = today or timezone.localdate()
    year = today.year - 1  # the last full year
    regency = Region.objects.filter(level=Region.Level.REGENCY).first()
    topics = _topics()
    facts = regency_facts(RegencySettings.load().kemendagri_code)
    producers = {
        "government": _producer(opds, GOVERNMENT),
        "population": _producer(opds, POPULATION),
        "planning": _producer(opds, PLANNING),
        "health": _producer(opds, HEALTH),
        "environment": _producer(opds, ENVIRONMENT),
        "reporting": _producer(opds, REPORTING),
    }
    user = _demo_user(set(producers.values()))
    existing = set(Dataset.objects.values_list("name", flat=True))
    plan = [
        (
            NAMES["districts"],
            lambda: _districts_dataset(user, producers["government"], regency, topics, districts),
        ),
        (
            NAMES["villages"],
            lambda: _villages_dataset(user, producers["population"], regency, topics),
        ),
        (
            NAMES["visits"],
            lambda: _visits_dataset(user, producers["health"], regency, topics, districts, year),
        ),
        (
            NAMES["waste"],
            lambda: _waste_dataset(
                user, producers["environment"], regency, topics, districts, year
            ),
        ),
        (
            NAMES["posyandu"],
            lambda: _posyandu_draft(user, producers["health"], regency, topics, districts, year),
        ),
    ]
    if facts is not None:
        plan.append(
            (
                facts["name"],
                lambda: _facts_dataset(user, producers["planning"], regency, topics, facts),
            )
        )
    created = []
    for name, build in plan:
        if name not in existing:
            dataset = build()
            if dataset is not None:
                created.append(dataset)
    dataset = _reports_dataset(user, producers["reporting"])
    if dataset is not None:
        created.append(dataset)
    return created
