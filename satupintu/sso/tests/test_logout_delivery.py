"""Back-channel logouts an app did not accept are retried, then given up, and Kominfo sees
which apps do not answer. The app here is a local HTTP endpoint whose answer the test sets."""

import datetime
import io
import socket

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import Application

from satupintu.sso import logout
from satupintu.sso.management.commands.prune_sso_records import DELIVERY_RETENTION, prune
from satupintu.sso.models import ClientPolicy, LogoutDelivery

pytestmark = pytest.mark.django_db


def _app(name, uri):
    app = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris="https://app.example.go.id/callback",
    )
    ClientPolicy.objects.create(application=app, backchannel_logout_uri=uri)
    return app


def _owed(app, uri, **fields):
    return LogoutDelivery.objects.create(
        application=app, uri=uri, sub="pairwise-sub", sid="pairwise-sid", **fields
    )


def _run():
    call_command("deliver_sso_logouts", stdout=io.StringIO())


def _closed_port_url():
    """A local address nothing listens on: the connection is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/backchannel"


def test_a_failed_delivery_is_retried_later_with_a_fresh_token(receiver):
    app = _app("SIMPEG", receiver.url)
    delivery = _owed(app, receiver.url)
    receiver.status = 503
    _run()
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_result == "503"
    assert delivery.delivered_at is None and delivery.gave_up_at is None
    assert delivery.next_attempt_at > timezone.now()
    _run()  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    receiver.status = 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        _run()
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    first, second = (r["body"]["logout_token"][0] for r in receiver.received)
    assert first != second  # a new jti and iat each time


def test_one_dead_app_does_not_hold_up_the_others(receiver):
    dead_uri = _closed_port_url()
    dead = _app("Mati", dead_uri)
    alive = _app("Hidup", receiver.url)
    first = _owed(dead, dead_uri)
    second = _owed(dead, dead_uri)
    third = _owed(alive, receiver.url)
    counts = logout.deliver(logout.due())
    assert counts == {"delivered": 1, "failed": 1, "deferred": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.attempts == 1 and first.last_result == "ConnectionError"
    assert second.attempts == 0  # waits for the next run, its turn not spent
    assert third.delivered_at is not None


def test_a_delivery_is_given_up_after_the_last_retry(receiver):
    app = _app("SIMPEG", receiver.url)
    receiver.status = 500
    delivery = _owed(app, receiver.url, attempts=len(logout.RETRY_DELAYS))
    _run()
    delivery.refresh_from_db()
    assert delivery.gave_up_at is not None and delivery.delivered_at is None
    _run()
    assert len(receiver.received) == 1


def test_kominfo_sees_apps_that_do_not_answer(client_for, portal):
    quiet = _app("Aplikasi Diam", "https://diam.example.go.id/logout")
    _owed(quiet, "https://diam.example.go.id/logout")
    _owed(quiet, "https://diam.example.go.id/logout", gave_up_at=timezone.now())
    fine = _app("Aplikasi Lancar", "https://lancar.example.go.id/logout")
    _owed(fine, "https://lancar.example.go.id/logout", delivered_at=timezone.now())
    page = client_for(portal.kominfo).get("/admin/sso/kebijakan/").content.decode()
    assert "1 menunggu, 1 gagal" in page
    assert "lancar" in page
    # OPD roles cannot see the list at all.
    assert client_for(portal.operator_a).get("/admin/sso/kebijakan/").status_code in (302, 403, 404)


def test_finished_deliveries_are_pruned_after_a_month():
    app = _app("SIMPEG", "https://simpeg.example.go.id/logout")
    old = timezone.now() - DELIVERY_RETENTION - datetime.timedelta(days=1)
    _owed(app, app.satupintu_policy.backchannel_logout_uri, delivered_at=old, created_at=old)
    _owed(app, app.satupintu_policy.backchannel_logout_uri, gave_up_at=old, created_at=old)
    waiting = _owed(app, app.satupintu_policy.backchannel_logout_uri, created_at=old)
    recent = _owed(app, app.satupintu_policy.backchannel_logout_uri, delivered_at=timezone.now())
    assert prune()["logout_deliveries"] == 2
    assert set(LogoutDelivery.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
