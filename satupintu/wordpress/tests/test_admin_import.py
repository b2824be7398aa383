"""Kominfo imports from the admin; OPD people cannot import, into any OPD."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.news.models import NewsPage
from satupintu.wordpress import sample


def _upload(text=None):
    return SimpleUploadedFile(
        "ekspor.xml", (text or sample.build(posts=6, pages=1)).encode(), "text/xml"
    )


def test_kominfo_imports_an_export_into_review(portal, client_for):
    client = client_for(portal.kominfo)
    assert client.get(reverse("wordpress_import")).status_code == 200
    response = client.post(reverse("wordpress_import"), {"opd": portal.a.pk, "export": _upload()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dibuat" in body and "[contact-form-7]" in body
    news = NewsPage.objects.filter(opd=portal.a)
    assert news.count() == 6 and not news.filter(live=True).exists()


def test_hostile_upload_gets_a_message_and_imports_nothing(portal, client_for):
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>'
    response = client_for(portal.kominfo).post(
        reverse("wordpress_import"), {"opd": portal.a.pk, "export": _upload(bomb)}
    )
    assert "DTD" in response.content.decode()
    assert not NewsPage.objects.filter(opd=portal.a).exists()


def test_opd_people_cannot_import_into_any_opd(portal, client_for):
    for user in (portal.operator_a, portal.verifier_a, portal.operator_b):
        client = client_for(user)
        assert client.get(reverse("wordpress_import")).status_code in (302, 403)
        for opd in (portal.a, portal.b):
            response = client.post(
                reverse("wordpress_import"), {"opd": opd.pk, "export": _upload()}
            )
            assert response.status_code in (302, 403)
    assert not NewsPage.objects.filter(opd__in=[portal.a, portal.b]).exists()
