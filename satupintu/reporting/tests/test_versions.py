"""Changing a report's form never rewrites past reports: each save that changes it is a new
version; submissions keep theirs; a draft can move to the new one keeping what still fits."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from satupintu.reporting import workflow
from satupintu.reporting.models import FormVersion, Submission

from .conftest import APRIL, FIELDS, fill_url, stream, valid_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0), tick=False):
        yield


def _change_form(report_type, fields):
    report_type.fields = stream(*fields)
    report_type.full_clean()
    report_type.save()
    return report_type.publish_form()


def test_saving_an_unchanged_form_makes_no_new_version(report_type):
    first = report_type.current_version
    report_type.save()
    assert report_type.publish_form() == first
    assert FormVersion.objects.filter(report_type=report_type).count() == 1


def test_a_changed_form_leaves_sent_reports_on_their_version(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    client.post(fill_url(report_type, portal.a), valid_post(_submit="1"))
    sent = Submission.objects.get(opd=portal.a)
    v1 = sent.version
    # Kominfo renames a field, drops the table and adds a required one.
    changed = [f for f in FIELDS if f[1]["key"] != "rincian"]
    changed[0] = ("text", {"label": "Judul kegiatan", "key": "kegiatan", "required": True})
    changed.append(
        ("number", {"label": "Jumlah desa", "key": "desa", "required": True, "decimals": 0})
    )
    v2 = _change_form(report_type, changed)
    assert v2.number == 2 and report_type.current_version == v2
    sent.refresh_from_db()
    assert sent.version == v1 and sent.data["rincian"]  # untouched
    page = client.get(reverse("reporting_submission", args=[sent.pk])).content.decode()
    assert "Nama kegiatan" in page and "Rincian per desa" in page  # shown with its own form

    # A new period is filled in with version 2.
    march = report_type.period_from_key("2026-03")
    form = client.get(fill_url(report_type, portal.a, march)).content.decode()
    assert "Judul kegiatan" in form and "Jumlah desa" in form and "Rincian per desa" not in form


def test_a_draft_moves_to_the_new_form_keeping_what_still_fits(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    client.post(fill_url(report_type, portal.a), valid_post())
    draft = Submission.objects.get(opd=portal.a)
    changed = [f for f in FIELDS if f[1]["key"] not in ("peserta",)]
    changed.append(("text", {"label": "Peserta (uraian)", "key": "peserta", "required": False}))
    _change_form(report_type, changed)
    page = client.get(fill_url(report_type, portal.a)).content.decode()
    assert "Kominfo mengubah formulir ini" in page  # the draft stays on v1 until asked
    client.post(reverse("reporting_move", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.version.number == 2
    assert draft.data["kegiatan"] == "Posyandu lansia"
    assert "peserta" not in draft.data  # number → text: not carried over
    assert draft.data["rincian"] == [{"desa": "Sidoharjo", "jumlah": "40"}]
    assert draft.events.filter(action="versi").exists()


def test_a_form_change_while_someone_types_keeps_their_input(portal, report_type, client_for):
    """The operator opened the form on version 1; Kominfo publishes version 2; the operator
    saves: the draft is written with version 1 (what they saw), nothing is lost."""
    client = client_for(portal.operator_a)
    opened = client.get(fill_url(report_type, portal.a)).content.decode()
    version = report_type.current_version.pk
    assert f'name="version" value="{version}"' in opened
    _change_form(report_type, FIELDS + [("text", {"label": "Baru", "key": "baru"})])
    response = client.post(fill_url(report_type, portal.a), valid_post(version=str(version)))
    assert response.status_code == 302
    draft = Submission.objects.get(opd=portal.a)
    assert draft.version.number == 1 and draft.data["kegiatan"] == "Posyandu lansia"


def test_duplicate_keys_and_short_choices_are_refused(report_type):
    from django.core.exceptions import ValidationError

    report_type.fields = json.dumps(
        [
            {"type": "text", "value": {"label": "A", "key": "isi"}},
            {"type": "number", "value": {"label": "B", "key": "isi", "decimals": 0}},
            {"type": "choice", "value": {"label": "C", "choices": ["satu"]}},
        ]
    )
    with pytest.raises(ValidationError) as error:
        report_type.full_clean()
    text = " ".join(error.value.messages)
    assert "dipakai dua kali" in text


def test_keys_default_from_labels(report_type):
    report_type.fields = json.dumps(
        [{"type": "number", "value": {"label": "Jumlah KTP-el diterbitkan", "decimals": 0}}]
    )
    report_type.full_clean()
    version = report_type.publish_form()
    assert version.schema[0]["key"] == "jumlah_ktp_el_diterbitkan"


def test_kominfo_defines_a_report_type_in_the_admin(portal, client_for):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from satupintu.reporting.models import ReportType

    client = client_for(portal.kominfo)
    data = nested_form_data(
        {
            "name": "Laporan pengaduan bulanan",
            "slug": "pengaduan-bulanan",
            "description": "Rekap pengaduan yang diterima",
            "kind": "data",
            "period": "bulanan",
            "first_period_start": "2026-01-01",
            "due_working_days": "5",
            "active": "on",
            "fields": streamfield(
                [
                    (
                        "number",
                        {
                            "label": "Pengaduan diterima",
                            "key": "",
                            "required": "on",
                            "help_text": "",
                            "unit": "aduan",
                            "decimals": "0",
                            "min_value": "0",
                            "max_value": "",
                        },
                    ),
                    ("yesno", {"label": "Ada tindak lanjut", "key": "", "help_text": ""}),
                ]
            ),
        }
    )
    data["opd_types"] = ["dinas", "kecamatan"]  # a multiple choice, not a nested form
    response = client.post(reverse("jenis_laporan:add"), data)
    if response.status_code != 302:
        import re

        errors = re.findall(r'class="error-message"[^>]*>(.*?)</', response.content.decode(), re.S)
        raise AssertionError(errors or response.content.decode()[:2000])
    created = ReportType.objects.get(slug="pengaduan-bulanan")
    assert created.current_version.number == 1
    assert [f["key"] for f in created.current_version.schema] == [
        "pengaduan_diterima",
        "ada_tindak_lanjut",
    ]
    # Operators have no access to report types at all.
    operator = client_for(portal.operator_a)
    assert operator.get(reverse("jenis_laporan:index")).status_code in (302, 403, 404)
    assert workflow.is_operator(portal.operator_a, portal.a)
    assert APRIL.key == "2026-04"


def test_a_report_type_with_reports_is_switched_off_not_deleted(portal, report_type, client_for):
    from satupintu.reporting.models import ReportType

    client_for(portal.operator_a).post(fill_url(report_type, portal.a), valid_post())
    client = client_for(portal.kominfo)
    response = client.post(reverse("jenis_laporan:delete", args=[report_type.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("jenis_laporan:edit", args=[report_type.pk])
    assert ReportType.objects.filter(pk=report_type.pk).exists()
    unused = ReportType.objects.create(
        name="Tidak terpakai",
        slug="tidak-terpakai",
        period="tahunan",
        first_period_start=datetime.date(2026, 1, 1),
        opd_types=["dinas"],
    )
    client.post(reverse("jenis_laporan:delete", args=[unused.pk]))
    assert not ReportType.objects.filter(pk=unused.pk).exists()
