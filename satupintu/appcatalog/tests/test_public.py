"""The public catalogue, an app's page, "Aplikasi saya" and the counted launch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.appcatalog import usage
from satupintu.appcatalog.models import App, AppUsageDay


def test_catalogue_lists_apps_with_filters_and_search(apps, category, client):
    url = reverse("appcatalog:catalogue")
    body = client.get(url).content.decode()
    assert "Antrean Puskesmas" in body and "Bank Sampah" in body
    assert 'lang="id"' in body and "<h1>Katalog Aplikasi</h1>" in body
    only_health = client.get(url, {"kategori": category.slug}).content.decode()
    assert "Antrean Puskesmas" in only_health and "Bank Sampah" not in only_health
    by_opd = client.get(url, {"q": "lingkungan"}).content.decode()  # the owner's name
    assert "Bank Sampah" in by_opd and "Antrean Puskesmas" not in by_opd
    staff_only = client.get(url, {"pengguna": "asn"}).content.decode()
    assert "Antrean Puskesmas" not in staff_only and "0 aplikasi" in staff_only


def test_catalogue_paginates(portal, client):
    App.objects.bulk_create(
        App(name=f"Aplikasi {i:02d}", slug=f"aplikasi-{i:02d}", owner=portal.a, audience="asn")
        for i in range(30)
    )
    url = reverse("appcatalog:catalogue")
    first = client.get(url).content.decode()
    assert "Aplikasi 00" in first and "Aplikasi 29" not in first and 'rel="next"' in first
    second = client.get(url, {"halaman": 2}).content.decode()
    assert "Aplikasi 29" in second


def test_retired_app_is_shown_as_such_and_not_launched(apps, client):
    app = apps["a"]
    app.status = App.Status.RETIRED
    app.save()
    body = client.get(reverse("appcatalog:detail", args=[app.slug])).content.decode()
    assert "pensiun" in body and reverse("appcatalog:launch", args=[app.slug]) not in body
    response = client.get(reverse("appcatalog:launch", args=[app.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("appcatalog:detail", args=[app.slug])
    usage.fold()
    assert not AppUsageDay.objects.exists()


def test_retiring_badge(apps, client):
    apps["a"].status = App.Status.RETIRING
    apps["a"].save()
    body = client.get(reverse("appcatalog:catalogue")).content.decode()
    assert "akan dipensiunkan" in body


def test_launch_redirects_and_counts_without_writing_the_database(apps, citizen, client):
    client.force_login(citizen.user)
    url = reverse("appcatalog:launch", args=[apps["a"].slug])
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 302 and response["Location"] == apps["a"].url
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert not writes, writes
    assert len(queries) <= 4, [q["sql"] for q in queries]
    client.logout()
    client.get(url)  # anonymous: a launch, not a user
    assert usage.fold() == 1
    row = AppUsageDay.objects.get(app=apps["a"])
    assert (row.launches, row.distinct_users, row.sso_signins) == (3, 1, 0)
    # Folding again adds nothing; later launches are added to the same row.
    assert usage.fold() == 0
    client.get(url)
    usage.fold()
    row.refresh_from_db()
    assert row.launches == 4 and row.distinct_users == 1


def test_unknown_app_is_404(db, client):
    assert client.get(reverse("appcatalog:launch", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("appcatalog:detail", args=["tidak-ada"])).status_code == 404


def test_my_apps_needs_a_citizen_and_puts_recent_first(portal, apps, citizen, client):
    url = reverse("appcatalog:mine")
    assert client.get(url).status_code == 302
    client.force_login(citizen.user)
    extra = App.objects.create(
        name="Aaa Layanan",
        slug="aaa-layanan",
        owner=portal.a,
        audience="warga",
        url="https://aaa.contoh.example/",
    )
    App.objects.create(
        name="Internal",
        slug="internal",
        owner=portal.a,
        audience="internal",
        url="https://internal.contoh.example/",
    )
    body = client.get(url).content.decode()
    assert body.index("Aaa Layanan") < body.index("Antrean Puskesmas")
    assert "Internal" not in body.split("<main")[1].split("</main>")[0].replace("Internal OPD", "")
    client.get(reverse("appcatalog:launch", args=[apps["a"].slug]))
    body = client.get(url).content.decode()
    assert body.index("Antrean Puskesmas") < body.index(extra.name)
    assert client.get(url)["Cache-Control"].startswith("max-age=0")
    client.post(reverse("appcatalog:forget_recent"))
    body = client.get(url).content.decode()
    assert body.index("Aaa Layanan") < body.index("Antrean Puskesmas")


def test_app_slug_cannot_take_a_catalogue_path(portal):
    from django.core.exceptions import ValidationError

    app = App(name="Saya", slug="saya", owner=portal.a, audience="warga")
    with pytest.raises(ValidationError):
        app.full_clean()
