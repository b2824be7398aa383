"""A monthly activity report every dinas must send, with one field of each kind, and helpers
to post its form the way a browser does."""

import datetime
import json

import pytest

from satupintu.reporting import periods

TODAY = datetime.date(2026, 5, 20)
APRIL = periods.containing(periods.MONTHLY, datetime.date(2026, 4, 1))


def stream(*fields):
    """Raw StreamField JSON for ReportType.fields: (type, value) pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in fields])


FIELDS = [
    ("text", {"label": "Nama kegiatan", "key": "kegiatan", "required": True}),
    ("long_text", {"label": "Uraian", "key": "uraian", "required": False}),
    (
        "number",
        {
            "label": "Jumlah peserta",
            "key": "peserta",
            "required": True,
            "unit": "orang",
            "decimals": 0,
            "min_value": "0",
            "max_value": None,
        },
    ),
    ("money", {"label": "Anggaran terpakai", "key": "anggaran", "required": False}),
    (
        "date",
        {"label": "Tanggal kegiatan", "key": "tanggal", "required": True, "within_period": True},
    ),
    (
        "choice",
        {
            "label": "Pelaksanaan",
            "key": "pelaksanaan",
            "required": True,
            "choices": ["Terlaksana", "Ditunda"],
            "multiple": False,
        },
    ),
    ("yesno", {"label": "Melibatkan warga", "key": "warga", "required": False}),
    ("file", {"label": "Dokumentasi", "key": "dokumen", "required": False}),
    (
        "table",
        {
            "label": "Rincian per desa",
            "key": "rincian",
            "required": False,
            "max_rows": 20,
            "columns": [
                {"type": "text", "value": {"label": "Desa", "key": "desa", "required": True}},
                {
                    "type": "number",
                    "value": {
                        "label": "Peserta",
                        "key": "jumlah",
                        "required": True,
                        "unit": "orang",
                        "decimals": 0,
                    },
                },
            ],
        },
    ),
]


@pytest.fixture
def report_type(portal):
    from satupintu.reporting.models import ReportType

    rt = ReportType.objects.create(
        name="Laporan kegiatan bulanan",
        slug="kegiatan-bulanan",
        kind=ReportType.Kind.ACTIVITY,
        period=periods.MONTHLY,
        first_period_start=datetime.date(2026, 1, 1),
        due_working_days=10,
        opd_types=["dinas"],
        fields=stream(*FIELDS),
    )
    rt.full_clean()
    rt.publish_form()
    return rt


def valid_post(**changes):
    data = {
        "kegiatan": "Posyandu lansia",
        "uraian": "Pemeriksaan tekanan darah",
        "peserta": "1.250",
        "anggaran": "Rp 2.500.000",
        "tanggal": "2026-04-14",
        "pelaksanaan": "Terlaksana",
        "warga": "ya",
        "t_rincian-rows": "1",
        "t_rincian-0-desa": "Sidoharjo",
        "t_rincian-0-jumlah": "40",
        "lock": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def fill_url(report_type, opd, period=APRIL):
    from django.urls import reverse

    return reverse("reporting_fill", args=[report_type.slug, opd.slug, period.key])
