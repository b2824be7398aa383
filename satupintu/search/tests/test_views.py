"""The public search page, suggestions and the click ping, as a citizen's browser uses them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.search import index
from satupintu.search.models import QueryDay

pytestmark = pytest.mark.django_db


def put(key, title, kind="layanan", **fields):
    return index.put(
        index.Doc(key=key, kind=kind, title=title, url=f"/{key.replace(':', '-')}/", **fields)
    )


@pytest.fixture
def entries(portal):
    put(
        "page:8001",
        "Penggantian KTP elektronik hilang",
        summary="Syarat penggantian KTP-el.",
        opd_id=portal.a.pk,
    )
    put(
        "page:8002",
        "Berita peluncuran KTP digital",
        kind="berita",
        published_at=timezone.now(),
        opd_id=portal.b.pk,
    )
    return portal


def test_results_page_shows_kind_opd_snippet_and_facets(client, entries):
    response = client.get(reverse("search"), {"q": "ktp"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Penggantian KTP elektronik hilang" in html
    assert "<mark>KTP" in html
    assert "Dinas Kesehatan" in html  # OPD label
    assert "2 hasil untuk" in html
    assert "jenis=layanan" in html and "opd=dlh" in html  # facet links
    assert 'ping="/cari/klik/?q=ktp"' in html


def test_filters_from_facet_links(client, entries):
    html = client.get(reverse("search"), {"q": "ktp", "jenis": "berita"}).content.decode()
    assert "Berita peluncuran KTP digital" in html
    assert "Penggantian KTP elektronik hilang" not in html
    assert "hapus filter" in html
    html = client.get(reverse("search"), {"q": "ktp", "opd": "dinkes"}).content.decode()
    assert "Pencarian di Dinas Kesehatan" in html
    assert "Berita peluncuran KTP digital" not in html


def test_unknown_filter_values_are_ignored(client, entries):
    response = client.get(
        reverse("search"),
        {"q": "ktp", "jenis": "x", "tahun": "abc", "opd": "tidak-ada", "halaman": "999"},
    )
    assert response.status_code == 200
    assert "2 hasil untuk" in response.content.decode()


def test_empty_result_page_helps(client, entries):
    html = client.get(reverse("search"), {"q": "zzqx"}).content.decode()
    assert "0 hasil untuk" in html
    assert "Belum ketemu?" in html


def test_a_nik_is_never_searched_nor_kept(client, entries):
    response = client.get(reverse("search"), {"q": "3524 0112 3456 7890"})
    assert response.status_code == 302
    assert "3524" not in response["Location"]
    assert not QueryDay.objects.exists()


def test_searches_are_counted_without_personal_data(client, entries):
    client.get(reverse("search"), {"q": "KTP  Hilang"})
    client.get(reverse("search"), {"q": "ktp hilang", "halaman": "2"})  # a next page: not again
    client.get(reverse("search"), {"q": "zzqx"})
    client.get(reverse("search"), {"q": "hubungi 081234567890"})  # a phone number: not kept
    rows = {row.query: row for row in QueryDay.objects.all()}
    assert set(rows) == {"ktp hilang", "zzqx"}
    assert rows["ktp hilang"].searches == 1 and rows["ktp hilang"].empty == 0
    assert rows["zzqx"].empty == 1


def test_click_ping_counts_a_click_for_a_counted_query(client, entries):
    client.get(reverse("search"), {"q": "ktp"})
    assert client.post(reverse("search_click") + "?q=ktp").status_code == 204
    assert client.post(reverse("search_click") + "?q=tidak+pernah+dicari").status_code == 204
    assert QueryDay.objects.get(query="ktp").clicks == 1
    assert not QueryDay.objects.filter(query="tidak pernah dicari").exists()
    assert client.get(reverse("search_click") + "?q=ktp").status_code == 405


def test_suggestions_offer_titles_by_prefix(client, entries):
    data = client.get(reverse("search_suggestions"), {"q": "pengg"}).json()
    assert data["suggestions"][0] == {
        "label": "Penggantian KTP elektronik hilang",
        "kind": "layanan",
        "url": "/page-8001/",
    }
    assert client.get(reverse("search_suggestions"), {"q": "k"}).json() == {"suggestions": []}
    nik = client.get(reverse("search_suggestions"), {"q": "3524011234567890"}).json()
    assert nik == {"suggestions": []}


def test_suggestions_offer_popular_queries_that_found_something(client, entries):
    for _ in range(4):
        client.get(reverse("search"), {"q": "ktp elektronik"})
    labels = [
        s["label"]
        for s in client.get(reverse("search_suggestions"), {"q": "ktp e"}).json()["suggestions"]
    ]
    assert labels[0] == "ktp elektronik"


def test_search_page_is_never_served_from_the_shared_cache(client, entries):
    client.get(reverse("search"), {"q": "ktp"})
    client.get(reverse("search"), {"q": "ktp"})
    assert QueryDay.objects.get(query="ktp").searches == 2


def test_english_interface(client, entries):
    html = client.get("/en/cari/", {"q": "ktp"}).content.decode()
    assert "results for" in html or "result for" in html


def test_an_opd_section_has_a_search_of_its_own(client, entries):
    html = client.get(entries.a.home_page.url).content.decode()
    assert 'name="opd" value="dinkes"' in html
    assert "Cari di Dinkes" in html


def test_counts_older_than_the_retention_are_deleted(client, entries, monkeypatch):
    from satupintu.search import analytics

    old = timezone.localdate() - timezone.timedelta(days=analytics.RETENTION_DAYS + 1)
    QueryDay.objects.create(day=old, query="lama sekali", searches=3)
    monkeypatch.setattr(analytics, "_purged_on", None)
    client.get(reverse("search"), {"q": "ktp"})
    assert not QueryDay.objects.filter(query="lama sekali").exists()
    assert QueryDay.objects.filter(query="ktp").exists()
