"""What citizens see: one home for every OPD, each OPD its own section, feeds, no drafts."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from wagtailcache.cache import clear_cache

from satupintu.announcements.models import AnnouncementIndexPage, AnnouncementPage
from satupintu.core.testing import add_news


def _announce(opd, title, valid_from, valid_until):
    index = AnnouncementIndexPage.objects.child_of(opd.home_page).get()
    page = AnnouncementPage(
        title=title, valid_from=valid_from, valid_until=valid_until, body="<p>Isi</p>"
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_home_aggregates_every_opd_and_opd_home_only_its_own(portal, client):
    add_news(portal.a, "Vaksinasi di Puskesmas Babat")
    add_news(portal.b, "Penanaman mangrove di Paciran")
    home = client.get("/").content.decode()
    assert "Vaksinasi di Puskesmas Babat" in home and "Penanaman mangrove di Paciran" in home
    section = client.get("/dinkes/").content.decode()
    assert "Vaksinasi di Puskesmas Babat" in section
    assert "Penanaman mangrove di Paciran" not in section
    listing = client.get("/berita/").content.decode()
    assert "Vaksinasi" in listing and "mangrove" in listing


def test_drafts_are_not_public(portal, client):
    draft = add_news(portal.a, "Draf rahasia dinkes", publish=False)
    assert "Draf rahasia dinkes" not in client.get("/").content.decode()
    assert "Draf rahasia dinkes" not in client.get("/dinkes/berita/").content.decode()
    assert client.get(draft.url_path.replace("/beranda", "", 1)).status_code == 404


def test_expired_announcements_leave_the_home_page(portal, client):
    today = timezone.localdate()
    _announce(portal.a, "Pendaftaran vaksin dibuka", today - datetime.timedelta(days=1), None)
    _announce(
        portal.a,
        "Pengumuman kedaluwarsa",
        today - datetime.timedelta(days=30),
        today - datetime.timedelta(days=1),
    )
    home = client.get("/").content.decode()
    assert "Pendaftaran vaksin dibuka" in home
    assert "Pengumuman kedaluwarsa" not in home
    # Still in the archive, marked as no longer valid.
    archive = client.get("/pengumuman/").content.decode()
    assert "Pengumuman kedaluwarsa" in archive


@pytest.mark.parametrize("path", ["/feeds/berita.rss", "/feeds/berita.atom"])
def test_regency_feeds_list_news_of_all_opds(portal, client, path):
    add_news(portal.a, "Berita umpan dinkes")
    add_news(portal.b, "Berita umpan dlh")
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Berita umpan dinkes" in body and "Berita umpan dlh" in body


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_opd_feed_lists_only_its_own_news(portal, client, suffix):
    add_news(portal.a, "Berita umpan dinkes")
    add_news(portal.b, "Berita umpan dlh")
    body = client.get(f"/feeds/dinkes/berita.{suffix}").content.decode()
    assert "Berita umpan dinkes" in body and "Berita umpan dlh" not in body
    assert client.get(f"/feeds/tidak-ada/berita.{suffix}").status_code == 404


def test_sitemap_lists_published_pages_only(portal, client):
    live = add_news(portal.a, "Berita di peta situs")
    add_news(portal.a, "Draf di peta situs", publish=False)
    body = client.get("/sitemap.xml").content.decode()
    assert live.slug in body
    assert "draf-di-peta-situs" not in body


def test_sitemap_lists_published_datasets_and_apps_too(portal, client):
    from satupintu.appcatalog.models import App
    from satupintu.datacatalog.testing import make_dataset

    verified = make_dataset(
        portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, name="data-terbit"
    )
    make_dataset(portal.a, portal.operator_a, name="data-draf")  # never verified
    App.objects.create(
        name="Antrean", slug="antrean", owner=portal.a, url="https://antrean.example/"
    )
    body = client.get("/sitemap.xml").content.decode()
    assert f"/data/{verified.name}/</loc>" in body
    assert "data-draf" not in body
    assert "/aplikasi/antrean/</loc>" in body


def test_robots_txt_points_to_sitemap_and_keeps_admin_out(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "/sitemap.xml" in body


def test_not_found_page_is_indonesian(portal, client):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert 'lang="id"' in response.content.decode()
    assert "tidak ditemukan" in response.content.decode().lower()


def test_english_interface_under_en_prefix(portal, client):
    indonesian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="id"' in indonesian
    assert '<html lang="en"' in english
    assert "Langsung ke konten utama" in indonesian
    assert "Skip to main content" in english


def test_accessibility_statement_is_published(portal, client):
    response = client.get("/aksesibilitas/")
    assert response.status_code == 200
    assert "WCAG 2.2" in response.content.decode()


def test_search_finds_news_across_opds(portal, client):
    add_news(portal.a, "Posyandu balita serentak")
    add_news(portal.b, "Posyandu lansia di desa")
    body = client.get("/cari/", {"q": "posyandu"}).content.decode()
    assert "Posyandu balita serentak" in body and "Posyandu lansia di desa" in body
    long_query = client.get("/cari/", {"q": "x" * 500})
    assert long_query.status_code == 200
    assert "terlalu panjang" in long_query.content.decode()


def _queries(client, path, cached=False):
    if not cached:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/", "/dinkes/", "/berita/", "/dinkes/berita/", "/opd/"])
def test_query_count_does_not_grow_with_content(portal, client, path):
    """No N+1: ten times more news costs no more queries per page."""
    for i in range(3):
        add_news(portal.a, f"Berita awal {i}")
        add_news(portal.b, f"Berita awal dlh {i}")
    client.get(path)  # warm per-process caches (site root paths, content types)
    few = _queries(client, path)
    for i in range(27):
        add_news(portal.a if i % 2 else portal.b, f"Berita tambahan {i}")
    many = _queries(client, path)
    assert many <= few, f"{path}: {few} queries with little content, {many} with more"


def test_home_lists_are_cached_until_the_next_publish(portal, client):
    add_news(portal.a, "Berita sebelum")
    uncached = _queries(client, "/")
    cached = _queries(client, "/", cached=True)
    assert cached < uncached
    add_news(portal.b, "Berita sesudah")  # publishing clears the cached lists
    assert "Berita sesudah" in client.get("/").content.decode()


@override_settings(WAGTAIL_CACHE=True)
def test_cached_home_is_purged_when_news_is_published(portal, client):
    clear_cache()
    add_news(portal.a, "Berita pertama")
    first = client.get("/")
    assert "Berita pertama" in first.content.decode()
    second = client.get("/")
    assert second.headers.get("X-Wagtail-Cache") == "hit"

    add_news(portal.b, "Berita baru setelah persetujuan")
    third = client.get("/")
    assert third.headers.get("X-Wagtail-Cache") != "hit"
    assert "Berita baru setelah persetujuan" in third.content.decode()
    clear_cache()


def test_deep_pages_are_found_with_few_queries_and_drafts_stay_hidden(portal, client):
    news = add_news(portal.a, "Berita untuk rute")
    url = f"/dinkes/berita/{news.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and "Berita untuk rute" in response.content.decode()
    page_queries = [q for q in captured if 'FROM "wagtailcore_page"' in q["sql"]]
    assert len(page_queries) <= 5, len(page_queries)
    draft = add_news(portal.a, "Draf untuk rute", publish=False)
    assert client.get(f"/dinkes/berita/{draft.slug}/").status_code == 404
    assert client.get(f"/dlh/berita/{news.slug}/").status_code == 404  # wrong section
    assert client.get(f"/en{url}").status_code == 200
