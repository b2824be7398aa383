"""Another OPD's app is out of reach by every admin URL of the catalogue.

Every URL the catalogue's viewsets and views register is requested with OPD B's app and
category filled in, by OPD A's operator and verifikator: GET (searched with the secret's
prefix) and POST. Pass: no secret of B in any answer, object URLs refused, B's records
unchanged. A URL added to the viewsets later is walked automatically.
"""

import hashlib
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from satupintu.appcatalog.models import App, AppCategory, AppLogEntry

from .conftest import SECRET

ALLOWED = {301, 302, 400, 403, 404, 405}
NAMESPACES = ("katalog_aplikasi:", "kategori_aplikasi:")
PLAIN = (
    "appcatalog_register",
    "appcatalog_client",
    "appcatalog_dashboard",
    "appcatalog_report_csv",
    "appcatalog_report_xlsx",
)


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def catalogue_urls(app_b, category):
    urls = []
    for name, args in _walk(get_resolver().url_patterns):
        if not (name.startswith(NAMESPACES) or name in PLAIN):
            continue
        if not args:
            urls.append((name, reverse(name), False))
            continue
        assert args == ["pk"], f"{name}: unknown URL argument {args}"
        pk = category.pk if name.startswith("kategori_aplikasi:") else app_b.pk
        urls.append((name, reverse(name, kwargs={"pk": pk}), True))
    return urls


def snapshot():
    state = {
        "apps": list(App.objects.order_by("pk").values()),
        "categories": list(AppCategory.objects.order_by("pk").values()),
    }
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


@pytest.mark.parametrize("role", ["operator_a", "verifier_a"])
def test_other_opd_app_is_out_of_reach_by_any_catalogue_url(portal, apps, category, client, role):
    # Category names are public (the catalogue's filter); categories are checked by refusal.
    apps["b"].category = category
    apps["b"].save()
    user = getattr(portal, role)
    client.force_login(user)
    urls = catalogue_urls(apps["b"], category)
    walked = {name for name, _u, _o in urls}
    must = {
        "katalog_aplikasi:edit",
        "katalog_aplikasi:delete",
        "katalog_aplikasi:history",
        "katalog_aplikasi:history_results",
        "katalog_aplikasi:usage",
        "katalog_aplikasi:inspect",
        "kategori_aplikasi:edit",
        "kategori_aplikasi:delete",
        "kategori_aplikasi:index",
        "appcatalog_dashboard",
        "appcatalog_register",
    }
    assert must <= walked, must - walked
    before = snapshot()
    leaks, accepted, changed = [], [], []
    for name, url, is_object in urls:
        for method in ("get", "post"):
            target = f"{url}?q=RAHASIA" if method == "get" else url
            response = getattr(client, method)(target, {"name": "diubah", "owner": portal.a.pk})
            body = b"".join(response) if response.streaming else response.content
            if SECRET.encode() in body:
                leaks.append(f"{method} {name}")
            refused = response.status_code in ALLOWED
            kominfo_area = name.startswith("kategori_aplikasi:") or name in PLAIN
            if (is_object or kominfo_area) and not refused:
                accepted.append(f"{method} {name} -> {response.status_code}")
            if snapshot() != before:
                changed.append(f"{method} {name}")
                before = snapshot()
    assert not leaks, leaks
    assert not changed, changed
    assert not accepted, accepted


def test_listing_shows_only_own_apps(portal, apps, client):
    client.force_login(portal.operator_a)
    body = client.get(reverse("katalog_aplikasi:index")).content.decode()
    assert "Antrean Puskesmas" in body and SECRET not in body


def test_own_app_opens_and_saves(portal, apps, category, client):
    client.force_login(portal.operator_a)
    url = reverse("katalog_aplikasi:edit", args=[apps["a"].pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "Antrean Puskesmas Baru",
        "slug": "antrean-puskesmas",
        "description": "",
        "owner": portal.a.pk,
        "category": category.pk,
        "audience": "warga",
        "url": "https://antrean.contoh.example/",
        "status": "aktif",
        "hosting": "pusat_data_daerah",
        "hosting_note": "",
        "launched_on": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    apps["a"].refresh_from_db()
    assert apps["a"].name == "Antrean Puskesmas Baru"
    # The change is logged, and the log stays with the OPD.
    assert AppLogEntry.objects.filter(object_id=str(apps["a"].pk), owner_id=portal.a.pk).exists()


def test_owner_field_is_limited_to_own_opd_and_client_hidden(portal, apps, category, client):
    client.force_login(portal.operator_a)
    form = client.get(reverse("katalog_aplikasi:add")).context["form"]
    assert list(form.fields["owner"].queryset) == [portal.a]
    assert "client" not in form.fields
    data = {
        "name": "Aplikasi Nakal",
        "slug": "aplikasi-nakal",
        "owner": portal.b.pk,
        "audience": "warga",
        "status": "aktif",
        "hosting": "opd",
    }
    response = client.post(reverse("katalog_aplikasi:add"), data)
    assert response.status_code == 200
    assert not App.objects.filter(slug="aplikasi-nakal").exists()
    data["owner"] = portal.a.pk
    assert client.post(reverse("katalog_aplikasi:add"), data).status_code == 302
    assert App.objects.get(slug="aplikasi-nakal").owner == portal.a


def test_kominfo_sees_every_app_and_the_client_field(portal, apps, client):
    client.force_login(portal.kominfo)
    body = client.get(reverse("katalog_aplikasi:index")).content.decode()
    assert "Antrean Puskesmas" in body and SECRET in body
    form = client.get(reverse("katalog_aplikasi:edit", args=[apps["b"].pk])).context["form"]
    assert "client" in form.fields
    assert form.fields["owner"].queryset.count() >= 2


def test_site_history_does_not_list_other_opd_apps(portal, apps, client):
    from wagtail.log_actions import log

    log(instance=apps["b"], action="wagtail.edit", user=portal.operator_b)
    log(instance=apps["a"], action="wagtail.edit", user=portal.operator_a)
    assert AppLogEntry.objects.filter(label__contains=SECRET).exists()
    client.force_login(portal.operator_a)
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert SECRET not in body
    client.force_login(portal.operator_b)
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert SECRET in body


def test_opd_groups_hold_app_rights_and_no_category_rights(portal):
    operator = portal.operator_a
    assert operator.has_perm("appcatalog.change_app")
    assert not operator.has_perm("appcatalog.delete_app")
    assert portal.verifier_a.has_perm("appcatalog.delete_app")
    assert not operator.has_perm("appcatalog.change_appcategory")
    assert not portal.verifier_a.has_perm("appcatalog.add_appcategory")
