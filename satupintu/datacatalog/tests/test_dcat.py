"""DCAT (Turtle, RDF/XML, JSON-LD) and data.json, read back the way harvesters read them:
rdflib for the graphs, Project Open Data v1.1's own rules for data.json."""

import copy
import datetime
import hashlib
import json
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from satupintu.datacatalog import workflow
from satupintu.datacatalog.models import Dataset, PublishedDataset
from satupintu.datacatalog.testing import SAMPLE_CSV, make_dataset
from satupintu.regency.models import RegencySettings

pytestmark = pytest.mark.django_db

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
BASE = "https://satudata.example.go.id"  # not the test host: URIs come from the setting
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "xml": ("xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}
# Project Open Data v1.1 (vcard.json, distribution.json) patterns.
POD_EMAIL = re.compile(r"^mailto:[\w.-]+@[\w.-]+\.[\w.-]+$", re.ASCII)
POD_MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$", re.ASCII)
POD_REQUIRED = [
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "contactPoint",
    "identifier",
    "accessLevel",
]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SATUPINTU_BASE_URL = BASE


def fetch(client, url, fmt="ttl") -> Graph:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == RDF_FORMATS[fmt][1]
    assert "max-age=" in response["Cache-Control"]
    return Graph().parse(data=response.content, format=RDF_FORMATS[fmt][0])


def without_paging(graph: Graph) -> Graph:
    rest = Graph()
    pages = set(graph.subjects(RDF.type, HYDRA.PagedCollection))
    assert len(pages) == 1
    for triple in graph:
        if triple[0] not in pages:
            rest.add(triple)
    return rest


def published(portal, **fields) -> Dataset:
    return make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, **fields)


def copies(source: Dataset, count: int, *, prefix="salinan", modified=None, change=None):
    """Published rows cloned from a real frozen package (new ids and names), to page over
    more than a hundred datasets without running the workflow a hundred times."""
    row = PublishedDataset.objects.get(dataset=source)
    base_package = json.loads(row.package)
    datasets = [
        Dataset(
            opd=source.opd,
            name=f"{prefix}-{i:03d}",
            title=f"Salinan {i}",
            status=Dataset.Status.PUBLISHED,
        )
        for i in range(count)
    ]
    Dataset.objects.bulk_create(datasets)
    rows = []
    for dataset in datasets:
        package = copy.deepcopy(base_package)
        package.update(id=str(dataset.id), name=dataset.name, title=dataset.title)
        package["url"] = f"{BASE}/data/{dataset.name}/"
        for resource in package["resources"]:
            resource.update(id=str(uuid.uuid4()), package_id=str(dataset.id))
        if change:
            change(package)
        rows.append(
            PublishedDataset(
                dataset=dataset,
                name=dataset.name,
                title=dataset.title,
                opd=source.opd,
                license_id=row.license_id,
                metadata_created=row.metadata_created,
                metadata_modified=modified or row.metadata_modified,
                package=json.dumps(package),
            )
        )
    PublishedDataset.objects.bulk_create(rows)
    return datasets


def test_every_format_carries_the_dcat_ap_mapping(client, portal):
    dataset = published(portal)
    package = json.loads(PublishedDataset.objects.get(dataset=dataset).package)
    resource = package["resources"][0]
    ref = URIRef(f"{BASE}/dataset/{dataset.id}")

    graphs = {fmt: fetch(client, f"/catalog.{fmt}", fmt) for fmt in RDF_FORMATS}
    # The same graph in every format, but for the page addresses (which name the format).
    same = {fmt: without_paging(g) for fmt, g in graphs.items()}
    assert all(isomorphic(same["ttl"], same[fmt]) for fmt in RDF_FORMATS)
    g = graphs["jsonld"]

    catalog = URIRef(BASE)
    regency_name = RegencySettings.load().name
    assert (catalog, RDF.type, DCAT.Catalog) in g
    assert (catalog, DCAT.dataset, ref) in g
    assert regency_name and regency_name in str(g.value(catalog, DCTERMS.title))
    assert (catalog, FOAF.homepage, URIRef(BASE)) in g
    language = URIRef("http://publications.europa.eu/resource/authority/language/IND")
    assert (catalog, DCTERMS.language, language) in g

    assert (ref, RDF.type, DCAT.Dataset) in g
    assert (ref, DCTERMS.identifier, Literal(str(dataset.id))) in g
    assert (ref, DCTERMS.title, Literal(dataset.title)) in g
    assert (ref, DCTERMS.description, Literal(dataset.notes)) in g
    assert (ref, DCAT.keyword, Literal("contoh")) in g
    theme = g.value(ref, DCAT.theme)
    assert theme == URIRef(f"{BASE}/group/kesehatan")
    assert g.value(theme, SKOS.prefLabel) == Literal("Kesehatan")
    for predicate, key in [
        (DCTERMS.issued, "metadata_created"),
        (DCTERMS.modified, "metadata_modified"),
    ]:
        value = g.value(ref, predicate)
        assert value.datatype == XSD.dateTime
        utc = datetime.datetime.fromisoformat(package[key]).replace(tzinfo=datetime.UTC)
        assert value.toPython() == utc
    assert g.value(ref, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    )
    assert (ref, DCTERMS.language, language) in g
    place = g.value(ref, DCTERMS.spatial)
    assert (place, RDF.type, DCTERMS.Location) in g
    assert str(g.value(place, SKOS.notation)) == "35.24"
    assert "Lamongan" in str(g.value(place, SKOS.prefLabel))
    span = g.value(ref, DCTERMS.temporal)
    assert (span, RDF.type, DCTERMS.PeriodOfTime) in g
    assert g.value(span, DCAT.startDate) == Literal(datetime.date(2024, 1, 1), datatype=XSD.date)
    assert g.value(span, DCAT.endDate) == Literal(datetime.date(2024, 12, 31), datatype=XSD.date)

    publisher = g.value(ref, DCTERMS.publisher)
    assert publisher == URIRef(f"{BASE}/organization/{portal.a.uuid}")
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert g.value(publisher, FOAF.name) == Literal("Dinas Kesehatan")
    contact = g.value(ref, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in g
    assert g.value(contact, VCARD.fn) == Literal("Petugas Data")
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.go.id")
    assert g.value(ref, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(ref, DCAT.landingPage) == URIRef(f"{BASE}/data/{dataset.name}/")

    distribution = g.value(ref, DCAT.distribution)
    assert distribution == URIRef(f"{BASE}/dataset/{dataset.id}/resource/{resource['id']}")
    assert (distribution, RDF.type, DCAT.Distribution) in g
    assert g.value(distribution, DCTERMS.title) == Literal("Tabel utama")
    assert g.value(distribution, DCAT.accessURL) == URIRef(resource["url"])
    assert g.value(distribution, DCAT.downloadURL) == URIRef(resource["url"])
    assert resource["url"].startswith(f"{BASE}/data/{dataset.name}/sumber/")
    assert g.value(distribution, DCAT.mediaType) == Literal("text/csv")
    assert g.value(distribution, DCTERMS["format"]) == Literal("CSV")
    assert g.value(distribution, DCAT.byteSize).toPython() == len(SAMPLE_CSV)
    checksum = g.value(distribution, SPDX.checksum)
    assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(SAMPLE_CSV).hexdigest()


def test_one_dataset_by_id_or_name(client, portal):
    dataset = published(portal)
    ref = URIRef(f"{BASE}/dataset/{dataset.id}")
    for url, fmt in [
        (f"/dataset/{dataset.id}.ttl", "ttl"),
        (f"/dataset/{dataset.name}.rdf", "rdf"),
        (f"/dataset/{dataset.id}.jsonld", "jsonld"),
    ]:
        g = fetch(client, url, fmt)
        assert (ref, DCTERMS.title, Literal(dataset.title)) in g
        assert set(g.subjects(RDF.type, DCAT.Dataset)) == {ref}
        assert not set(g.subjects(RDF.type, DCAT.Catalog))
    missing = client.get(f"/dataset/{uuid.uuid4()}.ttl")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/plain")
    assert client.post(f"/dataset/{dataset.id}.ttl").status_code == 405
    assert client.post("/catalog.ttl").status_code == 405
    assert client.head(f"/dataset/{dataset.id}.ttl").status_code == 200


def test_only_published_public_datasets_are_served(client, portal):
    public = published(portal, name="terbuka")
    draft = make_dataset(portal.a, portal.operator_a, name="draf-saja")
    submitted = make_dataset(portal.a, portal.operator_a, portal.verifier_a, name="diajukan")
    private = published(portal, name="terbatas", private=True)
    withdrawn = published(portal, name="ditarik")
    workflow.withdraw(portal.kominfo, withdrawn, "Angka salah.")
    assert PublishedDataset.objects.filter(dataset=private).exists()  # published, not public

    hidden = [draft, submitted, private, withdrawn]
    for fmt in ("ttl", "jsonld"):
        g = fetch(client, f"/catalog.{fmt}", fmt)
        assert set(g.subjects(RDF.type, DCAT.Dataset)) == {URIRef(f"{BASE}/dataset/{public.id}")}
        assert next(g.objects(None, HYDRA.totalItems)).toPython() == 1
    for dataset in hidden:
        for ref in (dataset.id, dataset.name):
            assert client.get(f"/dataset/{ref}.ttl").status_code == 404
    data = client.get("/data.json").json()
    assert [d["identifier"] for d in data["dataset"]] == [str(public.id)]


def test_hydra_paging_over_more_than_a_hundred(client, portal, django_assert_max_num_queries):
    first = published(portal)
    copies(first, 204)
    everything = set(PublishedDataset.objects.values_list("dataset_id", flat=True))
    assert len(everything) == 205

    seen, url, pages, counts = [], "/catalog.ttl", 0, []
    while url:  # as ckanext-dcat's harvester does: follow hydra:nextPage until there is none
        with CaptureQueriesContext(connection) as queries:
            g = fetch(client, url.removeprefix(BASE))
        counts.append(len(queries))
        pages += 1
        paging = next(g.subjects(RDF.type, HYDRA.PagedCollection))
        assert g.value(paging, HYDRA.totalItems).toPython() == 205
        assert g.value(paging, HYDRA.itemsPerPage).toPython() == 100
        assert str(g.value(paging, HYDRA.firstPage)) == f"{BASE}/catalog.ttl?page=1"
        assert str(g.value(paging, HYDRA.lastPage)) == f"{BASE}/catalog.ttl?page=3"
        previous = g.value(paging, HYDRA.previousPage)
        assert (str(previous) if previous else None) == (
            f"{BASE}/catalog.ttl?page={pages - 1}" if pages > 1 else None
        )
        seen += [str(g.value(d, DCTERMS.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)]
        next_page = g.value(paging, HYDRA.nextPage)
        url = str(next_page) if next_page else None
    assert pages == 3
    assert len(seen) == len(set(seen)) == 205
    assert {uuid.UUID(i) for i in seen} == everything
    # One aggregate, one page of rows, one region lookup, the regency settings: per page,
    # not per dataset (pages of 100, 100 and 5 cost the same).
    assert len(set(counts)) == 1 and counts[0] <= 5

    # The same order every time.
    again = fetch(client, "/catalog.ttl?page=2")
    order = sorted(str(d) for d in again.subjects(RDF.type, DCAT.Dataset))
    assert order == sorted(f"{BASE}/dataset/{i}" for i in seen[100:200])

    # Past the end: an empty catalog that points back to the last page, as ckanext-dcat does.
    beyond = fetch(client, "/catalog.ttl?page=9")
    assert not set(beyond.subjects(RDF.type, DCAT.Dataset))
    paging = next(beyond.subjects(RDF.type, HYDRA.PagedCollection))
    assert str(beyond.value(paging, HYDRA.previousPage)) == f"{BASE}/catalog.ttl?page=3"
    assert beyond.value(paging, HYDRA.nextPage) is None
    assert client.get(f"/catalog.ttl?page={10**30}").status_code == 200

    with django_assert_max_num_queries(4):
        data = client.get("/data.json").json()
    assert len(data["dataset"]) == 205


def test_modified_since(client, portal):
    old = published(portal)
    recent = datetime.datetime(2026, 5, 1, 2, 0, tzinfo=datetime.UTC)
    PublishedDataset.objects.filter(dataset=old).update(
        metadata_modified=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    new = copies(old, 3, modified=recent)

    def identifiers(url):
        g = fetch(client, url)
        return {str(g.value(d, DCTERMS.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)}

    expected = {str(d.id) for d in new}
    assert identifiers("/catalog.ttl?modified_since=2026-05-01T02:00:00Z") == expected
    assert identifiers("/catalog.ttl?modified_since=2026-05-01T09:00:00%2B07:00") == expected
    # An offset whose + was not encoded arrives as a space; it still means +07:00.
    assert identifiers("/catalog.ttl?modified_since=2026-05-01T09:00:00+07:00") == expected
    assert identifiers("/catalog.ttl?modified_since=2026-05-01") == expected
    assert identifiers("/catalog.ttl?modified_since=2026-05-01T02:00:01") == set()
    assert len(identifiers("/catalog.ttl?modified_since=2025-12-31")) == 4

    g = fetch(client, "/catalog.ttl?modified_since=2026-05-01T02:00:00Z")
    paging = next(g.subjects(RDF.type, HYDRA.PagedCollection))
    assert g.value(paging, HYDRA.totalItems).toPython() == 3
    assert str(g.value(paging, HYDRA.firstPage)) == (
        f"{BASE}/catalog.ttl?modified_since=2026-05-01T02%3A00%3A00Z&page=1"
    )
    xml = fetch(client, "/catalog.xml?modified_since=2026-05-01T02:00:00Z&page=1", "xml")
    paging = next(xml.subjects(RDF.type, HYDRA.PagedCollection))
    assert str(xml.value(paging, HYDRA.lastPage)) == (
        f"{BASE}/catalog.xml?modified_since=2026-05-01T02%3A00%3A00Z&page=1"
    )
    assert len(set(xml.subjects(RDF.type, DCAT.Dataset))) == 3

    for query in [
        "modified_since=kemarin",
        "modified_since=2026-13-01",
        "modified_since=2026-02-30T00:00:00",
        "page=0",
        "page=dua",
        "page=-1",
        "q=penduduk",
    ]:
        response = client.get(f"/catalog.rdf?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        name = query.split("=")[0]
        assert name in response.content.decode(), query


def test_data_json_is_valid_project_open_data(client, portal):
    first = published(portal)
    regency = RegencySettings.load()
    regency.email = "walidata@example.go.id"
    regency.save()

    def bare(package):  # frozen before the rules: no tags, contact, notes or OPD address
        package.update(tags=[], groups=[], notes="", maintainer="", maintainer_email="")
        package["author_email"] = ""
        package["extras"] = [e for e in package["extras"] if e["key"] != "cakupan_waktu"]

    def invalid_contact(package):
        package.update(maintainer="Seksi Data", maintainer_email="bukan surel")
        package["author_email"] = "dinkes@example.go.id"

    [bare_dataset] = copies(first, 1, prefix="polos", change=bare)
    [fallback] = copies(first, 1, prefix="cadangan", change=invalid_contact)

    response = client.get("/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "max-age=" in response["Cache-Control"]
    data = response.json()
    assert data["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert data["@type"] == "dcat:Catalog"
    assert data["@context"].startswith("https://project-open-data.cio.gov/v1.1/schema")
    assert data["describedBy"].startswith("https://")
    assert len(data["dataset"]) == 3

    for entry in data["dataset"]:
        for field in POD_REQUIRED:
            assert entry.get(field), (entry["identifier"], field)
        assert entry["accessLevel"] == "public"
        assert all(isinstance(k, str) and k for k in entry["keyword"])
        assert entry["publisher"]["name"]
        assert entry["contactPoint"]["fn"]
        assert POD_EMAIL.match(entry["contactPoint"]["hasEmail"]), entry["contactPoint"]
        assert entry["modified"].endswith("Z")
        for distribution in entry.get("distribution", []):
            assert distribution.get("downloadURL") or distribution.get("accessURL")
            if "downloadURL" in distribution:
                assert POD_MEDIA_TYPE.match(distribution["mediaType"])
                assert distribution["format"]

    by_id = {d["identifier"]: d for d in data["dataset"]}
    full = by_id[str(first.id)]
    assert full["title"] == first.title
    assert full["keyword"] == ["contoh"]
    assert full["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Petugas Data",
        "hasEmail": "mailto:data@example.go.id",
    }
    assert full["publisher"]["name"] == "Dinas Kesehatan"
    assert full["temporal"] == "2024-01-01/2024-12-31"
    assert "Lamongan" in full["spatial"]
    assert full["accrualPeriodicity"] == "R/P1Y"
    assert full["theme"] == ["Kesehatan"]
    assert full["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert full["landingPage"] == f"{BASE}/data/{first.name}/"
    [distribution] = full["distribution"]
    assert distribution["mediaType"] == "text/csv" and distribution["format"] == "CSV"
    assert distribution["downloadURL"].startswith(f"{BASE}/data/{first.name}/sumber/")

    bare_entry = by_id[str(bare_dataset.id)]
    assert bare_entry["keyword"] == ["Dinas Kesehatan"]
    assert bare_entry["description"] == bare_entry["title"]
    assert bare_entry["contactPoint"]["hasEmail"] == "mailto:walidata@example.go.id"
    assert "temporal" not in bare_entry

    fallback_entry = by_id[str(fallback.id)]
    assert fallback_entry["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Dinas Kesehatan",
        "hasEmail": "mailto:dinkes@example.go.id",
    }

    # Nowhere to write to at all: the contact keeps its name and no invalid address appears.
    regency.email = ""
    regency.save()
    entry = {d["identifier"]: d for d in client.get("/data.json").json()["dataset"]}[
        str(bare_dataset.id)
    ]
    assert "hasEmail" not in entry["contactPoint"] and entry["contactPoint"]["fn"]
    g = fetch(client, f"/dataset/{bare_dataset.id}.ttl")
    contact = g.value(URIRef(f"{BASE}/dataset/{bare_dataset.id}"), DCAT.contactPoint)
    assert g.value(contact, VCARD.hasEmail) is None


def test_a_link_resource_is_an_access_url_only(client, portal):
    first = published(portal)

    def link(package):
        for resource in package["resources"]:
            resource.update(
                url="https://bps.go.id/tabel/1", format="HTML", mimetype="text/html", size=None
            )
            resource["hash"] = ""

    [linked] = copies(first, 1, prefix="tautan", change=link)
    g = fetch(client, f"/dataset/{linked.name}.ttl")
    distribution = g.value(URIRef(f"{BASE}/dataset/{linked.id}"), DCAT.distribution)
    assert g.value(distribution, DCAT.accessURL) == URIRef("https://bps.go.id/tabel/1")
    assert g.value(distribution, DCAT.downloadURL) is None
    assert g.value(distribution, SPDX.checksum) is None
    entry = next(
        d for d in client.get("/data.json").json()["dataset"] if d["identifier"] == str(linked.id)
    )
    assert entry["distribution"][0]["accessURL"] == "https://bps.go.id/tabel/1"
    assert "downloadURL" not in entry["distribution"][0]
