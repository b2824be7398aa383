import pytest
from django.test import override_settings

from satupintu.core.testing import add_news


@pytest.fixture
def page_cache(settings):
    settings.WAGTAIL_CACHE = True


@pytest.mark.django_db
def test_public_pages_are_kept_briefly_by_browsers_and_nginx(client, portal, page_cache):
    page = add_news(portal.a, "Pengumuman jalan")
    for attempt in ("miss", "hit"):  # wagtail-cache's stored copy is rewritten as well
        response = client.get(page.url)
        assert response.status_code == 200, attempt
        assert response["Cache-Control"] == "public, max-age=60", attempt
        assert response["X-Accel-Expires"] == "10", attempt


@pytest.mark.django_db
@override_settings(SATUPINTU_BROWSER_MAX_AGE=5, SATUPINTU_MICROCACHE_SECONDS=2)
def test_the_lifetimes_come_from_settings(client, portal, page_cache):
    response = client.get(portal.a.home_page.url)
    assert response["Cache-Control"] == "public, max-age=5"
    assert response["X-Accel-Expires"] == "2"


@pytest.mark.django_db
def test_private_and_signed_in_responses_are_untouched(client, portal, page_cache):
    signin = client.get("/akun/masuk/")
    assert "X-Accel-Expires" not in signin
    assert "no-store" in signin["Cache-Control"]
    client.force_login(portal.operator_a)
    admin = client.get("/admin/")
    assert "X-Accel-Expires" not in admin
    assert "public" not in admin.get("Cache-Control", "")
    assert "X-Accel-Expires" not in client.get("/healthz")
