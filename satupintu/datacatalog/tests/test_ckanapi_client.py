"""The real clients against the live portal over HTTP: the ckanapi command line and its
RemoteCKAN class (ckanapi 4.8, installed in the venv), and the paging loop of ckanext-harvest's
CKAN harvester, which pages `package_search` with rows=100 until an empty page."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from satupintu.datacatalog import workflow
from satupintu.datacatalog.ckan.testing import clone_published
from satupintu.datacatalog.ckan.tokens import issue_token
from satupintu.datacatalog.models import PublishedDataset
from satupintu.datacatalog.testing import make_dataset

VENV_BIN = Path(sys.executable).parent
CKANAPI = VENV_BIN / "ckanapi"


@pytest.fixture
def live(transactional_db, live_server):
    """The live server with the portal rebuilt (transactional tests flush the database), two
    published datasets, two that must never be served, and the people of both OPDs."""
    from types import SimpleNamespace

    import conftest

    conftest.build_portal()
    from django.contrib.auth import get_user_model

    from satupintu.opd.models import OPD

    users = {u.username: u for u in get_user_model().objects.all()}
    a, b = OPD.objects.get(slug="dinkes"), OPD.objects.get(slug="dlh")
    kominfo = users["kominfo"]
    published = [
        make_dataset(a, users["operator_a"], users["verifikator_a"], kominfo, name="terbit-satu"),
        make_dataset(b, users["operator_b"], users["verifikator_b"], kominfo, name="terbit-dua"),
    ]
    draft = make_dataset(a, users["operator_a"], name="draf-dinkes")
    withdrawn = make_dataset(
        b, users["operator_b"], users["verifikator_b"], kominfo, name="ditarik-dlh"
    )
    workflow.withdraw(kominfo, withdrawn, "Ditarik.")
    return SimpleNamespace(
        url=live_server.url,
        published=published,
        hidden=[draft, withdrawn],
        users=users,
    )


def ckanapi(*args):
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(  # noqa: S603 (the venv's own ckanapi, fixed arguments)
        [str(CKANAPI), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _published_names():
    return set(PublishedDataset.objects.public().values_list("name", flat=True))


def test_ckanapi_cli_gets_every_published_dataset_and_no_draft(live):
    expected = _published_names()
    assert expected == {"terbit-satu", "terbit-dua"}
    hidden = {d.name for d in live.hidden}

    dumped = [
        json.loads(line)
        for line in ckanapi(
            "dump", "datasets", "--all", "-q", "-p", "1", "-r", live.url
        ).splitlines()
        if line.strip()
    ]
    assert {p["name"] for p in dumped} == expected
    assert all(p["resources"] and p["organization"] for p in dumped)

    searched = [
        json.loads(line)
        for line in ckanapi("search", "datasets", "-r", live.url).splitlines()
        if line.strip()
    ]
    assert {p["name"] for p in searched} == expected

    result = json.loads(
        ckanapi("action", "package_search", "-r", live.url, "rows=100", "start=0", "sort=id asc")
    )
    assert result["count"] == 2
    ids = [p["id"] for p in result["results"]]
    assert ids == sorted(ids)
    assert not hidden & {p["name"] for p in result["results"]}

    orgs = json.loads(ckanapi("action", "organization_list", "-r", live.url, "all_fields=true"))
    assert {o["name"]: o["package_count"] for o in orgs}["dlh"] == 1
    # GET requests (-g) work the same.
    shown = json.loads(ckanapi("action", "package_show", "-g", "-r", live.url, "id=terbit-dua"))
    assert shown["name"] == "terbit-dua"


def test_remoteckan_class(live):
    from ckanapi import NotFound, RemoteCKAN, SearchError, SearchQueryError, ValidationError

    with RemoteCKAN(live.url, user_agent="satupintu-test") as ckan:
        assert ckan.action.status_show()["locale_default"] == "id"
        result = ckan.action.package_search(rows=100, start=0, sort="id asc")
        assert {p["name"] for p in result["results"]} == _published_names()
        assert ckan.action.package_search(fq="organization:dinkes")["count"] == 1
        assert ckan.action.package_show(id="terbit-satu")["organization"]["name"] == "dinkes"
        for dataset in live.hidden:
            with pytest.raises(NotFound):
                ckan.action.package_show(id=dataset.name)
        package = ckan.action.package_show(id="terbit-satu")
        resource_id = package["resources"][0]["id"]
        rows = ckan.action.datastore_search(
            resource_id=resource_id, filters={"kecamatan": "Bluluk"}, sort="jumlah desc"
        )
        assert [r["jumlah"] for r in rows["records"]] == [95] and rows["total"] == 1
        with pytest.raises(SearchQueryError):
            ckan.action.package_search(bukan_parameter="1")
        with pytest.raises(SearchError):
            ckan.action.package_search(fq="author:siapa")
        with pytest.raises(ValidationError):
            ckan.action.package_search(rows="banyak")
        draft_resource = str(live.hidden[0].resources.get().id)
        with pytest.raises(NotFound):
            ckan.action.datastore_search(resource_id=draft_resource)
        dump = requests.get(f"{live.url}/datastore/dump/{draft_resource}", timeout=10)
        assert dump.status_code == 404

    # With a token of the draft's own OPD, the same client reaches it; another OPD's does not.
    own = issue_token(live.users["operator_a"], "uji")
    other = issue_token(live.users["operator_b"], "uji")
    with RemoteCKAN(live.url, apikey=own) as ckan:
        assert ckan.action.package_show(id="draf-dinkes")["name"] == "draf-dinkes"
        assert ckan.action.datastore_search(resource_id=draft_resource)["total"] == 3
    with RemoteCKAN(live.url, apikey=other) as ckan:
        with pytest.raises(NotFound):
            ckan.action.package_show(id="draf-dinkes")
        with pytest.raises(NotFound):
            ckan.action.datastore_search(resource_id=draft_resource)
    dump = requests.get(
        f"{live.url}/datastore/dump/{draft_resource}", headers={"Authorization": other}, timeout=10
    )
    assert dump.status_code == 404


def harvest(url, fq=None):
    """ckanext-harvest's CKANHarvester._search_for_datasets, as it pages: rows=100, start +=
    100 (what it asked for), until an empty page; it fails when a page repeats the previous
    one, and it reads an error (any status) as the end."""
    results, previous, start = [], None, 0
    while True:
        params = {"rows": 100, "start": start, "sort": "id asc"}
        if fq:
            params["fq"] = fq
        response = requests.get(url + "/api/3/action/package_search", params=params, timeout=30)
        assert response.status_code == 200, response.text[:500]
        body = response.json()
        assert body["success"] is True
        page = body["result"]["results"]
        if not page:
            return results
        ids = [p["id"] for p in page]
        assert ids != previous, "paging doesn't seem to work"
        previous = ids
        results += page
        start += 100


def test_harvester_paging_loop_over_http(live):
    template = live.published[0]
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    clone_published(template, 240, prefix="panen", start=before, step=datetime.timedelta(hours=1))
    expected = _published_names()
    assert len(expected) == 242

    harvested = harvest(live.url)
    names = [p["name"] for p in harvested]
    assert len(names) == len(set(names)) == 242
    assert set(names) == expected
    ids = [p["id"] for p in harvested]
    assert ids == sorted(ids)
    assert all(p["resources"] and p["type"] == "dataset" for p in harvested)

    # Incremental: the last run minus an hour, UTC with microseconds and Z, as the harvester
    # sends it. Clones are an hour apart: from the 200th clone's time on, 40 clones + the two
    # datasets published today.
    since = before + datetime.timedelta(hours=200)
    fq = f"metadata_modified:[{since.strftime('%Y-%m-%dT%H:%M:%S.%fZ')} TO *]"
    incremental = harvest(live.url, fq)
    assert len(incremental) == 42
    assert {p["name"] for p in incremental} >= {"terbit-satu", "terbit-dua", "panen-00239"}
    # Combined with organization filters, as it sends them.
    only_dinkes = harvest(live.url, fq + " organization:dinkes")
    assert {p["organization"]["name"] for p in only_dinkes} == {"dinkes"}
    assert not harvest(live.url, fq + " -organization:dinkes -organization:dlh")
