"""The CKAN-compatible Action API as CKAN clients read it: envelopes, status codes, every read
action, package_search's fq grammar and paging rules, the datastore, and that nothing
unverified, private or withdrawn is ever served."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from satupintu.datacatalog import workflow
from satupintu.datacatalog.ckan.testing import clone_published
from satupintu.datacatalog.models import PublishedDataset
from satupintu.datacatalog.testing import make_dataset

pytestmark = pytest.mark.django_db

JSON_TYPE = "application/json;charset=utf-8"
POPULATION = (
    b"kode,kecamatan,penduduk,luas_km2,tanggal\n"
    b"35.24.01,Sukorame,18100,41.5,2025-12-31\n"
    b"35.24.02,Bluluk,21050,55.04,2025-12-31\n"
    b"35.24.03,Ngimbang,,68.9,\n"
    b"35.24.04,Sambeng,30500,195.4,2024-06-30\n"
)


def call(client, action_name, method="get", prefix="/api/3/action/", **params):
    if method == "get":
        response = client.get(prefix + action_name, params)
    else:
        response = client.post(
            prefix + action_name, json.dumps(params), content_type="application/json"
        )
    return response.status_code, json.loads(response.content)


def ok(client, action_name, **params):
    status, body = call(client, action_name, **params)
    assert status == 200, body
    assert body["success"] is True
    return body["result"]


@pytest.fixture
def catalog(portal):
    """Published: two of Dinkes (one with a population table), one of DLH; and, never public,
    a Dinkes draft, a DLH submitted one, a private verified one and a withdrawn one."""
    from types import SimpleNamespace

    from satupintu.datacatalog.testing import topic

    people = (portal.operator_a, portal.verifier_a, portal.kominfo)
    people_b = (portal.operator_b, portal.verifier_b, portal.kominfo)
    population = make_dataset(
        portal.a,
        *people,
        name="penduduk-kecamatan",
        title="Penduduk per kecamatan",
        csv=POPULATION,
        tags=["penduduk", "kecamatan"],
        notes="Jumlah penduduk menurut kecamatan.",
    )
    clinics = make_dataset(
        portal.a,
        *people,
        name="puskesmas",
        title="Daftar puskesmas",
        notes="Puskesmas melayani penduduk tiap kecamatan.",
    )
    air = make_dataset(
        portal.b, *people_b, name="kualitas-air", title="Kualitas air sungai", tags=["air"]
    )
    air.topics.add(topic("lingkungan", "Lingkungan Hidup"))
    workflow.touch(air, portal.operator_b)  # changed after publication: public stays as is
    workflow.submit(portal.verifier_b, air)
    draft = make_dataset(portal.a, portal.operator_a, name="draf-rahasia", title="Draf rahasia")
    submitted = make_dataset(portal.b, portal.operator_b, portal.verifier_b, name="diajukan-dlh")
    private = make_dataset(portal.a, *people, name="data-terbatas", private=True)
    withdrawn = make_dataset(portal.b, *people_b, name="data-ditarik")
    workflow.withdraw(portal.kominfo, withdrawn, "Salah angka.")
    return SimpleNamespace(
        population=population,
        clinics=clinics,
        air=air,
        draft=draft,
        submitted=submitted,
        private=private,
        withdrawn=withdrawn,
        public={"penduduk-kecamatan", "puskesmas", "kualitas-air"},
        hidden={"draf-rahasia", "diajukan-dlh", "data-terbatas", "data-ditarik"},
    )


def _resource_id(dataset):
    return str(dataset.resources.get().id)


# --- Envelope, routes, errors -------------------------------------------------------------------


def test_version_roots_and_no_redirects(client):
    for path in ("/api", "/api/", "/api/3", "/api/3/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert json.loads(response.content) == {"version": 3}
    response = client.get("/api/3/action/status_show/")
    assert response.status_code == 200  # a trailing slash is served, not redirected


def test_envelope_headers_and_both_prefixes(client, catalog):
    for prefix in ("/api/3/action/", "/api/action/"):
        response = client.get(prefix + "package_list")
        assert response.status_code == 200
        assert response["Content-Type"] == JSON_TYPE
        assert "no-cache" in response["Cache-Control"]
        body = json.loads(response.content)
        assert body["help"].endswith("/api/3/action/help_show?name=package_list")
        assert body["success"] is True
        assert sorted(body["result"]) == sorted(catalog.public)


def test_post_json_and_form_need_no_csrf(catalog):
    client = Client(enforce_csrf_checks=True)
    status, body = call(client, "package_show", method="post", id="puskesmas")
    assert status == 200 and body["result"]["name"] == "puskesmas"
    response = client.post("/api/3/action/package_show", {"id": "puskesmas"})
    assert response.status_code == 200
    # Old clients post the JSON as the only key of a form.
    response = client.post(
        "/api/3/action/package_show",
        json.dumps({"id": "puskesmas"}) + "=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert json.loads(response.content)["result"]["name"] == "puskesmas"


def test_error_kinds_and_codes(client, catalog):
    status, body = call(client, "no_such_action")
    assert status == 400 and body["success"] is False
    assert "Action name not known" in body["error"]["message"]
    status, body = call(client, "package_show", id="tidak-ada")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    assert body["error"]["message"].startswith("Not found")
    status, body = call(client, "package_search", rows="banyak")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    assert "rows" in body["error"]
    status, body = call(client, "package_search", nonsense="1")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "package_search", sort="popularity desc")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "package_search", fq="maintainer:someone")
    assert status == 409 and body["error"]["__type"] == "Search Error"
    status, body = call(client, "package_search", fq='tags:"unclosed')
    assert status == 409 and body["error"]["__type"] == "Search Error"
    status, body = call(client, "package_list", limit="-3")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    response = client.post(
        "/api/3/action/package_show", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    response = client.put("/api/3/action/package_show")
    assert response.status_code == 405


def test_bad_token_is_an_authorization_error(client, catalog):
    response = client.get(
        "/api/3/action/package_list", headers={"Authorization": "sd_bukan-token-yang-benar"}
    )
    assert response.status_code == 403
    assert json.loads(response.content)["error"]["__type"] == "Authorization Error"
    response = client.get("/api/3/action/package_list", headers={"X-CKAN-API-Key": "salah"})
    assert response.status_code == 403


# --- Read actions -------------------------------------------------------------------------------


def test_package_show_by_name_and_id_ignores_unknown_keys(client, catalog):
    by_name = ok(client, "package_show", id="puskesmas", include_datasets="false", x="1")
    by_id = ok(client, "package_show", id=str(catalog.clinics.id))
    assert by_name == by_id
    assert by_name["id"] == str(catalog.clinics.id)
    assert by_name["type"] == "dataset" and by_name["state"] == "active"
    assert by_name["organization"]["name"] == "dinkes"
    assert by_name["resources"][0]["url"].startswith("http")
    assert len(by_name["metadata_modified"]) == 26


def test_package_list_limit_offset(client, catalog):
    assert ok(client, "package_list") == sorted(catalog.public)
    assert ok(client, "package_list", limit=1, offset=1) == sorted(catalog.public)[1:2]


def test_organizations_are_all_opds_counting_public_datasets(client, catalog, portal):
    names = ok(client, "organization_list")
    assert {"dinkes", "dlh"} <= set(names)
    full = {o["name"]: o for o in ok(client, "organization_list", all_fields="true")}
    assert full["dinkes"]["package_count"] == 2  # the private, draft ones do not count
    assert full["dlh"]["package_count"] == 1
    assert full["dinkes"]["id"] == str(portal.a.uuid)
    by_count = ok(client, "organization_list", sort="package_count desc", limit=1)
    assert by_count == ["dinkes"]
    shown = ok(client, "organization_show", id=str(portal.b.uuid), include_datasets="true")
    assert shown["name"] == "dlh" and shown["package_count"] == 1
    assert [p["name"] for p in shown["packages"]] == ["kualitas-air"]
    assert ok(client, "organization_show", id="dlh")["id"] == str(portal.b.uuid)
    assert call(client, "organization_show", id="tidak-ada")[0] == 404


def test_groups_and_tags(client, catalog):
    assert set(ok(client, "group_list")) == {"kesehatan", "lingkungan"}
    groups = {g["name"]: g for g in ok(client, "group_list", all_fields=True)}
    assert groups["kesehatan"]["package_count"] == 3
    # The topic was added after verification: the public package does not have it yet.
    assert groups["lingkungan"]["package_count"] == 0
    shown = ok(client, "group_show", id="kesehatan")
    assert shown["title"] == "Kesehatan" and shown["package_count"] == 3
    tags = ok(client, "tag_list")
    assert {"penduduk", "kecamatan", "air", "contoh"} <= set(tags)
    assert ok(client, "tag_list", query="pend") == ["penduduk"]


def test_resource_license_status(client, catalog, settings):
    resource_id = _resource_id(catalog.population)
    resource = ok(client, "resource_show", id=resource_id)
    assert resource["id"] == resource_id and resource["datastore_active"] is True
    assert resource["format"] == "CSV"
    assert call(client, "resource_show", id=_resource_id(catalog.draft))[0] == 404
    assert call(client, "resource_show", id="bukan-uuid")[0] == 404
    licenses = {item["id"]: item for item in ok(client, "license_list")}
    assert licenses["cc-by"]["url"].startswith("https://creativecommons.org")
    status = ok(client, "status_show")
    assert status["site_url"] == settings.SATUPINTU_BASE_URL
    assert status["locale_default"] == "id"
    assert status["ckan_version"].startswith("2.")
    assert "datastore" in status["extensions"]
    assert status["site_title"]
    assert ok(client, "help_show", name="package_search").startswith("Search datasets")


# --- package_search -----------------------------------------------------------------------------


def names(result):
    return [p["name"] for p in result["results"]]


def test_search_shape_defaults_and_facets(client, catalog):
    result = ok(client, "package_search")
    assert result["count"] == 3
    assert set(names(result)) == catalog.public
    assert result["sort"] == "score desc, metadata_modified desc"
    assert result["facets"] == {} and result["search_facets"] == {}
    full = result["results"][0]
    assert "resources" in full and "organization" in full  # complete package dicts
    result = ok(
        client,
        "package_search",
        **{"facet.field": '["organization","tags","res_format","license_id"]'},
    )
    assert result["facets"]["organization"] == {"dinkes": 2, "dlh": 1}
    assert result["facets"]["res_format"] == {"CSV": 3}
    assert result["facets"]["license_id"] == {"cc-by": 3}
    items = result["search_facets"]["organization"]["items"]
    assert items[0] == {"name": "dinkes", "display_name": "Dinas Kesehatan", "count": 2}
    limited = ok(client, "package_search", **{"facet.field": "tags", "facet.limit": "1"})
    assert len(limited["facets"]["tags"]) == 1
    off = ok(client, "package_search", facet="false", **{"facet.field": "tags"})
    assert off["facets"] == {}


def test_free_text_search_ranks_title_first(client, catalog):
    # Both mention "penduduk"; puskesmas is newer, but only in its description.
    result = ok(client, "package_search", q="penduduk")
    assert names(result) == ["penduduk-kecamatan", "puskesmas"]
    result = ok(client, "package_search", q="Penduduk Kecamatan")
    assert names(result) == ["penduduk-kecamatan", "puskesmas"]
    assert ok(client, "package_search", q='"melayani penduduk"')["count"] == 1
    assert ok(client, "package_search", q="tidakadasamasekali")["count"] == 0
    assert ok(client, "package_search", q="organization:dlh")["count"] == 1
    assert ok(client, "package_search", q="*:*")["count"] == 3


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("organization:dinkes", {"penduduk-kecamatan", "puskesmas"}),
        ('organization:"dlh"', {"kualitas-air"}),
        (
            "organization:dinkes OR organization:dlh",
            {"penduduk-kecamatan", "puskesmas", "kualitas-air"},
        ),
        ("-organization:dinkes", {"kualitas-air"}),
        ("NOT organization:dinkes", {"kualitas-air"}),
        ("+organization:dinkes +tags:penduduk", {"penduduk-kecamatan"}),
        ("organization:dinkes tags:air", set()),
        ("tags:(penduduk OR air)", {"penduduk-kecamatan", "kualitas-air"}),
        ("(tags:penduduk OR tags:air) -organization:dlh", {"penduduk-kecamatan"}),
        ("groups:kesehatan", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("res_format:CSV", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("res_format:csv", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("license_id:cc-by", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("name:puskesmas", {"puskesmas"}),
        ("name:pus*", {"puskesmas"}),
        ("title:sungai", {"kualitas-air"}),
        ("extras_frekuensi:tahunan", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("extras_data_prioritas:ya", set()),
        ("metadata_modified:[* TO NOW]", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("metadata_created:[NOW-1DAY TO *]", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("metadata_modified:[NOW/DAY+1DAY TO *]", set()),
        ("tags:*", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("*:*", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("capacity:public", {"penduduk-kecamatan", "puskesmas", "kualitas-air"}),
        ("id:bukan-uuid", set()),
    ],
)
def test_fq_grammar(client, catalog, fq, expected):
    result = ok(client, "package_search", fq=fq, rows=100)
    assert set(names(result)) == expected
    assert result["count"] == len(expected)


def test_fq_by_id_and_owner_org(client, catalog, portal):
    result = ok(client, "package_search", fq=f"id:{catalog.air.id}")
    assert names(result) == ["kualitas-air"]
    result = ok(client, "package_search", fq=f'owner_org:"{portal.a.uuid}"')
    assert set(names(result)) == {"penduduk-kecamatan", "puskesmas"}


@pytest.mark.parametrize(
    "fq",
    [
        "maintainer_email:a@b.c",
        "author:x",
        "name:[a TO z]",
        "metadata_modified:[kemarin TO *]",
        "metadata_modified:[NOW-1FORTNIGHT TO *]",
        "(tags:air",
        "tags:air)",
        'title:"terbuka',
        "metadata_modified:[2026-01-01T00:00:00Z TO",
        "organization:",
    ],
)
def test_fq_that_cannot_be_read_is_a_search_error_never_a_500(client, catalog, fq):
    status, body = call(client, "package_search", fq=fq)
    assert status == 409, body
    assert body["error"]["__type"] == "Search Error"


def test_incremental_fq_on_metadata_modified(client, catalog):
    rows = {r.name: r.metadata_modified for r in PublishedDataset.objects.public()}
    newest = max(rows.values())
    stamp = newest.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    result = ok(client, "package_search", fq=f"metadata_modified:[{stamp} TO *]")
    assert names(result) == [max(rows, key=rows.get)]
    # Without Z (naive UTC, as packages show it) and with an exclusive bound.
    result = ok(client, "package_search", fq=f"metadata_modified:{{{stamp[:-1]} TO *]")
    assert result["count"] == 0
    assert ok(client, "package_search", fq=f'metadata_modified:"{stamp}"')["count"] == 1
    # Harvester style: the last run minus an hour, UTC.
    earlier = (newest - datetime.timedelta(hours=1)).astimezone(datetime.UTC)
    result = ok(
        client,
        "package_search",
        fq=f"metadata_modified:[{earlier.strftime('%Y-%m-%dT%H:%M:%S.%fZ')} TO *]",
        sort="id asc",
        rows=100,
    )
    assert result["count"] == 3


def test_paging_rules_of_the_harvester(client, catalog):
    clone_published(catalog.clinics, 25, prefix="salinan")
    total = 28
    seen, pages = [], []
    start = 0
    while True:
        result = ok(client, "package_search", rows=10, start=start, sort="id asc")
        assert result["count"] == total
        if not result["results"]:
            break
        assert len(result["results"]) == (10 if start + 10 <= total else total - start)
        pages.append(names(result))
        seen += [p["id"] for p in result["results"]]
        start += 10
    assert len(seen) == total == len(set(seen))
    assert seen == sorted(seen)  # id asc, stable
    # The same page twice is the same page; start past the end is a success with nothing.
    again = ok(client, "package_search", rows=10, start=10, sort="id asc")
    assert names(again) == pages[1]
    beyond = ok(client, "package_search", rows=10, start=10_000, sort="id asc")
    assert beyond["results"] == [] and beyond["count"] == total
    # rows is clamped to 1000 silently; rows=0 counts only.
    assert len(ok(client, "package_search", rows=5000)["results"]) == total
    assert ok(client, "package_search", rows=0)["results"] == []
    for sort in ("name asc", "title_string asc", "metadata_modified desc", "id desc"):
        assert len(ok(client, "package_search", rows=100, sort=sort)["results"]) == total
    by_name = names(ok(client, "package_search", rows=100, sort="name asc"))
    assert by_name == sorted(by_name)


def test_query_count_does_not_grow_with_rows(client, portal):
    template = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)

    def count_queries(rows):
        params = {"rows": rows, "sort": "id asc", "facet.field": '["organization","tags"]'}
        with CaptureQueriesContext(connection) as queries:
            result = ok(client, "package_search", fq="organization:dinkes", **params)
        assert len(result["results"]) == rows
        return len(queries)

    clone_published(template, 60, prefix="banyak")
    assert count_queries(5) == count_queries(50)
    assert count_queries(50) <= 6


# --- Nothing unverified, private or withdrawn ---------------------------------------------------


def test_hidden_datasets_never_appear_anywhere(client, catalog):
    body = json.dumps(
        [
            ok(client, "package_list"),
            ok(client, "package_search", rows=1000, q="*:*", include_private="true"),
            ok(client, "package_search", rows=1000, fq="capacity:private"),
            ok(client, "organization_show", id="dinkes", include_datasets=True),
            ok(client, "organization_show", id="dlh", include_datasets=True),
            ok(client, "group_show", id="kesehatan", include_datasets=True),
            ok(client, "organization_list", all_fields=True),
            ok(client, "tag_list"),
        ]
    )
    for name in catalog.hidden:
        assert name not in body
    for dataset in (catalog.draft, catalog.submitted, catalog.private, catalog.withdrawn):
        assert str(dataset.id) not in body
        assert call(client, "package_show", id=dataset.name)[0] == 404
        assert call(client, "package_show", id=str(dataset.id))[0] == 404
        resource_id = _resource_id(dataset)
        assert call(client, "resource_show", id=resource_id)[0] == 404
        assert call(client, "datastore_search", resource_id=resource_id)[0] == 404
        assert client.get(f"/datastore/dump/{resource_id}").status_code == 404


def test_edits_after_verification_stay_out_until_verified(client, catalog):
    # kualitas-air got a new topic after verification and waits for the Walidata again.
    package = ok(client, "package_show", id="kualitas-air")
    assert [g["name"] for g in package["groups"]] == ["kesehatan"]
    assert ok(client, "package_search", fq="groups:lingkungan")["count"] == 0


def test_new_version_is_not_served_until_verified(client, portal):
    dataset = make_dataset(
        portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, csv=POPULATION
    )
    resource = dataset.resources.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = workflow.add_version(
        portal.operator_a,
        resource,
        SimpleUploadedFile("baru.csv", b"kode,jumlah\nX,1\n", content_type="text/csv"),
    )
    workflow.load(portal.operator_a, version, ["text", "int8"])
    result = ok(client, "datastore_search", resource_id=str(resource.id))
    assert result["total"] == 4
    assert [f["id"] for f in result["fields"]][:3] == ["_id", "kode", "kecamatan"]


# --- Datastore ----------------------------------------------------------------------------------


def test_datastore_search(client, catalog):
    resource_id = _resource_id(catalog.population)
    result = ok(client, "datastore_search", resource_id=resource_id)
    assert result["total"] == 4 and result["limit"] == 100
    assert [f["id"] for f in result["fields"]] == [
        "_id",
        "kode",
        "kecamatan",
        "penduduk",
        "luas_km2",
        "tanggal",
    ]
    assert result["fields"][0]["type"] == "int"
    first = result["records"][0]
    assert first["_id"] == 1 and first["kecamatan"] == "Sukorame"
    assert first["penduduk"] == 18100 and first["luas_km2"] == 41.5
    assert first["tanggal"].startswith("2025-12-31")
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert "offset=100" in result["_links"]["next"]

    result = ok(
        client,
        "datastore_search",
        resource_id=resource_id,
        filters='{"kecamatan": ["Bluluk", "Sambeng"]}',
        sort="penduduk desc",
        fields="kecamatan,penduduk",
    )
    assert result["records"] == [
        {"kecamatan": "Sambeng", "penduduk": 30500},
        {"kecamatan": "Bluluk", "penduduk": 21050},
    ]
    assert result["total"] == 2
    result = ok(client, "datastore_search", resource_id=resource_id, q="ngimbang")
    assert [r["kode"] for r in result["records"]] == ["35.24.03"]
    assert result["records"][0]["penduduk"] is None
    result = ok(client, "datastore_search", resource_id=resource_id, q='{"kode": "35.24.04"}')
    assert result["total"] == 1

    # Paging: the offset-th row, keyset or not; limit is clamped.
    page = ok(client, "datastore_search", resource_id=resource_id, limit=2, offset=2)
    assert [r["_id"] for r in page["records"]] == [3, 4] and page["offset"] == 2
    assert page["total"] == 4
    assert ok(client, "datastore_search", resource_id=resource_id, offset=9)["records"] == []
    page = ok(
        client, "datastore_search", resource_id=resource_id, limit=1, offset=1, sort="kode desc"
    )
    assert page["records"][0]["kode"] == "35.24.03"
    assert ok(client, "datastore_search", resource_id=resource_id, limit=99999)["limit"] == 32000
    lists = ok(client, "datastore_search", resource_id=resource_id, records_format="lists", limit=1)
    assert lists["records"] == [[1, "35.24.01", "Sukorame", 18100, 41.5, lists["records"][0][5]]]
    csv_text = ok(
        client, "datastore_search", resource_id=resource_id, records_format="csv", limit=2
    )
    assert csv_text["records"].splitlines()[0].startswith("1,35.24.01,Sukorame,18100,41.5")
    no_total = ok(client, "datastore_search", resource_id=resource_id, include_total="false")
    assert "total" not in no_total

    # POST with JSON, as ckanapi sends it.
    status, body = call(
        client,
        "datastore_search",
        method="post",
        resource_id=resource_id,
        filters={"kode": "35.24.02"},
    )
    assert status == 200 and body["result"]["records"][0]["kecamatan"] == "Bluluk"


def test_datastore_search_errors(client, catalog):
    resource_id = _resource_id(catalog.population)
    for params in (
        {"filters": '{"tidak_ada": 1}'},
        {"filters": '{"penduduk": "banyak"}'},
        {"sort": "tidak_ada desc"},
        {"fields": "tidak_ada"},
        {"records_format": "xml"},
        {"filters": "bukan json"},
    ):
        status, body = call(client, "datastore_search", resource_id=resource_id, **params)
        assert status == 409, params
        assert body["error"]["__type"] == "Validation Error"
    assert call(client, "datastore_search")[0] == 409
    assert (
        call(client, "datastore_search", resource_id="00000000-0000-0000-0000-000000000000")[0]
        == 404
    )


def test_datastore_dump(client, catalog):
    resource_id = _resource_id(catalog.population)
    response = client.get(f"/datastore/dump/{resource_id}")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0] == "_id,kode,kecamatan,penduduk,luas_km2,tanggal"
    assert lines[1].startswith("1,35.24.01,Sukorame,18100,41.5,2025-12-31")
    assert len(lines) == 5
    response = client.get(f"/datastore/dump/{resource_id}?format=json")
    body = json.loads(b"".join(response.streaming_content))
    assert [f["id"] for f in body["fields"]][:2] == ["_id", "kode"]
    assert len(body["records"]) == 4 and body["records"][3][2] == "Sambeng"
    response = client.get(f"/datastore/dump/{resource_id}?format=csv&bom=true")
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf_id")
    assert client.get(f"/datastore/dump/{resource_id}?format=xml").status_code == 400


def test_every_public_timestamp_is_naive_utc_with_microseconds(client, catalog):
    for package in ok(client, "package_search", rows=100)["results"]:
        for key in ("metadata_modified", "metadata_created"):
            value = package[key]
            assert len(value) == 26 and value[10] == "T" and not value.endswith("Z"), value
            parsed = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
            assert abs(parsed - timezone.now()) < datetime.timedelta(hours=1)


def test_loaded_tables_get_search_indexes_on_postgresql():
    """Typed columns and short text columns get a btree index; long free text and a column
    holding one value do not (PostgreSQL only: the embedded mode's tables are small)."""
    import io
    import uuid

    from satupintu.datacatalog import datastore

    if connection.vendor != "postgresql":
        pytest.skip("indexes are made on PostgreSQL only")
    long_text = "layanan administrasi kependudukan dan pencatatan sipil " * 3
    lines = ["kode,nama,jumlah,tanggal,keterangan,sama"]
    lines += [
        f"35.24.{n:02d},Desa {n},{n * 7},2025-01-{n:02d},{long_text}{n},x" for n in range(1, 29)
    ]
    data = io.BytesIO(("\n".join(lines) + "\n").encode())
    dialect = datastore.sniff(data)
    columns = datastore.infer_columns(data, dialect)
    key = uuid.uuid4().hex
    assert datastore.load(data, key, columns, dialect).ok
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
            [datastore.table_name(key)],
        )
        indexed = [row[0] for row in cursor.fetchall()]
    # Each on (column, _id): the tie-break of every sort.
    assert sorted(indexed) == sorted(["kode", "nama", "jumlah", "tanggal"] + ["_id"] * 4)
    datastore.drop(key)
