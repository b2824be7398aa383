"""Kominfo registers an OPD in the admin, and saving it provisions the whole section."""

import pytest
from django.urls import reverse

from satupintu.opd.models import OPD

FORM = {
    "name": "Dinas Sosial",
    "acronym": "Dinsos",
    "slug": "dinsos",
    "type": "dinas",
    "region": "",
    "head_name": "",
    "head_title": "",
    "address": "",
    "phone": "",
    "email": "",
    "opening_hours": "Senin–Kamis 07.30–15.30\nJumat 07.30–14.00",
    "latitude": "",
    "longitude": "",
}


def test_kominfo_creates_an_opd_and_it_is_provisioned(portal, client_for):
    client = client_for(portal.kominfo)
    response = client.post(reverse("opd:add"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    opd = OPD.objects.get(slug="dinsos")
    assert opd.is_provisioned
    assert client.get("/dinsos/").status_code == 200


def test_editing_an_opd_renames_its_section(portal, client_for):
    client = client_for(portal.kominfo)
    data = {**FORM, "name": "Dinas Kesehatan Daerah", "acronym": "Dinkes", "slug": "dinkes"}
    response = client.post(reverse("opd:edit", args=[portal.a.pk]), data)
    assert response.status_code == 302
    portal.a.refresh_from_db()
    portal.a.home_page.refresh_from_db()
    assert portal.a.home_page.title == "Dinas Kesehatan Daerah"
    assert portal.a.collection.name == "Dinas Kesehatan Daerah"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Dinas Sosial"}, "huruf kecil"),
        ({"slug": "cari"}, "sudah dipakai oleh portal"),
        ({"slug": "aksesibilitas"}, "sudah dipakai halaman lain"),
        ({"name": "Dinas Kesehatan"}, "telah ada"),
        ({"name": "<script>x</script>"}, "kode HTML"),
        ({"latitude": "-7.1"}, "lintang dan bujur"),
        ({"latitude": "40", "longitude": "10"}, "luar wilayah Indonesia"),
        ({"email": "bukan-surel"}, "valid"),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(portal, client_for, changes, message):
    before = OPD.objects.count()
    response = client_for(portal.kominfo).post(reverse("opd:add"), {**FORM, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OPD.objects.count() == before


def test_opd_operators_cannot_open_the_registry(portal, client_for):
    for user in (portal.operator_a, portal.verifier_a):
        client = client_for(user)
        assert client.get(reverse("opd:index")).status_code in (302, 403)
        assert client.post(reverse("opd:add"), FORM).status_code in (302, 403)
    assert not OPD.objects.filter(slug="dinsos").exists()


def test_kominfo_staff_without_superuser_can_run_the_platform(portal, client_for):
    """A Kominfo group member (not a superuser) registers OPDs and approves any OPD's news."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from satupintu.news.models import NewsPage
    from satupintu.opd.provisioning import KOMINFO_GROUP
    from tests.test_workflow import _approve_url, _create

    staff = get_user_model().objects.create_user("staf_kominfo", password="x-Kata-Sandi-9")
    staff.groups.add(Group.objects.get(name=KOMINFO_GROUP))
    client = client_for(staff)
    assert client.post(reverse("opd:add"), FORM).status_code == 302
    assert OPD.objects.get(slug="dinsos").is_provisioned
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200

    _create(client_for(portal.operator_b), portal.b, "Berita untuk Kominfo", "action-submit")
    page = NewsPage.objects.get(title="Berita untuk Kominfo")
    client_for(staff).post(_approve_url(page), {"comment": ""})
    page.refresh_from_db()
    assert page.live
