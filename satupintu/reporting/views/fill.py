"""Filling in a report: save a draft (formats checked, nothing required yet) or send it
(everything checked). Whatever goes wrong, the operator's input is shown again and the
stored draft is untouched."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from ..forms import ReportForm
from ..models import Submission
from ..workflow import Conflict, is_operator, save, submit
from .common import obligation_target


def _lock_of(request):
    raw = request.POST.get("lock", "")
    return int(raw) if raw.isdigit() else None


def fill(request, type_slug, opd_slug, period_key):
    today = timezone.localdate()
    report_type, opd, period = obligation_target(
        request.user, type_slug, opd_slug, period_key, today
    )
    submission = (
        Submission.objects.select_related("version")
        .filter(report_type=report_type, opd=opd, period_start=period.start)
        .first()
    )
    if submission is not None and (not submission.editable or not is_operator(request.user, opd)):
        return redirect("reporting_submission", submission.pk)
    if not is_operator(request.user, opd):
        raise Http404  # a verifikator or Kominfo has nothing to read before the first save
    version = submission.version if submission else report_type.current_version
    posted_version = request.POST.get("version", "") if request.method == "POST" else ""
    if submission is None and posted_version.isdigit():
        # The form as the operator saw it when they opened the page, even if Kominfo has
        # published a new version since: their input fits that one.
        version = report_type.versions.filter(pk=posted_version).first() or version
    if version is None:
        messages.error(request, _("Formulir laporan ini belum disiapkan Kominfo."))
        return redirect("reporting_index")
    attachments = {a.field_key: a for a in submission.attachments.all()} if submission else {}
    stored = submission.data if submission else {}
    context = {
        "report_type": report_type,
        "opd": opd,
        "period": period,
        "submission": submission,
        "newer_version": (
            report_type.current_version
            if submission and report_type.current_version_id != submission.version_id
            else None
        ),
        "attachments": attachments,
        "lock": submission.lock if submission else "",
    }

    if request.method != "POST":
        form = ReportForm(version, period, stored=stored, attachments=attachments)
        return render(request, "reporting/admin/fill.html", {**context, "form": form})

    sending = "_submit" in request.POST
    form = ReportForm(
        version,
        period,
        request.POST,
        request.FILES,
        for_submit=sending,
        stored=stored,
        attachments=attachments,
    )
    context["lock"] = request.POST.get("lock", "")
    if form.row_action:
        return render(
            request, "reporting/admin/fill.html", {**context, "form": form, "quiet": True}
        )
    if not form.is_valid():
        messages.error(
            request,
            _("Periksa isian yang ditandai. Belum ada yang disimpan; isian Anda tetap di bawah.")
            + (" " + _("Berkas lampiran perlu dipilih lagi.") if request.FILES else ""),
        )
        return render(request, "reporting/admin/fill.html", {**context, "form": form}, status=400)

    files = {
        spec["key"]: request.FILES[spec["key"]]
        for spec in version.schema
        if spec["type"] == "file" and spec["key"] in request.FILES
    }
    try:
        with transaction.atomic():
            submission = save(
                request.user,
                report_type,
                opd,
                period,
                version,
                form.values(),
                lock=_lock_of(request),
                submission=submission,
                files=files,
            )
            if sending:
                submit(request.user, submission)
    except Conflict:
        current = Submission.objects.get(
            report_type=report_type, opd=opd, period_start=period.start
        )
        who = current.updated_by or get_user_model()(username="?")
        messages.error(
            request,
            _(
                "%(user)s menyimpan laporan ini pada %(time)s, setelah Anda membukanya. Isian "
                "Anda belum disimpan: periksa perbedaannya, lalu simpan lagi untuk menimpa."
            )
            % {
                "user": who.get_full_name() or who.get_username(),
                "time": timezone.localtime(current.updated_at).strftime("%d-%m-%Y %H:%M"),
            },
        )
        context.update(submission=current, lock=current.lock)
        return render(request, "reporting/admin/fill.html", {**context, "form": form}, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "reporting/admin/fill.html", {**context, "form": form}, status=400)

    if sending:
        messages.success(request, _("Laporan dikirim ke verifikator."))
        return redirect("reporting_submission", submission.pk)
    messages.success(request, _("Draf disimpan."))
    return redirect(reverse("reporting_fill", args=[report_type.slug, opd.slug, period.key]))
