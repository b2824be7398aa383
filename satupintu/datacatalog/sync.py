"""Pushing what the Walidata published to central CKAN portals (Satu Data Indonesia, the
province), the way ckanapi's own loader does it: `package_show` by our id and then by our
name, then `package_update` or `package_create`, with the portal's token in `Authorization`.

Why it is shaped this way:
- Idempotent and resumable. `SyncState.sent_modified` records the `metadata_modified` of the
  package a portal accepted, written only after it answered. A second run sends nothing; a
  run after a crash (or a lost answer) looks the package up again and updates it.
- A non-sysadmin token may not choose the package id on a central CKAN (`id` is
  `empty_if_not_sysadmin` in ckan/logic/schema.py): the create is retried once without it,
  and later runs find the package by its name. A package found by name that is not ours
  (another organization, another URL) is never overwritten.
- Failures are the centre's normal state of affairs, not ours to crash on: each failing
  dataset backs off (1 min, 5 min, 30 min, 2 h, then every 12 h) while the others go on,
  and a portal that is unreachable, refuses the token or keeps failing ends its run early
  instead of being hammered.
- Every call is written to `SyncLog` (never the token) so Kominfo can see what was sent and
  what the centre answered.
- One run per portal at a time: a PostgreSQL advisory lock (and a lock within the process),
  so the timer, a manual run and the admin button can overlap safely.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests
from ckanapi import RemoteCKAN
from ckanapi.errors import (
    CKANAPIError,
    NotAuthorized,
    NotFound,
    ServerIncompatibleError,
    ValidationError,
)
from django.conf import settings
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.identity.protection import IdentityKeyError

from . import publishing
from .models import CentralPortal, PublishedDataset, SyncLog, SyncState

TIMEOUT = 20  # seconds, for every call
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]
STOP_AFTER_FAILURES = 3  # consecutive failing datasets end a portal's run
MESSAGE_LENGTH = 500
LOCK_NAMESPACE = 0x53_44  # first key of pg_try_advisory_lock(ns, portal id): "SD"

# What a remote CKAN computes itself or would misread: the embedded organization (ours is an
# OPD, theirs is the regency), counters and timestamps, our topics (its groups are its own;
# unknown ones are dropped or refused) and relationships.
DROPPED_FIELDS = {
    "organization",
    "num_resources",
    "num_tags",
    "metadata_created",
    "metadata_modified",
    "relationships_as_object",
    "relationships_as_subject",
    "isopen",
    "license_title",
    "license_url",
    "groups",
    "creator_user_id",
    "revision_id",
    "tracking_summary",
}
# `datastore_active` would make the centre offer a data explorer over a table it lacks;
# `package_id`, `state` and `position` are ignored by CKAN's resource schema.
DROPPED_RESOURCE_FIELDS = {
    "package_id",
    "datastore_active",
    "url_type",
    "state",
    "position",
    "revision_id",
    "tracking_summary",
}


class PortalDown(Exception):
    """Stop calling this portal for now (unreachable, redirecting, refusing the token)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status


class CallFailed(Exception):
    """This dataset's call failed; the other datasets go on."""

    def __init__(self, message, status=None, errors=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


class Client(RemoteCKAN):
    """ckanapi's client, remembering the HTTP status and body of the last answer (its
    exceptions drop them, and the log wants the status)."""

    last_status: int | None = None
    last_text: str = ""

    def _request_fn(self, url, data, headers, files, requests_kwargs):
        self.last_status, self.last_text = None, ""
        status, text = super()._request_fn(url, data, headers, files, requests_kwargs)
        self.last_status, self.last_text = status, text or ""
        return status, text


@dataclass
class Result:
    portal: CentralPortal
    created: int = 0
    updated: int = 0
    deleted: int = 0
    failed: int = 0
    left: int = 0  # due but not tried in this run
    stopped: str = ""  # why the run ended early
    locked: bool = False  # another run holds this portal
    planned: list = field(default_factory=list)  # dry run: (action, dataset name)

    @property
    def sent(self) -> int:
        return self.created + self.updated + self.deleted


def backoff(attempts: int) -> datetime.timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def central_package(package: dict, portal: CentralPortal) -> dict:
    """Our frozen package dict as the centre's `package_create`/`package_update` takes it:
    owned by the regency's organization there, our `id`, `name` and resource ids kept."""
    data = {k: v for k, v in package.items() if k not in DROPPED_FIELDS}
    data["owner_org"] = portal.organization
    data["private"] = False
    data["state"] = "active"  # brings back a package withdrawn earlier
    data["type"] = "dataset"
    data["resources"] = [
        {k: v for k, v in resource.items() if k not in DROPPED_RESOURCE_FIELDS and v is not None}
        for resource in package.get("resources", [])
    ]
    data["tags"] = [{"name": t["name"]} for t in package.get("tags", [])]
    data["extras"] = [{"key": e["key"], "value": e["value"]} for e in package.get("extras", [])]
    return data


# --- What is owed -------------------------------------------------------------------------------


def due_sends(portal, now=None, *, force=False):
    """Public published datasets the portal does not have in their latest verified form."""
    states = SyncState.objects.filter(portal=portal, dataset=OuterRef("dataset"))
    up_to_date = states.filter(deleted=False, sent_modified__gte=OuterRef("metadata_modified"))
    rows = PublishedDataset.objects.public().exclude(Exists(up_to_date))
    if not force:
        rows = rows.exclude(Exists(states.filter(next_attempt_at__gt=now or timezone.now())))
    return rows.order_by("metadata_modified", "name")


def due_deletes(portal, now=None, *, force=False):
    """Datasets the portal has (or may have: a send was tried) that are no longer public:
    withdrawn, or re-verified as private."""
    public = PublishedDataset.objects.public().filter(dataset=OuterRef("dataset"))
    states = (
        SyncState.objects.filter(portal=portal, deleted=False)
        .filter(Q(sent_modified__isnull=False) | Q(attempts__gt=0))
        .exclude(Exists(public))
    )
    if not force:
        states = states.exclude(next_attempt_at__gt=now or timezone.now())
    return states.select_related("dataset").order_by("dataset__name")


def status(portal) -> dict:
    """What the admin shows per portal."""
    states = SyncState.objects.filter(portal=portal)
    return {
        "sent": states.filter(deleted=False, sent_modified__isnull=False).count(),
        "pending": due_sends(portal, force=True).count() + due_deletes(portal, force=True).count(),
        "failing": states.filter(attempts__gt=0).count(),
        "last_success": SyncLog.objects.filter(portal=portal, ok=True).aggregate(at=Max("at"))[
            "at"
        ],
    }


def reset_after_change(portal) -> int:
    """The portal's address or organization changed: send every public dataset again (to the
    new place, or to move it to the new organization). Withdrawn ones keep their state, so
    they are still deleted there."""
    return SyncState.objects.filter(
        portal=portal, deleted=False, dataset__published__private=False
    ).update(sent_modified=None, attempts=0, next_attempt_at=None, last_error="")


# --- Locking ------------------------------------------------------------------------------------

_local_locks: dict[int, threading.Lock] = defaultdict(threading.Lock)
_local_locks_guard = threading.Lock()


@contextmanager
def portal_lock(portal):
    """Yields whether this run may work on the portal. The advisory lock is per database
    session, so a crashed run releases it with its connection."""
    with _local_locks_guard:
        local = _local_locks[portal.pk]
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, portal.pk])
            acquired = cursor.fetchone()[0]
        if not acquired:
            yield False
            return
        try:
            yield True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, portal.pk])
    finally:
        local.release()


# --- Calls --------------------------------------------------------------------------------------


def _shorten(text: str, token: str) -> str:
    if token:
        text = text.replace(token, "[token]")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MESSAGE_LENGTH]


def _body_message(text: str) -> str:
    """The error message of a CKAN envelope, or the start of whatever page came back."""
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        error = parsed["error"]
        return str(error.get("message") or error.get("__type") or "")
    return html.unescape(re.sub(r"<[^>]*>", " ", text or ""))[:200]


def _validation_message(errors: dict) -> str:
    parts = []
    for key, value in errors.items():
        if key == "__type":
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(value)
        elif not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{key}: {value}")
    return "; ".join(parts) or _("Data ditolak portal pusat.")


class Session:
    """One run's calls to one portal, each logged."""

    def __init__(self, portal: CentralPortal, token: str, timeout: float):
        self.portal = portal
        self.token = token
        self.timeout = timeout
        self.send_ids = True  # until the centre refuses our package ids
        self.client = Client(
            portal.url.rstrip("/"),
            apikey=token,
            user_agent=f"SatuPintu (+{settings.SATUPINTU_BASE_URL})",
        )

    def close(self):
        self.client.close()

    def log(self, action, dataset, name, ok, status_code, message) -> str:
        """Write the call down; returns the message as written (shortened, no token), which
        is also what may be kept in SyncState.last_error."""
        message = _shorten(message, self.token)
        SyncLog.objects.create(
            portal=self.portal,
            dataset_id=dataset,
            dataset_name=name[:100],
            action=action[:30],
            ok=ok,
            status_code=status_code,
            message=message,
        )
        return message

    def call(self, action, data, *, dataset, name, missing_ok=False, id_refusal_ok=False):
        """The action's result; None if `missing_ok` and the centre has no such package.
        `id_refusal_ok`: a create refused only for carrying our id is expected (non-sysadmin
        token) and logged as such; it still raises, for the caller to retry without it."""
        client = self.client
        try:
            result = client.call_action(action, data, requests_kwargs={"timeout": self.timeout})
        except requests.Timeout:
            message = _("Waktu tunggu habis (%(s)s detik).") % {"s": self.timeout}
            message = self.log(action, dataset, name, False, None, message)
            raise PortalDown(message) from None
        except requests.RequestException as error:
            message = _("Tidak dapat terhubung: %(error)s") % {"error": type(error).__name__}
            message = self.log(action, dataset, name, False, None, message)
            raise PortalDown(message) from None
        except NotFound as error:
            if missing_ok:
                self.log(
                    action, dataset, name, True, client.last_status, _("Belum ada di portal pusat.")
                )
                return None
            message = str(error) or _("Tidak ditemukan.")
            message = self.log(action, dataset, name, False, client.last_status, message)
            raise CallFailed(message, client.last_status) from None
        except ValidationError as error:
            errors = getattr(error, "error_dict", {}) or {}
            if id_refusal_ok and set(errors) - {"__type", "message"} == {"id"}:
                message = _(
                    "Portal pusat tidak menerima id dari kita (token bukan sysadmin); "
                    "dibuat tanpa id, dan dicari dengan namanya sesudah ini."
                )
                message = self.log(action, dataset, name, True, client.last_status, message)
                raise CallFailed(message, client.last_status, errors) from None
            message = _validation_message(errors)
            message = self.log(action, dataset, name, False, client.last_status, message)
            raise CallFailed(message, client.last_status, errors) from None
        except NotAuthorized:
            message = _("Token ditolak portal pusat: %(m)s") % {
                "m": _body_message(client.last_text)
            }
            message = self.log(action, dataset, name, False, client.last_status, message)
            raise PortalDown(message, client.last_status) from None
        except (CKANAPIError, ServerIncompatibleError):
            status_code = client.last_status
            detail = _body_message(client.last_text)
            if status_code in (301, 302, 303, 307, 308):
                message = _(
                    "Portal pusat mengalihkan ke alamat lain (HTTP %(code)s); periksa alamat CKAN."
                ) % {"code": status_code}
            else:
                message = _("Portal pusat menjawab HTTP %(code)s: %(detail)s") % {
                    "code": status_code,
                    "detail": detail,
                }
            message = self.log(action, dataset, name, False, status_code, message)
            if status_code in (301, 302, 303, 307, 308, 401, 502, 503, 504):
                raise PortalDown(message, status_code) from None
            raise CallFailed(message, status_code) from None
        self.log(action, dataset, name, True, client.last_status, "")
        return result

    # --- Steps ---

    def find(self, dataset_id, name, url):
        """Our package on the centre: by our id, else by our name if it is really ours."""
        remote = self.call(
            "package_show", {"id": dataset_id}, dataset=dataset_id, name=name, missing_ok=True
        )
        if remote is not None or name == dataset_id:
            return remote
        remote = self.call(
            "package_show", {"id": name}, dataset=dataset_id, name=name, missing_ok=True
        )
        if remote is None:
            return None
        organization = (remote.get("organization") or {}).get("name")
        ours = (
            remote.get("id") == dataset_id
            or self.portal.organization in (organization, remote.get("owner_org"))
            or (url and remote.get("url") == url)
        )
        if not ours:
            message = _(
                "Nama %(name)s sudah dipakai dataset organisasi lain di portal pusat "
                "(%(org)s); dataset itu tidak ditimpa."
            ) % {"name": name, "org": organization or remote.get("owner_org") or "?"}
            message = self.log("name_conflict", dataset_id, name, False, None, message)
            raise CallFailed(message)
        return remote

    def send(self, row: PublishedDataset) -> str:
        package = central_package(json.loads(row.package), self.portal)
        dataset_id, name = str(row.dataset_id), row.name
        remote = self.find(dataset_id, name, package.get("url"))
        if remote is not None:
            package["id"] = remote["id"]
            self.call("package_update", package, dataset=dataset_id, name=name)
            return "updated"
        if not self.send_ids:
            package.pop("id", None)
        try:
            self.call("package_create", package, dataset=dataset_id, name=name, id_refusal_ok=True)
        except CallFailed as error:
            if "id" not in error.errors or "id" not in package:
                raise
            # Only a sysadmin may choose a package id; the centre picks one and later runs
            # find the package by its name.
            self.send_ids = False
            package.pop("id")
            self.call("package_create", package, dataset=dataset_id, name=name)
        return "created"

    def delete(self, state: SyncState) -> str:
        dataset = state.dataset
        dataset_id = str(dataset.id)
        url = publishing.absolute(publishing.public_path("dataset", dataset.name))
        remote = self.find(dataset_id, dataset.name, url)
        if remote is None or remote.get("state") == "deleted":
            return "gone"
        self.call("package_delete", {"id": remote["id"]}, dataset=dataset_id, name=dataset.name)
        return "deleted"


# --- Runs ---------------------------------------------------------------------------------------


def _failed(state: SyncState, message: str, now) -> None:
    state.attempts += 1
    state.next_attempt_at = now + backoff(state.attempts)
    state.last_error = message[:MESSAGE_LENGTH]
    state.save(update_fields=["attempts", "next_attempt_at", "last_error"])


def _succeeded(state: SyncState, **values) -> None:
    for key, value in values.items():
        setattr(state, key, value)
    state.attempts = 0
    state.next_attempt_at = None
    state.last_error = ""
    state.save()


def sync_portal(
    portal: CentralPortal,
    *,
    now=None,
    force=False,
    dataset_name=None,
    dry_run=False,
    time_budget=None,
    timeout=None,
) -> Result:
    """Bring one portal up to date. `force` ignores the backoff (a manual "sync now");
    `time_budget` (seconds) stops starting new datasets after it, leaving them to the next
    run."""
    now = now or timezone.now()
    result = Result(portal)
    sends = due_sends(portal, now, force=force).values_list("dataset_id", "name")
    deletes = due_deletes(portal, now, force=force)
    if dataset_name:
        sends = sends.filter(name=dataset_name)
        deletes = deletes.filter(dataset__name=dataset_name)
    if dry_run:
        result.planned = [("kirim", name) for _id, name in sends] + [
            ("hapus", state.dataset.name) for state in deletes
        ]
        return result
    if not portal.active:
        result.stopped = _("Portal tidak aktif.")
        return result
    with portal_lock(portal) as acquired:
        if not acquired:
            result.locked = True
            result.stopped = _("Sedang disinkronkan oleh proses lain.")
            return result
        work = [("send", pk) for pk, _name in sends] + [("delete", s) for s in deletes]
        if not work:
            return result
        try:
            token = portal.token()
        except IdentityKeyError:  # the key it was stored under was removed from the settings
            result.stopped = _("Token tidak dapat dibuka dengan kunci yang terpasang.")
            result.left = len(work)
            return result
        if not token:
            result.stopped = _("Token portal belum diisi.")
            result.left = len(work)
            return result
        session = Session(portal, token, timeout or TIMEOUT)
        deadline = time.monotonic() + time_budget if time_budget else None
        consecutive = 0
        try:
            for index, (kind, item) in enumerate(work):
                if deadline is not None and time.monotonic() > deadline:
                    result.stopped = _("Batas waktu jalan ini tercapai; sisanya dilanjutkan nanti.")
                    result.left = len(work) - index
                    break
                try:
                    if kind == "send":
                        consecutive = _send_one(session, item, now, result, consecutive)
                    else:
                        consecutive = _delete_one(session, item, now, result, consecutive)
                except PortalDown as down:
                    result.stopped = down.message
                    result.left = len(work) - index - 1
                    break
                if consecutive >= STOP_AFTER_FAILURES:
                    result.stopped = _(
                        "%(n)s dataset berturut-turut gagal; dicoba lagi pada jalan berikutnya."
                    ) % {"n": consecutive}
                    result.left = len(work) - index - 1
                    break
        finally:
            session.close()
    return result


def _attempt(call, state, now, result):
    """One dataset's call: its outcome, or None when it failed (recorded with its backoff).
    A portal that is down stops the whole run for that portal."""
    try:
        return call()
    except PortalDown as down:
        _failed(state, down.message, now)
        result.failed += 1
        raise
    except CallFailed as error:
        _failed(state, error.message, now)
        result.failed += 1
        return None


def _send_one(session, dataset_id, now, result, consecutive) -> int:
    row = PublishedDataset.objects.filter(dataset_id=dataset_id, private=False).first()
    if row is None:  # withdrawn meanwhile: the next run deletes it
        return consecutive
    state, _created = SyncState.objects.get_or_create(portal=session.portal, dataset_id=dataset_id)
    outcome = _attempt(lambda: session.send(row), state, now, result)
    if outcome is None:
        return consecutive + 1
    _succeeded(state, sent_modified=row.metadata_modified, deleted=False)
    if outcome == "created":
        result.created += 1
    else:
        result.updated += 1
    return 0


def _delete_one(session, state, now, result, consecutive) -> int:
    outcome = _attempt(lambda: session.delete(state), state, now, result)
    if outcome is None:
        return consecutive + 1
    _succeeded(state, deleted=True)
    if outcome == "deleted":
        result.deleted += 1
    return 0


def sync_all(*, portal_name=None, **options) -> list[Result]:
    # A portal named explicitly is reported even when inactive (its result says so).
    portals = CentralPortal.objects.filter(
        **({"name": portal_name} if portal_name else {"active": True})
    )
    return [sync_portal(portal, **options) for portal in portals]
