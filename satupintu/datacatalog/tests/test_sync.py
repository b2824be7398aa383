"""Pushing to central CKAN portals, against a fake central CKAN: a small threaded HTTP server
on 127.0.0.1 that answers ckanapi's POSTs to /api/action/<name> with CKAN envelopes, keeps
packages in a dict, checks the token, and refuses a package id from a non-sysadmin exactly as
CKAN's `empty_if_not_sysadmin` does. It can be told to fail (500, timeout, 409)."""

import datetime
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from satupintu.datacatalog import sync, sync_admin, workflow  # sync_admin: its URL hook
from satupintu.datacatalog.models import CentralPortal, Dataset, SyncLog, SyncState
from satupintu.datacatalog.testing import make_dataset

pytestmark = pytest.mark.django_db

TOKEN = "rahasia-token-pusat-9f8e7d6c5b4a"  # noqa: S105 (the fake centre's token)
ORG = "kab-lamongan"
NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")


class FakeCKAN:
    """The centre's state and its failure switches; `fail` maps an action name (or "*") to
    a list of failures consumed one per call: "500", "timeout", "409", "echo-token"."""

    def __init__(self, sysadmin=False):
        self.sysadmin = sysadmin
        self.packages = {}  # id -> package dict
        self.calls = []  # (action, data)
        self.fail = {}
        self.lock = threading.Lock()

    def by_id_or_name(self, key):
        if key in self.packages:
            return self.packages[key]
        return next((p for p in self.packages.values() if p["name"] == key), None)

    def handle(self, action, data, token):
        """(status, envelope) for one call."""
        with self.lock:
            self.calls.append((action, data))
            failures = self.fail.get(action) or self.fail.get("*")
            failure = failures.pop(0) if failures else None
        if failure == "timeout":
            time.sleep(1.5)
            return 500, error("Internal Server Error", "too late")
        if failure == "500":
            return 500, error("Internal Server Error", "database is locked")
        if failure == "echo-token":
            return 500, error("Internal Server Error", f"header Authorization: {token}")
        if failure == "301":
            return 301, None
        if failure == "409":
            return 409, error("Validation Error", None, name=["That URL is already in use."])
        if token != TOKEN:
            return 403, error("Authorization Error", "Access denied")
        with self.lock:
            return getattr(self, action.replace("package_", "do_"))(data)

    def do_show(self, data):
        package = self.by_id_or_name(data.get("id", ""))
        if package is None:
            return 404, error("Not Found Error", "Not found")
        return 200, ok(package)

    def check(self, data, existing=None):
        if not NAME_RE.match(data.get("name", "")):
            return {"name": ["Must be purely lowercase alphanumeric"]}
        other = self.by_id_or_name(data["name"])
        if other is not None and other is not existing:
            return {"name": ["That URL is already in use."]}
        if data.get("owner_org") != ORG:
            return {"owner_org": ["Organization does not exist"]}
        return None

    def do_create(self, data):
        if data.get("id") and not self.sysadmin:
            return 409, error("Validation Error", None, id=["The input field id was not expected."])
        problems = self.check(data)
        if problems:
            return 409, error("Validation Error", None, **problems)
        package = dict(data, id=data.get("id") or str(uuid.uuid4()), state="active")
        package["organization"] = {"name": ORG, "title": "Kabupaten"}
        self.packages[package["id"]] = package
        return 200, ok(package)

    def do_update(self, data):
        existing = self.packages.get(data.get("id", ""))
        if existing is None:
            return 404, error("Not Found Error", "Not found")
        problems = self.check(data, existing)
        if problems:
            return 409, error("Validation Error", None, **problems)
        package = dict(data, state=data.get("state", "active"))
        package["organization"] = existing["organization"]
        self.packages[package["id"]] = package
        return 200, ok(package)

    def do_delete(self, data):
        package = self.by_id_or_name(data.get("id", ""))
        if package is None:
            return 404, error("Not Found Error", "Not found")
        package["state"] = "deleted"
        return 200, ok(None)

    def actions(self):
        return [action for action, _data in self.calls]


def ok(result):
    return {"help": "http://pusat/api/3/action/help_show", "success": True, "result": result}


def error(kind, message, **fields):
    body = {"__type": kind, **fields}
    if message is not None:
        body["message"] = message
    return {"help": "http://pusat/api/3/action/help_show", "success": False, "error": body}


def make_handler(fake):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            action = self.path.rsplit("/", 1)[-1]
            length = int(self.headers.get("Content-Length") or 0)
            data = json.loads(self.rfile.read(length) or b"{}")
            status, body = fake.handle(action, data, self.headers.get("Authorization"))
            payload = json.dumps(body).encode() if body is not None else b"Moved"
            try:
                self.send_response(status)
                if body is None:
                    self.send_header("Location", "https://pusat.example/api/action/x")
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def centre():
    fake = FakeCKAN()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def central(centre):
    portal = CentralPortal(name="Satu Data Indonesia", url=centre.url, organization=ORG)
    portal.set_token(TOKEN)
    portal.save()
    return portal


def published(portal, name="jumlah-contoh", **fields):
    return make_dataset(
        portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, name=name, **fields
    )


def reverify(portal, dataset, title):
    Dataset.objects.filter(pk=dataset.pk).update(title=title, updated_at=timezone.now())
    dataset.refresh_from_db()
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


# --- The package sent -----------------------------------------------------------------------


def test_central_package_is_ours_under_the_regency_org(portal, central):
    dataset = published(portal)
    package = json.loads(dataset.published.package)
    sent = sync.central_package(package, central)
    assert sent["id"] == str(dataset.id) and sent["name"] == dataset.name
    assert sent["owner_org"] == ORG and sent["private"] is False
    for dropped in ("organization", "num_resources", "metadata_modified", "groups", "isopen"):
        assert dropped not in sent
    resource = sent["resources"][0]
    assert resource["id"] == package["resources"][0]["id"]
    assert "datastore_active" not in resource and "package_id" not in resource
    assert resource["url"].startswith("http")
    assert {"key": "produsen_data", "value": portal.a.name} in sent["extras"]


# --- Create, nothing, update, delete ----------------------------------------------------------


def test_first_sync_creates_second_sends_nothing(portal, central, centre):
    dataset = published(portal)
    result = sync.sync_portal(central)
    assert (result.created, result.updated, result.failed) == (1, 0, 0)
    # A non-sysadmin token may not choose the id: created again without it.
    assert centre.actions() == [
        "package_show",
        "package_show",
        "package_create",
        "package_create",
    ]
    [remote] = centre.packages.values()
    assert remote["name"] == dataset.name and remote["owner_org"] == ORG
    assert remote["title"] == dataset.title
    state = SyncState.objects.get(portal=central, dataset=dataset)
    assert state.sent_modified == dataset.published.metadata_modified
    assert state.attempts == 0 and not state.deleted
    assert SyncLog.objects.filter(portal=central).count() == 4

    centre.calls.clear()
    again = sync.sync_portal(central)
    assert again.sent == 0 and again.failed == 0
    assert centre.calls == []


def test_sysadmin_token_keeps_our_id(portal, central, centre):
    centre.sysadmin = True
    dataset = published(portal)
    sync.sync_portal(central)
    assert list(centre.packages) == [str(dataset.id)]
    assert centre.actions() == ["package_show", "package_show", "package_create"]


def test_reverified_dataset_updates(portal, central, centre):
    dataset = published(portal)
    sync.sync_portal(central)
    remote_id = next(iter(centre.packages))
    reverify(portal, dataset, "Judul yang diperbaiki")
    centre.calls.clear()
    result = sync.sync_portal(central)
    assert (result.created, result.updated) == (0, 1)
    assert centre.actions() == ["package_show", "package_show", "package_update"]
    assert centre.calls[-1][1]["id"] == remote_id
    assert centre.packages[remote_id]["title"] == "Judul yang diperbaiki"
    assert len(centre.packages) == 1


def test_withdrawal_deletes_and_republication_restores(portal, central, centre):
    dataset = published(portal)
    sync.sync_portal(central)
    remote_id = next(iter(centre.packages))
    workflow.withdraw(portal.kominfo, dataset, "Angka keliru")
    result = sync.sync_portal(central)
    assert result.deleted == 1
    assert centre.actions()[-1] == "package_delete"
    assert centre.packages[remote_id]["state"] == "deleted"
    state = SyncState.objects.get(portal=central, dataset=dataset)
    assert state.deleted
    centre.calls.clear()
    assert sync.sync_portal(central).sent == 0 and centre.calls == []

    dataset.refresh_from_db()
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)
    result = sync.sync_portal(central)
    assert result.updated == 1
    assert centre.packages[remote_id]["state"] == "active"
    state.refresh_from_db()
    assert not state.deleted


def test_a_run_after_a_lost_answer_updates_instead_of_creating_twice(portal, central, centre):
    dataset = published(portal)
    sync.sync_portal(central)
    # The centre created it, but we never recorded that (a crash, a lost answer).
    SyncState.objects.filter(dataset=dataset).update(sent_modified=None)
    centre.calls.clear()
    result = sync.sync_portal(central)
    assert (result.created, result.updated) == (0, 1)
    assert len(centre.packages) == 1
    assert "package_create" not in centre.actions()


def test_private_dataset_is_never_sent_and_is_removed_when_made_private(portal, central, centre):
    published(portal, name="terbatas-dari-awal", private=True)
    dataset = published(portal)
    sync.sync_portal(central)
    assert [p["name"] for p in centre.packages.values()] == ["jumlah-contoh"]
    Dataset.objects.filter(pk=dataset.pk).update(private=True, updated_at=timezone.now())
    dataset.refresh_from_db()
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)
    result = sync.sync_portal(central)
    assert result.deleted == 1
    assert all(p["state"] == "deleted" for p in centre.packages.values())


def test_a_name_taken_by_another_org_is_not_overwritten(portal, central, centre):
    dataset = published(portal)
    centre.packages["asing"] = {
        "id": "asing",
        "name": dataset.name,
        "owner_org": "kota-lain",
        "organization": {"name": "kota-lain"},
        "url": "https://kota-lain.example/",
        "state": "active",
    }
    result = sync.sync_portal(central)
    assert result.failed == 1
    assert "package_update" not in centre.actions()
    state = SyncState.objects.get(portal=central, dataset=dataset)
    assert "kota-lain" in state.last_error
    assert SyncLog.objects.filter(action="name_conflict", ok=False).exists()


# --- Failures ---------------------------------------------------------------------------------


def test_failure_schedules_a_retry_and_the_run_after_backoff_succeeds(portal, central, centre):
    dataset = published(portal)
    centre.fail["package_show"] = ["500"]
    start = timezone.now()
    result = sync.sync_portal(central, now=start)
    assert result.failed == 1 and result.created == 0
    state = SyncState.objects.get(portal=central, dataset=dataset)
    assert state.attempts == 1
    assert state.next_attempt_at == start + datetime.timedelta(minutes=1)
    assert "database is locked" in state.last_error
    entry = SyncLog.objects.get(portal=central, ok=False)
    assert entry.status_code == 500 and entry.action == "package_show"
    assert "database is locked" in entry.message

    centre.calls.clear()
    assert sync.sync_portal(central, now=start + datetime.timedelta(seconds=30)).sent == 0
    assert centre.calls == []  # still backing off

    result = sync.sync_portal(central, now=start + datetime.timedelta(seconds=61))
    assert result.created == 1
    state.refresh_from_db()
    assert state.attempts == 0 and state.next_attempt_at is None and state.last_error == ""


def test_backoff_grows_then_stays_at_twelve_hours():
    assert [sync.backoff(n) for n in (1, 2, 3, 4, 5, 6, 20)] == [
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=12),
        datetime.timedelta(hours=12),
        datetime.timedelta(hours=12),
    ]


def test_one_failing_dataset_does_not_stop_the_others(portal, central, centre):
    published(portal, name="data-a")
    published(portal, name="data-b")
    centre.fail["package_show"] = ["500"]
    result = sync.sync_portal(central)
    assert result.failed == 1 and result.created == 1
    assert {p["name"] for p in centre.packages.values()} == {"data-b"}


def test_unreachable_portal_stops_the_run_early(portal, central, centre, monkeypatch):
    published(portal, name="data-a")
    published(portal, name="data-b")
    monkeypatch.setattr(sync, "TIMEOUT", 0.3)
    centre.fail["*"] = ["timeout"]
    result = sync.sync_portal(central)
    assert result.failed == 1 and result.left == 1 and result.stopped
    assert len(centre.calls) == 1
    entry = SyncLog.objects.get(portal=central)
    assert not entry.ok and entry.status_code is None and "0.3" in entry.message


def test_a_closed_port_stops_the_run(portal, centre):
    published(portal)
    portal_down = CentralPortal(name="Provinsi", url="http://127.0.0.1:9", organization=ORG)
    portal_down.set_token(TOKEN)
    portal_down.save()
    result = sync.sync_portal(portal_down)
    assert result.failed == 1 and "terhubung" in result.stopped
    assert SyncState.objects.get(portal=portal_down).attempts == 1


def test_a_redirect_stops_the_portal(portal, central, centre):
    published(portal, name="data-a")
    published(portal, name="data-b")
    centre.fail["*"] = ["301"]
    result = sync.sync_portal(central)
    assert result.failed == 1 and result.left == 1 and "HTTP 301" in result.stopped
    assert SyncLog.objects.get(portal=central).status_code == 301


def test_validation_error_is_logged_with_its_message(portal, central, centre):
    dataset = published(portal)
    centre.fail["package_create"] = ["409"]
    result = sync.sync_portal(central)
    assert result.failed == 1
    entry = SyncLog.objects.get(portal=central, ok=False)
    assert entry.action == "package_create" and entry.status_code == 409
    assert "name: That URL is already in use." in entry.message
    state = SyncState.objects.get(portal=central, dataset=dataset)
    assert "That URL is already in use." in state.last_error and state.sent_modified is None


def test_wrong_token_stops_the_portal(portal, central, centre):
    published(portal, name="data-a")
    published(portal, name="data-b")
    central.set_token("token-salah")
    central.save()
    result = sync.sync_portal(central)
    assert result.failed == 1 and result.left == 1 and "Token ditolak" in result.stopped
    assert SyncLog.objects.get(portal=central).status_code == 403


def test_consecutive_failures_end_the_run(portal, central, centre):
    for name in ("data-a", "data-b", "data-c", "data-d"):
        published(portal, name=name)
    centre.fail["package_show"] = ["500"] * 10
    result = sync.sync_portal(central)
    assert result.failed == sync.STOP_AFTER_FAILURES and result.left == 1


def test_the_token_never_reaches_the_log(portal, central, centre):
    published(portal, name="data-a")
    published(portal, name="data-b")
    centre.fail["package_show"] = ["echo-token"]
    sync.sync_portal(central)
    assert SyncLog.objects.filter(ok=False).exists()
    for text in SyncLog.objects.values_list("message", flat=True):
        assert TOKEN not in text
    assert SyncState.objects.exclude(last_error="").exists()
    for text in SyncState.objects.values_list("last_error", flat=True):
        assert TOKEN not in text
    # The token did travel, in Authorization.
    assert centre.packages


# --- Runs -------------------------------------------------------------------------------------


def test_a_portal_already_being_synced_is_skipped(portal, central, centre):
    published(portal)
    with sync.portal_lock(central) as acquired:
        assert acquired
        result = sync.sync_portal(central)
    assert result.locked and centre.calls == []
    assert sync.sync_portal(central).created == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_another_process_holding_the_advisory_lock_is_respected(portal, central, centre):
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [sync.LOCK_NAMESPACE, central.pk])
        published(portal)
        assert sync.sync_portal(central).locked
        assert centre.calls == []
    finally:
        other.close()
    assert sync.sync_portal(central).created == 1


def test_inactive_portal_is_left_alone(portal, central, centre):
    published(portal)
    central.active = False
    central.save()
    assert sync.sync_all() == []
    assert centre.calls == []


def test_command_prints_a_summary_and_filters(portal, central, centre, capsys):
    published(portal, name="data-a")
    published(portal, name="data-b")
    call_command("sync_central_portals", "--dry-run")
    out = capsys.readouterr().out
    assert "kirim: data-a" in out and "kirim: data-b" in out
    assert centre.calls == []
    call_command("sync_central_portals", "--dataset", "data-a")
    out = capsys.readouterr().out
    assert "1 dibuat" in out
    assert {p["name"] for p in centre.packages.values()} == {"data-a"}
    call_command("sync_central_portals", "--portal", central.name)
    assert "1 dibuat" in capsys.readouterr().out
    call_command("sync_central_portals")
    assert "0 dibuat, 0 diperbarui" in capsys.readouterr().out


def test_changing_the_organization_sends_everything_again(portal, central, centre):
    published(portal)
    sync.sync_portal(central)
    assert sync.reset_after_change(central) == 1
    assert sync.status(central)["pending"] == 1


# --- Admin ------------------------------------------------------------------------------------


def admin_urls(central):
    return [
        reverse("datacatalog_sync:index"),
        reverse("datacatalog_sync:add"),
        reverse("datacatalog_sync:edit", args=[central.pk]),
        reverse("datacatalog_sync:log"),
    ]


def test_opd_people_cannot_see_the_admin(portal, central, centre, client_for):
    published(portal)
    for user in (portal.operator_a, portal.verifier_a, portal.operator_b):
        client = client_for(user)
        for url in admin_urls(central):
            assert client.get(url).status_code == 404, url
        for name in ("toggle_active", "sync_now"):
            url = reverse(f"datacatalog_sync:{name}", args=[central.pk])
            assert client.post(url).status_code == 404
        response = client.post(
            reverse("datacatalog_sync:add"),
            {"name": "Jahat", "url": "https://x.example", "organization": "x", "token": "t"},
        )
        assert response.status_code == 404
    central.refresh_from_db()
    assert central.active and centre.calls == []
    assert not CentralPortal.objects.filter(name="Jahat").exists()


def test_kominfo_adds_a_portal_with_a_write_only_token(portal, centre, client_for):
    client = client_for(portal.kominfo)
    add = reverse("datacatalog_sync:add")
    response = client.post(
        add,
        {
            "name": "Provinsi",
            "url": "http://data.jatimprov.example",
            "organization": ORG,
            "token": TOKEN,
        },
    )
    assert response.status_code == 200
    assert "agar token tidak terbaca" in response.content.decode()
    assert TOKEN not in response.content.decode()
    assert not CentralPortal.objects.exists()

    response = client.post(
        add, {"name": "Provinsi", "url": centre.url + "/", "organization": ORG, "token": ""}
    )
    assert response.status_code == 200 and not CentralPortal.objects.exists()

    response = client.post(
        add, {"name": "Provinsi", "url": centre.url + "/", "organization": ORG, "token": TOKEN}
    )
    assert response.status_code == 302
    saved = CentralPortal.objects.get(name="Provinsi")
    assert saved.url == centre.url and saved.token() == TOKEN
    assert TOKEN not in saved.token_encrypted

    edit = reverse("datacatalog_sync:edit", args=[saved.pk])
    page = client.get(edit).content.decode()
    assert "Ubah portal Provinsi" in page and "Sudah tersimpan" in page
    assert TOKEN not in page and saved.token_encrypted not in page
    response = client.post(
        edit, {"name": "Provinsi Jatim", "url": centre.url, "organization": ORG, "token": ""}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Provinsi Jatim" and saved.token() == TOKEN


def test_kominfo_syncs_now_and_reads_status_and_log(portal, central, centre, client_for):
    dataset = published(portal)
    client = client_for(portal.kominfo)
    index = client.get(reverse("datacatalog_sync:index"))
    assert index.status_code == 200
    assert "Sinkronkan sekarang" in index.content.decode()

    response = client.post(reverse("datacatalog_sync:sync_now", args=[central.pk]), follow=True)
    assert response.status_code == 200
    assert "1 dibuat" in response.content.decode()
    assert [p["name"] for p in centre.packages.values()] == [dataset.name]
    assert sync.status(central)["sent"] == 1 and sync.status(central)["pending"] == 0

    centre.fail["package_show"] = ["echo-token"]
    reverify(portal, dataset, "Judul lain")
    client.post(reverse("datacatalog_sync:sync_now", args=[central.pk]))
    pages = [
        client.get(reverse("datacatalog_sync:index")),
        client.get(reverse("datacatalog_sync:log")),
        client.get(reverse("datacatalog_sync:log") + f"?portal={central.pk}&ok=0"),
        client.get(reverse("datacatalog_sync:edit", args=[central.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert TOKEN not in page.content.decode()
    failed_log = pages[2].content.decode()
    assert "package_show" in failed_log and "package_create" not in failed_log
    assert "Dataset yang gagal dikirim" in pages[0].content.decode()


def test_log_pages(portal, central, client_for):
    SyncLog.objects.bulk_create(
        SyncLog(portal=central, dataset_name=f"data-{i}", action="package_show", ok=True)
        for i in range(sync_admin.LOG_PAGE_SIZE + 5)
    )
    client = client_for(portal.kominfo)
    first = client.get(reverse("datacatalog_sync:log")).content.decode()
    assert "Halaman 1 dari 2" in first and "halaman=2" in first
    second = client.get(reverse("datacatalog_sync:log") + "?halaman=2").content.decode()
    assert second.count("package_show") == 5


def test_deactivate_stops_sending(portal, central, centre, client_for):
    published(portal)
    client = client_for(portal.kominfo)
    client.post(reverse("datacatalog_sync:toggle_active", args=[central.pk]))
    central.refresh_from_db()
    assert not central.active
    assert sync.sync_portal(central).sent == 0 and centre.calls == []
