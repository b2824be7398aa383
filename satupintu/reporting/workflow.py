"""Who may do what to a report, and every step as one transaction with its history entry.

Operators of an OPD fill in, save and send its reports and ask for corrections; its
verifikators approve or return them; Kominfo reads everything and changes nothing. Nothing
here trusts the view: each function checks the user's role for the submission's own OPD.
"""

import html

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.opd.access import is_operator, is_platform_admin, is_verifier

from .models import Submission, SubmissionEvent

Status = Submission.Status
Action = SubmissionEvent.Action


class Conflict(Exception):
    """Someone else saved this report after the form was opened."""


def can_view(user, opd) -> bool:
    return is_platform_admin(user) or is_operator(user, opd) or is_verifier(user, opd)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _event(submission, user, action, comment="", snapshot=False):
    SubmissionEvent.objects.create(
        submission=submission,
        user=user,
        user_name=user.get_username() if user else "",
        action=action,
        revision=submission.revision,
        version=submission.version,
        comment=comment,
        snapshot=dict(submission.data) if snapshot else None,
    )


def _locked(submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _attach(submission, user, files, data):
    """Store uploaded files (already checked by the form) and point the data at them."""
    import hashlib

    from .models import Attachment

    for key, uploaded in files.items():
        digest = hashlib.sha256()
        for chunk in uploaded.chunks():
            digest.update(chunk)
        uploaded.seek(0)
        attachment = Attachment(
            submission=submission,
            field_key=key,
            name=uploaded.name[-200:],
            size=uploaded.size,
            content_type=(getattr(uploaded, "content_type", "") or "application/octet-stream")[
                :100
            ],
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        attachment.file.save("upload", uploaded, save=False)
        attachment.save()
        data[key] = {"attachment": attachment.pk, "name": attachment.name, "size": attachment.size}
    return data


def save(user, report_type, opd, period, version, data, lock=None, submission=None, files=None):
    """Create or update the draft. `lock` is the value the form was opened with (None: it was
    opened before anything was saved); a different current value means another save came in
    between (Conflict: nothing is written)."""
    _require(is_operator(user, opd))
    now = timezone.now()
    files = files or {}
    with transaction.atomic():
        if submission is None:
            submission, created = Submission.objects.select_for_update().get_or_create(
                report_type=report_type,
                opd=opd,
                period_start=period.start,
                defaults={
                    "period_end": period.end,
                    "version": version,
                    "data": data,
                    "updated_by": user,
                    "updated_at": now,
                },
            )
            if created:
                if files:
                    submission.data = _attach(submission, user, files, dict(data))
                    submission.save(update_fields=["data"])
                _event(submission, user, Action.CREATED)
                return submission
            if lock is None:
                raise Conflict  # another operator saved the first draft meanwhile
        submission = _locked(submission)
        if lock is not None and submission.lock != lock:
            raise Conflict
        if not submission.editable:
            raise ValidationError(
                _("Laporan ini sudah dikirim dan tidak dapat diubah. Minta koreksi bila perlu.")
            )
        submission.data = _attach(submission, user, files, dict(data))
        submission.lock += 1
        submission.updated_by = user
        submission.updated_at = now
        submission.save(update_fields=["data", "lock", "updated_by", "updated_at"])
        _event(submission, user, Action.SAVED)
    return submission


def submit(user, submission):
    """Hand the (already saved and fully validated) report to the verifikator."""
    _require(is_operator(user, submission.opd))
    with transaction.atomic():
        submission = _locked(submission)
        if not submission.editable:
            raise ValidationError(_("Laporan ini sudah dikirim."))
        now = timezone.now()
        submission.status = Status.SUBMITTED
        submission.submitted_at = now
        submission.first_submitted_at = submission.first_submitted_at or now
        submission.lock += 1
        submission.save(update_fields=["status", "submitted_at", "first_submitted_at", "lock"])
        _event(submission, user, Action.SUBMITTED, snapshot=True)
    return submission


def approve(user, submission, comment=""):
    _require(is_verifier(user, submission.opd))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status != Status.SUBMITTED:
            raise ValidationError(_("Hanya laporan yang sudah dikirim yang dapat disetujui."))
        submission.status = Status.APPROVED
        submission.decided_at = submission.last_approved_at = timezone.now()
        submission.decided_by = user
        submission.comment = ""
        submission.lock += 1
        submission.save(
            update_fields=[
                "status",
                "decided_at",
                "last_approved_at",
                "decided_by",
                "comment",
                "lock",
            ]
        )
        _event(submission, user, Action.APPROVED, comment=comment, snapshot=True)
    return submission


def send_back(user, submission, comment):
    _require(is_verifier(user, submission.opd))
    if not comment.strip():
        raise ValidationError(
            _("Tulis alasan pengembalian agar operator tahu yang harus diperbaiki.")
        )
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status != Status.SUBMITTED:
            raise ValidationError(_("Hanya laporan yang sudah dikirim yang dapat dikembalikan."))
        submission.status = Status.RETURNED
        submission.decided_at = timezone.now()
        submission.decided_by = user
        submission.comment = comment.strip()
        submission.lock += 1
        submission.save(update_fields=["status", "decided_at", "decided_by", "comment", "lock"])
        _event(submission, user, Action.RETURNED, comment=comment.strip())
    return submission


def reopen(user, submission, reason):
    """A correction after approval: a new revision starts as a draft; the approved content
    stays in the history (the approval's snapshot) and remains what the exports show until
    the new revision is approved."""
    _require(is_operator(user, submission.opd))
    if not reason.strip():
        raise ValidationError(_("Tulis alasan koreksi."))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status != Status.APPROVED:
            raise ValidationError(_("Hanya laporan yang sudah disetujui yang dapat dikoreksi."))
        submission.status = Status.DRAFT
        submission.revision += 1
        submission.lock += 1
        submission.save(update_fields=["status", "revision", "lock"])
        _event(submission, user, Action.REOPENED, comment=reason.strip())
    return submission


def upgrade_version(user, submission):
    """Move a draft to the form's current version, keeping every value whose field still
    exists with the same type (and table rows' matching columns)."""
    _require(is_operator(user, submission.opd))
    current = submission.report_type.current_version
    with transaction.atomic():
        submission = _locked(submission)
        if not submission.editable or current is None or current.pk == submission.version_id:
            return submission
        old = {f["key"]: f for f in submission.version.schema}
        data = {}
        for field in current.schema:
            before = old.get(field["key"])
            value = submission.data.get(field["key"])
            if before is None or before["type"] != field["type"] or value is None:
                continue
            if field["type"] == "table":
                # Columns kept under the same key with the same type.
                old_columns = {(c["key"], c["type"]) for c in before.get("columns", [])}
                kept = {c["key"] for c in field["columns"] if (c["key"], c["type"]) in old_columns}
                value = [{k: row.get(k) for k in kept} for row in value]
            data[field["key"]] = value
        submission.data = data
        submission.version = current
        submission.lock += 1
        submission.save(update_fields=["data", "version", "lock"])
        _event(submission, user, Action.VERSION)
    return submission


def approved_content(submission) -> dict | None:
    """The content as last approved (while a correction is being drafted, the previous
    revision's approved snapshot)."""
    if submission.status == Status.APPROVED:
        return submission.data
    event = submission.events.filter(action=Action.APPROVED).order_by("-at", "-pk").first()
    return event.snapshot if event else None


def make_news(user, submission, title=None):
    """Turn an approved activity report into a draft news item in the OPD's section; the
    operator finishes it and sends it through the OPD's usual review."""
    from satupintu.news.models import NewsIndexPage, NewsPage

    from .forms import display_value

    _require(is_operator(user, submission.opd))
    if submission.report_type.kind != submission.report_type.Kind.ACTIVITY:
        raise ValidationError(_("Hanya laporan kegiatan yang dapat dijadikan berita."))
    if submission.status != Status.APPROVED:
        raise ValidationError(_("Laporan perlu disetujui dulu sebelum dijadikan berita."))
    if submission.news_page_id:
        return submission.news_page.specific
    home = submission.opd.home_page
    index = NewsIndexPage.objects.child_of(home).first() if home else None
    if index is None:
        raise ValidationError(_("Bagian OPD ini belum punya halaman Berita."))
    paragraphs = []
    for spec in submission.version.schema:
        if spec["type"] in ("file", "table"):
            continue
        text = display_value(spec, submission.data.get(spec["key"]))
        if text:
            paragraphs.append(
                f"<p><b>{html.escape(spec['label'])}:</b> {html.escape(text)}</p>"
                if spec["type"] != "long_text"
                else "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines() if p.strip())
            )
    title = title or f"{submission.report_type.name} {submission.period.label}"
    with transaction.atomic():
        page = NewsPage(
            title=title[:255],
            intro=_("Laporan kegiatan %(opd)s, %(period)s.")
            % {"opd": submission.opd.name, "period": submission.period.label},
            body="".join(paragraphs) or "<p></p>",
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision(user=user)
        Submission.objects.filter(pk=submission.pk).update(news_page=page)
        submission.news_page = page
        _event(submission, user, Action.NEWS, comment=title)
    return page
