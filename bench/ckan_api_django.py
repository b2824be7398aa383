"""Helper of bench/ckan_api, run in the venv with the benchmark's database: builds the catalog
and times the API calls in-process (Django's test client), printing the figures.

    ckan_api_django.py DATASETS ROWS REQUESTS FOLDER
"""

import datetime
import importlib.util
import json
import os
import statistics
import sys
import time
import uuid
from importlib.machinery import SourceFileLoader
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(client, url, requests):
    for _ in range(2):  # warm-up
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, times[-1], len(queries), len(response.content)


def line(label, figures, target):
    p50, p95, worst, queries, size = figures
    if target is None:
        verdict = "no target"
    else:
        verdict = ("ok" if p95 <= target else "OVER") + f" p95 <= {target} ms"
    print(
        f"  {label:<52} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms  "
        f"{queries} queries  {size / 1024:7.1f} KB  [{verdict}]"
    )


def harvester_pages(client, datasets, since, requests):
    for start in (0, 5000, datasets - 100):
        url = f"/api/3/action/package_search?rows=100&sort=id+asc&start={start}"
        line(f"rows=100 sort=id asc start={start}", timed(client, url, requests), 20)
    for start in (0, 4800):
        query = {
            "rows": 100,
            "sort": "id asc",
            "start": start,
            "fq": f"metadata_modified:[{since} TO *] organization:dinkes",
        }
        url = "/api/3/action/package_search?" + urlencode(query)
        label = f"  + fq modified since & organization, start={start}"
        line(label, timed(client, url, requests), 20)


def build(datasets, rows, folder):
    from django.contrib.auth import get_user_model

    import conftest
    from satupintu.datacatalog import datastore, workflow
    from satupintu.datacatalog.ckan.testing import clone_published
    from satupintu.datacatalog.models import PublishedDataset, PublishedTerm
    from satupintu.datacatalog.testing import make_dataset
    from satupintu.opd.models import OPD

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    conftest.build_portal()
    print(f"  migrated and set up the portal in {time.perf_counter() - started:.0f} s")
    users = {u.username: u for u in get_user_model().objects.all()}
    a, b = OPD.objects.get(slug="dinkes"), OPD.objects.get(slug="dlh")
    operator, verifier, kominfo = users["operator_a"], users["verifikator_a"], users["kominfo"]

    started = time.perf_counter()
    template = make_dataset(a, operator, verifier, kominfo, name="templat")
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
    clone_published(
        template,
        datasets - 1,
        prefix="dataset",
        opds=[a, b],
        start=start,
        step=datetime.timedelta(minutes=30),
    )
    print(f"  {datasets:,} published datasets in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:  # what autovacuum does after a bulk insert
        for model in (PublishedDataset, PublishedTerm):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

    loader = SourceFileLoader("datastore_load", str(ROOT / "bench" / "datastore_load"))
    generator = importlib.util.module_from_spec(
        importlib.util.spec_from_loader(loader.name, loader)
    )
    loader.exec_module(generator)
    path = Path(folder) / "data.csv"
    generator.generate(path, rows)

    # What the indexes cost: the same file, without and then with them.
    with path.open("rb") as binary:
        dialect = datastore.sniff(binary)
        columns = datastore.infer_columns(binary, dialect)
        costs = {}
        for index in (False, True):
            key = uuid.uuid4().hex
            binary.seek(0)
            began = time.perf_counter()
            report = datastore.load(binary, key, columns, dialect, index=index)
            costs[index] = time.perf_counter() - began
            assert report.ok, report.errors[:3]
            datastore.drop(key)
    print(
        f"  loading {rows:,} rows: {costs[False]:.1f} s without indexes "
        f"({rows / costs[False]:,.0f} rows/s), {costs[True]:.1f} s with them "
        f"({rows / costs[True]:,.0f} rows/s): the indexes cost {costs[True] - costs[False]:.1f} s"
    )

    table = make_dataset(a, operator, name="tabel-besar", csv=None)
    resource = table.resources.get()
    # A server builds the search indexes on a thread after the load commits; here they are
    # built before measuring, inside the timed publication.
    datastore.build_indexes_in_background = datastore.build_indexes
    started = time.perf_counter()
    with path.open("rb") as handle:
        version = workflow.add_version(operator, resource, File(handle, name="data.csv"))
    report = workflow.load(operator, version, [c["type"] for c in version.columns])
    assert report.ok, report.errors[:3]
    workflow.submit(verifier, table)
    workflow.verify(kominfo, table)
    print(
        f"  the table published through the workflow (upload, load, build indexes, verify) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {datastore.table_name(version.key)}")
    return str(resource.id)


def main():
    datasets, rows, requests, folder = (
        int(sys.argv[1]),
        int(sys.argv[2]),
        int(sys.argv[3]),
        sys.argv[4],
    )
    print(f"CKAN API benchmark: {datasets:,} datasets, a {rows:,}-row table, PostgreSQL")
    print(f"  machine: {os.cpu_count()} CPUs")
    resource_id = build(datasets, rows, folder)
    client = Client()
    print(
        f"package_search (in-process through Django's test client; {requests} requests "
        "after 2 warm-ups each)"
    )
    since = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=200)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )
    harvester_pages(client, datasets, since, requests)
    query = {"q": "jumlah", "facet.field": '["organization","tags"]', "rows": 10}
    url = "/api/3/action/package_search?" + urlencode(query)
    line("q=jumlah (matches all), facets organization, tags", timed(client, url, requests), None)
    print("datastore_search on the 1,000,000-row table")
    base = "/api/3/action/datastore_search?"
    babat = json.dumps({"kecamatan": "Babat"})
    cases = [
        ("filter kecamatan, sort jumlah desc, total", {"filters": babat, "sort": "jumlah desc"}),
        (
            "filter kecamatan, sort tanggal, offset 5000",
            {"filters": babat, "sort": "tanggal", "offset": 5000},
        ),
        (
            "filter jumlah (int), sort nilai desc",
            {"filters": '{"jumlah": 4321}', "sort": "nilai desc"},
        ),
        ("no filter, offset 900000 (keyset on _id)", {"offset": 900000}),
        ("no filter, sort nilai desc", {"sort": "nilai desc"}),
    ]
    for label, query in cases:
        url = base + urlencode({"resource_id": resource_id, **query})
        line(label, timed(client, url, requests), None if "offset 5000" in label else 30)


if __name__ == "__main__":
    main()
