"""The demo's sample reports: every state the dashboard knows shows up, the activity report
shows two form versions, the contents are what an operator could have typed, and seeding
again adds nothing."""

import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify

from satupintu.reporting import compliance
from satupintu.reporting import obligations as obligation_rules
from satupintu.reporting.demo import ACTIVITY_SLUG, BUDGET_SLUG, SERVICES_SLUG, seed_reports
from satupintu.reporting.forms import ReportForm
from satupintu.reporting.models import FormVersion, ReportType, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)
Status = Submission.Status
Action = SubmissionEvent.Action


@pytest.fixture
def opds(portal):
    """The portal's two dinas and two kecamatan with their real desa."""
    from satupintu.opd.models import OPD
    from satupintu.opd.provisioning import provision_opd
    from satupintu.regency.models import Region

    kecamatan = []
    for district in Region.objects.filter(level=Region.Level.DISTRICT)[:2]:
        opd = OPD(
            name=f"Kecamatan {district.name}",
            acronym=f"Kec. {district.name}",
            slug=f"kecamatan-{slugify(district.name)}",
            type=OPD.Type.KECAMATAN,
            region=district,
        )
        provision_opd(opd)
        kecamatan.append(opd)
    return [portal.a, portal.b, *kecamatan]


def _counts():
    return (
        ReportType.objects.count(),
        FormVersion.objects.count(),
        Submission.objects.count(),
        SubmissionEvent.objects.count(),
    )


def _as_post(version, data) -> dict:
    """The stored contents typed back into the form, as a browser would post them."""
    post = {}
    for spec in version.schema:
        value = data.get(spec["key"])
        if spec["type"] == "table":
            post[f"t_{spec['key']}-rows"] = str(len(value or []))
            for index, row in enumerate(value or []):
                for key, cell in row.items():
                    post[f"t_{spec['key']}-{index}-{key}"] = cell
        elif value is not None:
            post[spec["key"]] = value
    return post


def test_demo_reports_show_every_state_and_both_form_versions(opds):
    created = seed_reports(opds, today=TODAY)
    assert created == Submission.objects.count() > 0
    types = {rt.slug: rt for rt in ReportType.objects.all()}
    assert set(types) == {ACTIVITY_SLUG, SERVICES_SLUG, BUDGET_SLUG}
    assert all("(contoh)" in rt.description for rt in types.values())

    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED}
    approved = Submission.objects.filter(status=Status.APPROVED).count()
    assert approved > Submission.objects.count() / 2  # most reports end approved

    # Kecamatan statistics only for kecamatan, with their own desa in the table.
    services = Submission.objects.filter(report_type=types[SERVICES_SLUG]).select_related("opd")
    assert services and {s.opd.type for s in services} == {"kecamatan"}
    for submission in services:
        villages = set(submission.opd.region.children.values_list("name", flat=True))
        assert {row["desa"] for row in submission.data["rincian_desa"]} == villages

    # Versioning: earlier months on the first form, later ones on the second.
    activity = types[ACTIVITY_SLUG]
    assert activity.current_version.number == 2
    used = Submission.objects.filter(report_type=activity).values_list(
        "period_start", "version__number"
    )
    assert {number for _start, number in used} == {1, 2}
    assert max(s for s, n in used if n == 1) <= min(s for s, n in used if n == 2)
    assert not any("sumber_dana" in s.data for s in Submission.objects.filter(version__number=1))

    # The history matches each row, as the workflow would have written it.
    returned_once = []
    for submission in Submission.objects.prefetch_related("events"):
        events = sorted(submission.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == Action.CREATED and events[0].at == submission.created_at
        assert all(e.user_id is None and e.user_name == "demo" for e in events)
        assert all(timezone.localdate(e.at) < TODAY for e in events)
        sent = [e for e in events if e.action == Action.SUBMITTED]
        assert [e.at for e in sent[:1]] == (
            [submission.first_submitted_at] if submission.first_submitted_at else []
        )
        for event in events:
            has_snapshot = event.action in (Action.SUBMITTED, Action.APPROVED)
            assert (event.snapshot is not None) == has_snapshot
        if submission.status == Status.APPROVED:
            assert events[-1].action == Action.APPROVED
            assert events[-1].snapshot == submission.data
        if submission.status == Status.RETURNED:
            assert events[-1].action == Action.RETURNED and submission.comment
            assert events[-1].comment == submission.comment
            assert sent[-1].snapshot == submission.data  # not corrected yet
        if any(e.action == Action.RETURNED for e in events):
            returned_once.append(submission)
            assert sent[0].snapshot != sent[-1].snapshot or len(sent) == 1
    # Some were corrected after being returned: the history keeps what was wrong.
    assert any(s.status == Status.APPROVED for s in returned_once)
    assert any(s.status == Status.RETURNED for s in returned_once)

    # Every report sent is one an operator could have sent through the form.
    for submission in Submission.objects.exclude(status=Status.DRAFT).select_related(
        "version", "report_type"
    ):
        post = _as_post(submission.version, submission.data)
        form = ReportForm(submission.version, submission.period, post, for_submit=True)
        assert form.is_valid(), (submission.report_type.slug, form.errors)
        assert form.values() == submission.data


def test_the_dashboard_tells_a_story(opds):
    seed_reports(opds, today=TODAY)
    data = compliance.figures(months=6, today=TODAY)
    assert data.total.approved > 0
    assert data.total.overdue > 0 and data.late  # "terlambat", still not sent
    assert data.total.sent_late > 0  # sent after the due date
    # The late list says why: never started ("belum diisi"), or still a draft.
    assert {obligation_rules.NOT_STARTED, Status.DRAFT} <= {o.state for o in data.late}
    assert {o.status for o in data.late} == {obligation_rules.LATE}
    rates = sorted(t.on_time_rate for t in data.by_opd.values())
    assert rates[0] < 0.5 < rates[-1]  # a laggard and a model OPD


def test_seeding_again_adds_nothing(opds):
    seed_reports(opds, today=TODAY)
    before = _counts()
    assert seed_reports(opds, today=TODAY) == 0
    assert seed_reports(opds, today=TODAY + datetime.timedelta(days=45)) == 0
    assert _counts() == before
