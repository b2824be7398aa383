"""An operator fills in, saves and sends; the verifikator approves or returns; corrections
open a new revision; every step is in the history. Bad input is refused with a message and
the stored draft does not change."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.reporting.models import Attachment, Submission, SubmissionEvent

from .conftest import APRIL, TODAY, fill_url, valid_post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0), tick=False):
        yield


def _submission(report_type, portal):
    return Submission.objects.get(report_type=report_type, opd=portal.a, period_start=APRIL.start)


def test_operator_saves_a_draft_then_sends_it(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    url = fill_url(report_type, portal.a)
    page = client.get(url)
    assert page.status_code == 200 and "Jumlah peserta" in page.content.decode()

    saved = client.post(url, valid_post(peserta="", tanggal=""))  # a draft may be incomplete
    assert saved.status_code == 302
    submission = _submission(report_type, portal)
    assert submission.status == "draf" and submission.data["kegiatan"] == "Posyandu lansia"
    assert submission.data["anggaran"] == "2500000"
    assert submission.data["rincian"] == [{"desa": "Sidoharjo", "jumlah": "40"}]

    # Sending requires every required field.
    refused = client.post(url, valid_post(peserta="", lock=str(submission.lock), _submit="1"))
    assert refused.status_code == 400
    assert "Wajib diisi" in refused.content.decode() or "wajib" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == "draf"

    sent = client.post(url, valid_post(lock=str(submission.lock), _submit="1"))
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "dikirim" and submission.data["peserta"] == "1250"
    assert submission.first_submitted_at is not None
    actions = list(submission.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["dibuat", "disimpan", "dikirim"]
    assert submission.events.get(action="dikirim").snapshot["peserta"] == "1250"

    # Once sent, the form is closed to silent edits.
    again = client.post(url, valid_post(kegiatan="Diubah diam-diam", lock=str(submission.lock)))
    assert again.status_code == 302 and again["Location"].endswith(
        reverse("reporting_submission", args=[submission.pk])
    )
    submission.refresh_from_db()
    assert submission.data["kegiatan"] == "Posyandu lansia"


def _sent(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    client.post(fill_url(report_type, portal.a), valid_post(_submit="1"))
    return _submission(report_type, portal)


def test_verifikator_returns_with_a_reason_then_approves(portal, report_type, client_for):
    submission = _sent(portal, report_type, client_for)
    verifier = client_for(portal.verifier_a)
    decide = reverse("reporting_decide", args=[submission.pk])
    no_reason = verifier.post(decide, {"decision": "return", "comment": "  "})
    assert no_reason.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "dikirim"
    verifier.post(decide, {"decision": "return", "comment": "Jumlah peserta tidak cocok"})
    submission.refresh_from_db()
    assert submission.status == "dikembalikan" and submission.comment

    operator = client_for(portal.operator_a)
    page = operator.get(fill_url(report_type, portal.a)).content.decode()
    assert "Jumlah peserta tidak cocok" in page
    operator.post(
        fill_url(report_type, portal.a),
        valid_post(peserta="1.200", lock=str(submission.lock), _submit="1"),
    )
    submission.refresh_from_db()
    assert submission.status == "dikirim"

    verifier = client_for(portal.verifier_a)
    verifier.post(decide, {"decision": "approve", "comment": "Sesuai"})
    submission.refresh_from_db()
    assert submission.status == "disetujui" and submission.decided_by == portal.verifier_a
    detail = verifier.get(reverse("reporting_submission", args=[submission.pk])).content.decode()
    assert "Sesuai" in detail and "1.200" in detail


def test_operators_cannot_approve_and_verifiers_cannot_fill(portal, report_type, client_for):
    submission = _sent(portal, report_type, client_for)
    operator = client_for(portal.operator_a)
    operator.post(reverse("reporting_decide", args=[submission.pk]), {"decision": "approve"})
    submission.refresh_from_db()
    assert submission.status == "dikirim"
    verifier = client_for(portal.verifier_a)
    assert verifier.get(fill_url(report_type, portal.a)).status_code == 302  # read-only view
    other_period = fill_url(report_type, portal.a, period=report_type.period_from_key("2026-03"))
    assert verifier.get(other_period).status_code == 404
    assert verifier.post(other_period, valid_post()).status_code == 404
    assert not Submission.objects.filter(period_start=datetime.date(2026, 3, 1)).exists()


def test_correction_after_approval_keeps_the_history(portal, report_type, client_for):
    submission = _sent(portal, report_type, client_for)
    client_for(portal.verifier_a).post(
        reverse("reporting_decide", args=[submission.pk]), {"decision": "approve"}
    )
    operator = client_for(portal.operator_a)
    correct = reverse("reporting_correct", args=[submission.pk])
    operator.post(correct, {"reason": ""})
    submission.refresh_from_db()
    assert submission.status == "disetujui"
    operator.post(correct, {"reason": "Salah ketik jumlah peserta"})
    submission.refresh_from_db()
    assert submission.status == "draf" and submission.revision == 2
    operator.post(
        fill_url(report_type, portal.a),
        valid_post(peserta="1.300", lock=str(submission.lock), _submit="1"),
    )
    submission.refresh_from_db()
    approvals = SubmissionEvent.objects.filter(submission=submission, action="disetujui")
    assert approvals.get().snapshot["peserta"] == "1250"  # revision 1 as approved
    assert submission.data["peserta"] == "1300" and submission.status == "dikirim"
    reasons = submission.events.filter(action="dikoreksi").values_list("comment", flat=True)
    assert list(reasons) == ["Salah ketik jumlah peserta"]


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"peserta": "seribu"}, "bukan angka"),
        ({"peserta": "12,5"}, "bilangan bulat"),
        ({"peserta": "-3"}, "Paling kecil"),
        ({"tanggal": "2026-05-02"}, "di dalam periode laporan"),
        ({"pelaksanaan": "Batal"}, "pilihan yang valid"),
        ({"t_rincian-0-jumlah": "x"}, "Baris 1"),
    ],
)
def test_bad_input_is_refused_and_the_draft_kept(portal, report_type, client_for, changes, message):
    client = client_for(portal.operator_a)
    url = fill_url(report_type, portal.a)
    client.post(url, valid_post())
    submission = _submission(report_type, portal)
    before = dict(submission.data)
    response = client.post(url, valid_post(lock=str(submission.lock), **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    # The operator's input is shown again.
    for value in changes.values():
        assert value in body
    submission.refresh_from_db()
    assert submission.data == before


def test_table_rows_are_added_and_removed_without_saving(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    url = fill_url(report_type, portal.a)
    added = client.post(url, valid_post(_add_row="t_rincian"))
    assert added.status_code == 200
    body = added.content.decode()
    assert 'name="t_rincian-1-desa"' in body and "Sidoharjo" in body
    assert not Submission.objects.exists()
    removed = client.post(
        url,
        valid_post(
            **{"t_rincian-rows": "2", "t_rincian-1-desa": "Made", "t_rincian-1-jumlah": "3"},
            _remove_row="t_rincian:0",
        ),
    )
    body = removed.content.decode()
    assert "Made" in body and "Sidoharjo" not in body


def test_attachments_are_checked_kept_private_and_served_to_the_opd_only(
    portal, report_type, client_for
):
    client = client_for(portal.operator_a)
    url = fill_url(report_type, portal.a)
    fake = SimpleUploadedFile("foto.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post(url, {**valid_post(), "dokumen": fake})
    assert response.status_code == 400 and "tidak sesuai" in response.content.decode()
    assert not Attachment.objects.exists()

    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * 2048, "application/pdf")
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings

        patch.setattr(settings, "SATUPINTU_MAX_REPORT_FILE_BYTES", 1024)
        response = client.post(url, {**valid_post(), "dokumen": big})
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()

    good = SimpleUploadedFile("notulen.pdf", PDF, "application/pdf")
    assert client.post(url, {**valid_post(), "dokumen": good}).status_code == 302
    attachment = Attachment.objects.get()
    assert "notulen" not in attachment.file.name and not attachment.file.name.startswith("/")
    from django.conf import settings as live

    assert str(live.MEDIA_ROOT) not in attachment.file.path
    download = reverse("reporting_attachment", args=[attachment.submission_id, attachment.pk])
    served = client.get(download)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in served["Content-Disposition"]
    assert client_for(portal.operator_b).get(download).status_code == 404


def test_a_save_after_someone_elses_is_refused_with_both_kept(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    url = fill_url(report_type, portal.a)
    client.post(url, valid_post())
    submission = _submission(report_type, portal)
    opened = str(submission.lock)
    client.post(url, valid_post(kegiatan="Versi rekan kerja", lock=opened))
    late = client.post(url, valid_post(kegiatan="Versi saya", lock=opened))
    assert late.status_code == 409
    body = late.content.decode()
    assert "Versi saya" in body and "setelah Anda membukanya" in body
    submission.refresh_from_db()
    assert submission.data["kegiatan"] == "Versi rekan kerja"


def test_future_periods_and_other_opd_types_are_not_open(portal, report_type, client_for):
    client = client_for(portal.operator_a)
    june = report_type.period_from_key("2026-06")
    assert client.get(fill_url(report_type, portal.a, june)).status_code == 404
    may = report_type.period_from_key("2026-05")  # running now: may be reported early
    assert client.get(fill_url(report_type, portal.a, may)).status_code == 200
    report_type.opd_types = ["kecamatan"]
    report_type.save()
    assert client.get(fill_url(report_type, portal.a)).status_code == 404
    assert TODAY.month == 5
