"""Another OPD's people cannot read, fill, send, approve, return, correct, turn into news or
download any of OPD A's reports, whatever they post; the dashboard and its exports show an
OPD only its own reports. (tests/test_isolation.py also walks every reporting URL.)"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.reporting import workflow
from satupintu.reporting.models import Submission

from .conftest import APRIL, fill_url, valid_post

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def sent_a(portal, report_type, client):
    client.force_login(portal.operator_a)
    client.post(
        fill_url(report_type, portal.a),
        {
            **valid_post(kegiatan="RAHASIA-DINKES"),
            "dokumen": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        },
    )
    submission = Submission.objects.get(opd=portal.a)
    workflow.submit(portal.operator_a, submission)
    client.logout()
    submission.refresh_from_db()
    return submission


def _state(submission):
    submission = Submission.objects.get(pk=submission.pk)
    return (submission.status, submission.data, submission.revision, submission.events.count())


@pytest.mark.parametrize("role", ["operator_b", "verifier_b"])
def test_other_opd_cannot_touch_a_report(portal, report_type, sent_a, client, role):
    client.force_login(getattr(portal, role))
    before = _state(sent_a)
    pk = sent_a.pk
    attachment = sent_a.attachments.get()
    attempts = [
        ("get", fill_url(report_type, portal.a), None),
        ("post", fill_url(report_type, portal.a), valid_post(kegiatan="ditimpa", _submit="1")),
        ("get", reverse("reporting_submission", args=[pk]), None),
        ("post", reverse("reporting_decide", args=[pk]), {"decision": "approve"}),
        ("post", reverse("reporting_decide", args=[pk]), {"decision": "return", "comment": "x"}),
        ("post", reverse("reporting_correct", args=[pk]), {"reason": "x"}),
        ("post", reverse("reporting_move", args=[pk]), {}),
        ("post", reverse("reporting_news", args=[pk]), {}),
        ("get", reverse("reporting_attachment", args=[pk, attachment.pk]), None),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
    assert _state(sent_a) == before
    # Nor does B's own list, dashboard, export or home page show A's report.
    for url in (
        reverse("reporting_index"),
        reverse("reporting_dashboard") + "?jenis=" + report_type.slug,
        reverse("reporting_export_csv"),
        reverse("wagtailadmin_home"),
    ):
        body = client.get(url).content.decode("utf-8-sig")
        assert "RAHASIA-DINKES" not in body and "Dinas Kesehatan" not in body, url


def test_a_verifikator_of_b_cannot_decide_even_through_the_workflow_api(portal, sent_a):
    from django.core.exceptions import PermissionDenied

    for call in (
        lambda: workflow.approve(portal.verifier_b, sent_a),
        lambda: workflow.send_back(portal.verifier_b, sent_a, "x"),
        lambda: workflow.reopen(portal.operator_b, sent_a, "x"),
        lambda: workflow.save(
            portal.operator_b, sent_a.report_type, portal.a, APRIL, sent_a.version, {}
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_kominfo_reads_everything_and_changes_nothing(portal, report_type, sent_a, client):
    client.force_login(portal.kominfo)
    detail = client.get(reverse("reporting_submission", args=[sent_a.pk]))
    assert detail.status_code == 200 and "RAHASIA-DINKES" in detail.content.decode()
    dashboard = client.get(reverse("reporting_dashboard")).content.decode()
    assert "Dinas Kesehatan" in dashboard and "Dinas Lingkungan Hidup" in dashboard
    client.post(reverse("reporting_decide", args=[sent_a.pk]), {"decision": "approve"})
    sent_a.refresh_from_db()
    assert sent_a.status == "dikirim"  # approving is the OPD verifikator's job
