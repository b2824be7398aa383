"""One published item of every kind of public page, for the header and form checks."""

from types import SimpleNamespace

import pytest
from django.urls import reverse


@pytest.fixture
def public_pages(portal):
    """Paths of each kind of public page, with content published through the normal models,
    and of two served files: a dataset download and a Wagtail document."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from satupintu.appcatalog.models import App
    from satupintu.core.testing import add_news
    from satupintu.datacatalog.testing import make_dataset
    from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage
    from satupintu.services.models import ServiceIndexPage, ServicePage

    news = add_news(portal.a, "Vaksinasi di Puskesmas Babat")
    service = ServicePage(
        title="Surat keterangan sehat",
        summary="Cara mendapatkan surat keterangan sehat.",
        requirements="<p>KTP-el</p>",
        procedure="<p>Datang ke puskesmas</p>",
        duration="1 hari",
        fee="Gratis",
        product="Surat",
        complaints="<p>Hubungi kami</p>",
    )
    ServiceIndexPage.objects.child_of(portal.a.home_page).get().add_child(instance=service)
    service.save_revision().publish()
    document = Document(
        title="Laporan keuangan",
        collection=portal.a.collection,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="lk.pdf"),
    )
    document.save()
    ppid = PPIDDocumentPage(
        title="Laporan keuangan", category="berkala", year=2026, document=document
    )
    PPIDIndexPage.objects.child_of(portal.a.home_page).get().add_child(instance=ppid)
    ppid.save_revision().publish()
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    resource = dataset.resources.get()
    App.objects.create(
        name="Antrean Puskesmas",
        slug="antrean-puskesmas",
        owner=portal.a,
        audience=App.Audience.CITIZENS,
        url="https://antrean.contoh.example/",
    )
    resource_url = reverse("datacatalog:resource", args=[dataset.name, resource.id])
    pages = {
        "home": "/",
        "opd home": portal.a.home_page.url,
        "news": news.url,
        "service": service.url,
        "ppid": ppid.url,
        "search": "/cari/?q=kesehatan",
        "data catalog": reverse("datacatalog:index"),
        "dataset": reverse("datacatalog:dataset", args=[dataset.name]),
        "resource with chart and map": (
            f"{resource_url}?grafik_kategori=kecamatan&grafik_angka=jumlah"
            "&peta_kode=kode_kecamatan&peta_angka=jumlah"
        ),
        "app catalogue": reverse("appcatalog:catalogue"),
        "sign-in": reverse("citizens:signin"),
        "api": "/api/v1/cari/?q=kesehatan",
        "openapi document": "/api/v1/openapi.json",
        "openapi docs": "/api/v1/docs",
        "english home": "/en/",
        "not found": "/tidak-ada-halaman-ini/",
    }
    download = reverse("datacatalog:download", args=[dataset.name, resource.id])
    return SimpleNamespace(pages=pages, download=download, document=document.url)


@pytest.fixture
def citizen(portal):
    """An invented citizen's account (satupintu.citizens.testing), with an empty cache: the
    sign-in throttle counts live there and outlive each test's transaction."""
    from django.core.cache import cache

    from satupintu.citizens.testing import PEOPLE, make_citizen

    cache.clear()
    yield make_citizen(PEOPLE["siti"], email="siti@example.org")
    cache.clear()
