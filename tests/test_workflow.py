"""Nothing is published unreviewed: operator submits, the same OPD's verifikator approves."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from satupintu.news.models import NewsIndexPage, NewsPage


def _news_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "date": "2026-11-20",
            "intro": "Ringkasan berita uji.",
            "body": rich_text("<p>Isi berita uji.</p>"),
            "author_name": "",
            "tags": "",
            **extra,
        }
    )


def _create(client, opd, title, action):
    index = NewsIndexPage.objects.child_of(opd.home_page).get()
    url = reverse("wagtailadmin_pages:add", args=("news", "newspage", index.pk))
    return client.post(url, {**_news_form(title), action: "1"})


def _approve_url(page, action="approve"):
    state = page.current_workflow_state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))


def test_operator_cannot_publish(portal, client_for):
    client = client_for(portal.operator_a)
    response = _create(client, portal.a, "Berita langsung terbit", "action-publish")
    assert response.status_code in (200, 302, 403)
    page = NewsPage.objects.filter(slug="berita-langsung-terbit").first()
    assert page is None or not page.live


def test_operator_submits_and_own_verifier_approves(portal, client_for):
    client = client_for(portal.operator_a)
    response = _create(client, portal.a, "Posyandu serentak", "action-submit")
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="posyandu-serentak")
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    assert page.opd == portal.a

    client = client_for(portal.verifier_a)
    response = client.post(_approve_url(page), {"comment": "Sudah benar."})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_verifier_of_another_opd_cannot_approve(portal, client_for):
    _create(client_for(portal.operator_a), portal.a, "Imunisasi dasar", "action-submit")
    page = NewsPage.objects.get(slug="imunisasi-dasar")
    response = client_for(portal.verifier_b).post(_approve_url(page), {"comment": "ok"})
    assert response.status_code in (302, 403, 404)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"


def test_operator_cannot_approve_own_submission(portal, client_for):
    client = client_for(portal.operator_a)
    _create(client, portal.a, "Berita sendiri", "action-submit")
    page = NewsPage.objects.get(slug="berita-sendiri")
    client.post(_approve_url(page), {"comment": "ok"})
    page.refresh_from_db()
    assert not page.live


def test_kominfo_can_always_approve(portal, client_for):
    _create(client_for(portal.operator_b), portal.b, "Bank sampah", "action-submit")
    page = NewsPage.objects.get(slug="bank-sampah")
    response = client_for(portal.kominfo).post(_approve_url(page), {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_verifier_rejection_returns_to_operator(portal, client_for):
    _create(client_for(portal.operator_a), portal.a, "Perlu perbaikan", "action-submit")
    page = NewsPage.objects.get(slug="perlu-perbaikan")
    client_for(portal.verifier_a).post(
        _approve_url(page, "reject"), {"comment": "Judul kurang jelas."}
    )
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"


@pytest.mark.parametrize("title", ["<script>alert(1)</script>", "Berita <b>tebal</b>"])
def test_markup_in_title_is_refused_with_a_message(portal, client_for, title):
    response = _create(client_for(portal.operator_a), portal.a, title, "action-submit")
    assert response.status_code == 200
    assert "kode HTML" in response.content.decode()
    assert not NewsPage.objects.filter(title=title).exists()


def test_malformed_date_is_refused_and_nothing_saved(portal, client_for):
    index = NewsIndexPage.objects.child_of(portal.a.home_page).get()
    url = reverse("wagtailadmin_pages:add", args=("news", "newspage", index.pk))
    data = {**_news_form("Tanggal salah"), "date": "31-31-2026", "action-submit": "1"}
    response = client_for(portal.operator_a).post(url, data)
    assert response.status_code == 200
    assert not NewsPage.objects.filter(title="Tanggal salah").exists()


def test_script_in_rich_text_is_stripped(portal, client_for):
    index = NewsIndexPage.objects.child_of(portal.a.home_page).get()
    url = reverse("wagtailadmin_pages:add", args=("news", "newspage", index.pk))
    data = {
        **_news_form("Isi berbahaya"),
        "body": rich_text('<p>Halo</p><script>alert(1)</script><p onclick="x()">dunia</p>'),
        "action-submit": "1",
    }
    client_for(portal.operator_a).post(url, data)
    page = NewsPage.objects.get(title="Isi berbahaya").get_latest_revision_as_object()
    assert "<script" not in page.body and "onclick" not in page.body
    assert "Halo" in page.body
