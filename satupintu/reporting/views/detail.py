"""One report: its content, attachments and history, and the next step for whoever opens it
(send, approve or return, ask for a correction, move to the new form, make news)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from .. import obligations
from ..forms import display_value
from ..models import Attachment
from ..workflow import (
    approve,
    approved_content,
    is_operator,
    is_verifier,
    make_news,
    reopen,
    send_back,
    upgrade_version,
)
from .common import submission_for


def rendered_fields(schema, data):
    """(label, text) pairs and tables (label, column labels, rows of texts) for a template."""
    result = []
    for spec in schema:
        value = data.get(spec["key"]) if data else None
        if spec["type"] == "table":
            columns = spec.get("columns", [])
            rows = [[display_value(c, row.get(c["key"])) for c in columns] for row in value or []]
            result.append({"spec": spec, "columns": [c["label"] for c in columns], "rows": rows})
        else:
            result.append(
                {"spec": spec, "text": display_value(spec, value), "value": value, "rows": None}
            )
    return result


def submission_detail(request, pk):
    submission = submission_for(request.user, pk)
    report_type = submission.report_type
    today = timezone.localdate()
    obligation = obligations.Obligation(
        report_type=report_type,
        opd=submission.opd,
        period=submission.period,
        due_date=submission.due_date(),
        submission={
            "status": submission.status,
            "first_submitted_at": submission.first_submitted_at,
            "last_approved_at": submission.last_approved_at,
        },
        today=today,
    )
    approved = approved_content(submission)
    correcting = approved is not None and submission.status != submission.Status.APPROVED
    return render(
        request,
        "reporting/admin/detail.html",
        {
            "submission": submission,
            "report_type": report_type,
            "obligation": obligation,
            "fields": rendered_fields(submission.version.schema, submission.data),
            "approved_fields": (
                rendered_fields(submission.version.schema, approved) if correcting else None
            ),
            "events": submission.events.select_related("user", "version"),
            "may_fill": is_operator(request.user, submission.opd),
            "may_decide": is_verifier(request.user, submission.opd),
            "newer_version": (
                report_type.current_version
                if report_type.current_version_id != submission.version_id
                else None
            ),
        },
    )


def _act(request, pk, action):
    submission = submission_for(request.user, pk)
    try:
        result = action(submission)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None, submission
    return result, submission


def _to_form(submission):
    return redirect(
        "reporting_fill",
        submission.report_type.slug,
        submission.opd.slug,
        submission.period.key,
    )


@require_POST
def decide(request, pk):
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")[:4000]
    if decision == "approve":
        done, submission = _act(request, pk, lambda s: approve(request.user, s, comment))
        if done:
            messages.success(request, _("Laporan disetujui."))
    elif decision == "return":
        done, submission = _act(request, pk, lambda s: send_back(request.user, s, comment))
        if done:
            messages.success(request, _("Laporan dikembalikan ke operator."))
    else:
        raise Http404
    return redirect("reporting_submission", submission.pk)


@require_POST
def correct(request, pk):
    reason = request.POST.get("reason", "")[:4000]
    done, submission = _act(request, pk, lambda s: reopen(request.user, s, reason))
    if done:
        messages.success(
            request, _("Revisi %(n)s dibuka. Perbaiki lalu kirim lagi.") % {"n": done.revision}
        )
        return _to_form(submission)
    return redirect("reporting_submission", submission.pk)


@require_POST
def move_to_current_form(request, pk):
    done, submission = _act(request, pk, lambda s: upgrade_version(request.user, s))
    if done:
        messages.success(
            request, _("Draf dipindah ke formulir terbaru; isian yang sama dipertahankan.")
        )
        return _to_form(submission)
    return redirect("reporting_submission", submission.pk)


@require_POST
def to_news(request, pk):
    page, submission = _act(request, pk, lambda s: make_news(request.user, s))
    if page:
        messages.success(
            request, _("Draf berita dibuat. Lengkapi lalu ajukan untuk ditinjau seperti biasa.")
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect("reporting_submission", submission.pk)


def attachment(request, pk, attachment_pk):
    submission = submission_for(request.user, pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, submission=submission)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
