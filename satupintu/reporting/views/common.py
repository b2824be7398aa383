"""What every reporting view needs: the OPD check that answers 404 (never 403, which would
confirm that another OPD's report exists) and the lookups by URL."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from satupintu.opd.access import is_platform_admin, user_opds
from satupintu.opd.models import OPD

from ..models import ReportType, Submission
from ..workflow import can_view


def visible_opds(user):
    return OPD.objects.all() if is_platform_admin(user) else user_opds(user)


def submission_for(user, pk) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("report_type", "opd", "version"), pk=pk
    )
    if not can_view(user, submission.opd):
        raise Http404
    return submission


def obligation_target(user, type_slug, opd_slug, period_key, today):
    """The report type, OPD and period a fill-in URL names, if the user may see them and the
    OPD must report on that period (periods in the future are not open)."""
    opd = get_object_or_404(OPD, slug=opd_slug)
    if not can_view(user, opd):
        raise Http404
    report_type = get_object_or_404(ReportType, slug=type_slug)
    period = report_type.period_from_key(period_key)
    if period is None or period.start > today or not report_type.applies_to(opd):
        raise Http404
    return report_type, opd, period
