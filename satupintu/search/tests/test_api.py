"""The search in the public JSON API: the same answers as the page, for programs."""

import pytest
from django.utils import timezone

from satupintu.search import index
from satupintu.search.models import QueryDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(portal):
    index.put(
        index.Doc(
            key="page:7001",
            kind="layanan",
            title="Penggantian KTP elektronik",
            url="/dinkes/layanan/ktp/",
            summary="Syarat penggantian KTP-el.",
            opd_id=portal.a.pk,
        )
    )
    index.put(
        index.Doc(
            key="page:7002",
            kind="berita",
            title="Sosialisasi KTP digital",
            url="/dlh/berita/ktp/",
            published_at=timezone.now(),
            opd_id=portal.b.pk,
        )
    )
    return portal


def test_search_returns_results_facets_and_pages(client, entries):
    data = client.get("/api/v1/cari/", {"q": "ktp"}).json()
    assert data["jumlah"] == 2 and data["jumlah_halaman"] == 1 and not data["jumlah_lebih"]
    first = data["hasil"][0]
    assert set(first) == {"judul", "url", "jenis", "jenis_label", "opd", "tanggal", "cuplikan_html"}
    assert {f["nilai"]: f["jumlah"] for f in data["faset"]["jenis"]} == {"layanan": 1, "berita": 1}
    assert {f["nilai"] for f in data["faset"]["opd"]} == {"dinkes", "dlh"}
    assert not QueryDay.objects.exists()  # programs' calls are not the public's searches


def test_filters(client, entries):
    data = client.get("/api/v1/cari/", {"q": "ktp", "jenis": "berita", "opd": "dlh"}).json()
    assert [h["judul"] for h in data["hasil"]] == ["Sosialisasi KTP digital"]
    assert client.get("/api/v1/cari/", {"q": "ktp", "opd": "tidak-ada"}).status_code == 404
    assert client.get("/api/v1/cari/", {"q": "ktp", "jenis": "rahasia"}).status_code == 422
    assert client.get("/api/v1/cari/", {"q": "ktp", "halaman": 0}).status_code == 422


def test_nik_is_refused(client, entries):
    response = client.get("/api/v1/cari/", {"q": "3524011234567890"})
    assert response.status_code == 400
    assert "3524011234567890" not in response.content.decode()


def test_suggestions(client, entries):
    data = client.get("/api/v1/cari/saran", {"q": "pengg"}).json()
    assert data == [
        {"label": "Penggantian KTP elektronik", "jenis": "layanan", "url": "/dinkes/layanan/ktp/"}
    ]


def test_openapi_document_and_local_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Satu Pintu API"
    assert "/api/v1/cari/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
