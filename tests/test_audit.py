"""Who created, edited, submitted, approved and published what: Kominfo sees all, each OPD
only its own."""

from django.urls import reverse
from wagtail.models import PageLogEntry

from satupintu.news.models import NewsPage
from tests.test_workflow import _approve_url, _create


def _reviewed_news(portal, client_for, opd, operator, verifier, title):
    _create(client_for(operator), opd, title, "action-submit")
    page = NewsPage.objects.get(title=title)
    client_for(verifier).post(_approve_url(page), {"comment": "Sudah diperiksa."})
    return page


def test_every_step_is_logged_with_who_and_when(portal, client_for):
    page = _reviewed_news(
        portal, client_for, portal.a, portal.operator_a, portal.verifier_a, "Jejak audit dinkes"
    )
    entries = {(e.action, e.user_id) for e in PageLogEntry.objects.filter(page=page)}
    assert ("wagtail.create", portal.operator_a.pk) in entries
    assert ("wagtail.workflow.start", portal.operator_a.pk) in entries
    assert ("wagtail.workflow.approve", portal.verifier_a.pk) in entries
    assert ("wagtail.publish", portal.verifier_a.pk) in entries
    assert all(e.timestamp for e in PageLogEntry.objects.filter(page=page))


def test_opd_sees_its_own_history_and_kominfo_sees_everything(portal, client_for):
    own = _reviewed_news(
        portal, client_for, portal.a, portal.operator_a, portal.verifier_a, "Riwayat dinkes"
    )
    _reviewed_news(
        portal, client_for, portal.b, portal.operator_b, portal.verifier_b, "Riwayat dlh"
    )
    history = client_for(portal.operator_a).get(
        reverse("wagtailadmin_pages:history", args=[own.pk])
    )
    assert history.status_code == 200
    body = history.content.decode()
    assert portal.verifier_a.get_username() in body or "verifikator_a" in body

    site_history = reverse("wagtailadmin_reports:site_history")
    seen_by_a = client_for(portal.operator_a).get(site_history).content.decode()
    assert "Riwayat dinkes" in seen_by_a and "Riwayat dlh" not in seen_by_a
    seen_by_kominfo = client_for(portal.kominfo).get(site_history).content.decode()
    assert "Riwayat dinkes" in seen_by_kominfo and "Riwayat dlh" in seen_by_kominfo
