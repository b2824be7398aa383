"""Kominfo's side: one-step registration with an OIDC client, the dashboard, the report."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_application_model

from satupintu.appcatalog import reports, usage
from satupintu.appcatalog.models import App, AppLogEntry, AppUsageDay
from satupintu.core import spreadsheets

Application = get_application_model()


def _registration(portal, category, **extra):
    return {
        "name": "Layanan Adminduk",
        "slug": "layanan-adminduk",
        "description": "Urus dokumen kependudukan",
        "owner": portal.a.pk,
        "category": category.pk,
        "audience": "warga",
        "url": "https://adminduk.contoh.example/",
        "status": "aktif",
        "hosting": "pusat_data_daerah",
        "redirect_uris": "https://adminduk.contoh.example/oidc/callback/",
        **extra,
    }


def test_one_step_registration_creates_a_working_client_and_shows_the_secret_once(
    portal, category, client
):
    client.force_login(portal.kominfo)
    response = client.post(reverse("appcatalog_register"), _registration(portal, category))
    assert response.status_code == 200, response.content.decode()[:3000]
    app = App.objects.get(slug="layanan-adminduk")
    secret = response.context["client_secret"]
    assert app.sso and app.client.client_id == response.context["client_id"]
    body = response.content.decode()
    assert secret in body and "no-store" in response["Cache-Control"]
    stored = Application.objects.get(pk=app.client_id)
    assert stored.client_secret != secret  # hashed
    from django.contrib.auth.hashers import check_password

    assert check_password(secret, stored.client_secret)
    assert stored.client_type == Application.CLIENT_CONFIDENTIAL
    assert stored.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE
    assert stored.algorithm == Application.RS256_ALGORITHM
    assert stored.skip_authorization is False
    assert stored.redirect_uris == "https://adminduk.contoh.example/oidc/callback/"
    assert AppLogEntry.objects.filter(object_id=str(app.pk), action="wagtail.create").exists()
    # The secret is nowhere to be seen again.
    edit = client.get(reverse("katalog_aplikasi:edit", args=[app.pk])).content.decode()
    inspect = client.get(reverse("katalog_aplikasi:inspect", args=[app.pk])).content.decode()
    assert secret not in edit and secret not in inspect


def test_an_app_already_listed_gets_its_client_and_a_new_secret_later(portal, apps, client):
    from django.contrib.auth.hashers import check_password

    client.force_login(portal.kominfo)
    app = apps["a"]
    url = reverse("appcatalog_client", args=[app.pk])
    edit = client.get(reverse("katalog_aplikasi:edit", args=[app.pk])).content.decode()
    assert url in edit and "Buat klien SSO" in edit
    refused = client.post(url, {"redirect_uris": "http://antrean.contoh.example/cb"})
    assert refused.status_code == 200 and refused.context["form"].errors
    app.refresh_from_db()
    assert app.client is None

    created = client.post(url, {"redirect_uris": "https://antrean.contoh.example/cb"})
    first_secret = created.context["client_secret"]
    app.refresh_from_db()
    client_id = app.client.client_id
    assert created.context["client_id"] == client_id
    assert check_password(first_secret, app.client.client_secret)

    # Addresses change without touching the secret.
    saved = client.post(
        url,
        {
            "redirect_uris": "https://antrean.contoh.example/cb\nhttps://antrean.contoh.example/cb2",
            "post_logout_redirect_uris": "https://antrean.contoh.example/",
        },
    )
    assert saved.status_code == 302
    stored = Application.objects.get(client_id=client_id)
    assert stored.redirect_uris.split() == [
        "https://antrean.contoh.example/cb",
        "https://antrean.contoh.example/cb2",
    ]
    assert check_password(first_secret, stored.client_secret)

    # A lost secret is replaced; the client id (and so every citizen's pairwise sub) stays.
    page = client.get(url).content.decode()
    assert "antrean.contoh.example/cb2" in page and first_secret not in page
    renewed = client.post(
        url,
        {"redirect_uris": "https://antrean.contoh.example/cb", "new_secret": "on"},
    )
    second_secret = renewed.context["client_secret"]
    assert "no-store" in renewed["Cache-Control"]
    stored = Application.objects.get(client_id=client_id)
    assert check_password(second_secret, stored.client_secret)
    assert not check_password(first_secret, stored.client_secret)
    assert Application.objects.count() == 1


def test_only_kominfo_manages_clients(portal, apps, client):
    client.force_login(portal.operator_a)
    url = reverse("appcatalog_client", args=[apps["a"].pk])
    assert client.get(url).status_code in (302, 403, 404)
    assert client.post(url, {"redirect_uris": "https://x.example/cb"}).status_code in (
        302,
        403,
        404,
    )
    assert not Application.objects.exists()
    edit = client.get(reverse("katalog_aplikasi:edit", args=[apps["a"].pk])).content.decode()
    assert url not in edit


@pytest.mark.parametrize("uri", ["http://evil.example/cb", "https://a.example/*", "javascript:x"])
def test_registration_refuses_unsafe_redirect_uris(portal, category, client, uri):
    client.force_login(portal.kominfo)
    response = client.post(
        reverse("appcatalog_register"), _registration(portal, category, redirect_uris=uri)
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not App.objects.filter(slug="layanan-adminduk").exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", ["operator_a", "verifier_a"])
def test_registration_and_dashboard_are_kominfo_only(portal, category, client, role):
    client.force_login(getattr(portal, role))
    for name in (
        "appcatalog_register",
        "appcatalog_dashboard",
        "appcatalog_report_csv",
        "appcatalog_report_xlsx",
    ):
        assert client.get(reverse(name)).status_code == 404
    client.post(reverse("appcatalog_register"), _registration(portal, category))
    assert not App.objects.filter(slug="layanan-adminduk").exists()


@pytest.fixture
def history(portal, apps):
    """A busy app, a quiet one, and one unused for a year."""
    today = timezone.localdate()
    rows = [
        AppUsageDay(
            app=apps["a"],
            date=today - timezone.timedelta(days=d),
            launches=100,
            distinct_users=60,
            sso_signins=10,
        )
        for d in range(60)
    ]
    rows.append(
        AppUsageDay(
            app=apps["b"], date=today - timezone.timedelta(days=300), launches=2, distinct_users=1
        )
    )
    AppUsageDay.objects.bulk_create(rows)
    idle = App.objects.create(
        name="Aplikasi Lama", slug="aplikasi-lama", owner=portal.b, audience="asn", hosting="opd"
    )
    return {**apps, "idle": idle}


def test_dashboard_shows_figures_and_plots(portal, history, client):
    client.force_login(portal.kominfo)
    response = client.get(reverse("appcatalog_dashboard"), {"bulan": 6})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 3 and 'role="img"' in body
    assert "Aplikasi Lama" in body.split('id="tidak-dipakai"')[1]
    assert response.context["tail"]["head"] == 1


def test_rationalisation_recommends_with_evidence(portal, history):
    rows = {r.app.slug: r for r in reports.rationalise(reports.figures(), idle_months=6)}
    assert rows["antrean-puskesmas"].recommendation == "keep"
    assert rows["antrean-puskesmas"].launches[30] == 3000
    assert rows["aplikasi-lama"].recommendation == "retire"
    assert rows["bank-sampah"].recommendation == "retire"  # last used 300 days ago
    assert rows["bank-sampah"].last_used is not None


def test_report_csv_and_xlsx(portal, history, client):
    from openpyxl import load_workbook

    client.force_login(portal.kominfo)
    response = client.get(reverse("appcatalog_report_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert header[0] == "Aplikasi" and "Rekomendasi" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["Aplikasi Lama"]["Rekomendasi"] == "Pensiunkan"
    assert by_name["Antrean Puskesmas"]["Rekomendasi"] == "Pertahankan"
    assert by_name["Antrean Puskesmas"]["Dibuka 30 hari"] == "3000"
    response = client.get(reverse("appcatalog_report_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == header
    assert {row[0] for row in values[1:]} == set(by_name)


def test_report_cells_cannot_inject_formulas(portal, apps):
    apps["a"].name = '=HYPERLINK("http://x")'
    apps["a"].save()
    header, body = reports.report_rows()
    text = spreadsheets.csv_bytes(header, body).decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and "'=HYPERLINK" in text


def test_sso_sign_ins_are_counted_from_the_token_signal(portal, apps, citizen, rf):
    from oauth2_provider.models import AccessToken
    from oauth2_provider.signals import app_authorized

    application = Application.objects.create(
        name="x",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://x.example/cb",
    )
    apps["a"].client = application
    apps["a"].save()
    token = AccessToken.objects.create(
        user=citizen.user,
        application=application,
        token="t1",
        expires=timezone.now() + timezone.timedelta(minutes=5),
    )
    for grant in ("authorization_code", "refresh_token", "authorization_code"):
        request = rf.post("/sso/token/", {"grant_type": grant})
        app_authorized.send(sender=None, request=request, token=token)
    usage.fold()
    row = AppUsageDay.objects.get(app=apps["a"])
    assert (row.sso_signins, row.distinct_users, row.launches) == (2, 1, 0)


def test_analytics_tables_hold_no_personal_data(portal, apps, citizen, client):
    client.force_login(citizen.user)
    client.get(reverse("appcatalog:launch", args=[apps["a"].slug]))
    usage.fold()
    columns = {f.name for f in AppUsageDay._meta.get_fields()}
    assert columns == {"id", "app", "date", "launches", "sso_signins", "distinct_users"}
    values = [str(v) for row in AppUsageDay.objects.values() for v in row.values()]
    person = {str(citizen.user.pk), citizen.user.username, citizen.nik, citizen.nik_hash}
    assert not person & set(values)
    marker = usage.marker(timezone.localdate(), apps["a"].pk, citizen.user.pk)
    assert marker not in " ".join(values)


def test_demo_seed_is_plausible_and_idempotent(portal):
    from satupintu.appcatalog.demo import seed_apps

    created = seed_apps([portal.a, portal.b])
    assert created == 80 and App.objects.filter(description__startswith="(contoh)").count() == 80
    rows = reports.figures()
    tail = reports.long_tail(rows)
    assert 8 <= tail["head"] <= 24
    busy = sorted(rows, key=lambda r: r.use(), reverse=True)
    assert sum(r.use() for r in busy[:24]) > 0.97 * tail["total"]
    assert sum(1 for r in rows if r.use() == 0) >= 15
    assert App.objects.filter(client__isnull=False).count() == 6
    before = AppUsageDay.objects.count()
    assert seed_apps([portal.a, portal.b]) == 0
    assert AppUsageDay.objects.count() == before
