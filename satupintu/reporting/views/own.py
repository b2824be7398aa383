""" "Laporan OPD": what the user's OPDs owe, newest first, overdue on top."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from satupintu.opd.access import is_platform_admin

from .. import obligations
from ..workflow import is_operator, is_verifier
from .common import visible_opds

WINDOW_DAYS = 400


def index(request):
    today = timezone.localdate()
    opds = visible_opds(request.user)
    if is_platform_admin(request.user):
        opds = opds.none()  # Kominfo works from the dashboard
    cutoff = today - datetime.timedelta(days=WINDOW_DAYS)
    # Recent periods, and older ones for as long as they are not approved.
    rows = [
        o
        for o in obligations.compute(opds=opds, include_current=True, today=today)
        if o.period.end >= cutoff or not o.approved
    ]
    rows.sort(key=lambda o: (not o.overdue, o.approved, o.due_date, o.report_type.name))
    operator_opds = {o.pk for o in opds if is_operator(request.user, o)}
    verifier_opds = {o.pk for o in opds if is_verifier(request.user, o)}
    to_review = [o for o in rows if o.state == "dikirim" and o.opd.pk in verifier_opds]
    return render(
        request,
        "reporting/admin/index.html",
        {
            "rows": rows,
            "to_review": to_review,
            "operator_opds": operator_opds,
            "verifier_opds": verifier_opds,
            "is_kominfo": is_platform_admin(request.user),
            "today": today,
        },
    )
