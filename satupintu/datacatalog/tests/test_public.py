"""The public catalog pages: only what the Walidata verified, through every public URL."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from satupintu.datacatalog import charts, workflow
from satupintu.datacatalog.models import Resource
from satupintu.datacatalog.testing import SAMPLE_CSV, make_dataset
from satupintu.regency.models import Region

pytestmark = pytest.mark.django_db


def urls(dataset, resource=None, number=1):
    resource = resource or dataset.resources.get()
    return [
        reverse("datacatalog:dataset", args=[dataset.name]),
        reverse("datacatalog:resource", args=[dataset.name, resource.id]),
        reverse("datacatalog:download", args=[dataset.name, resource.id]),
        reverse("datacatalog:version_download", args=[dataset.name, resource.id, number]),
    ]


def body(response) -> str:
    return response.content.decode()


def published(portal, **kwargs):
    return make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, **kwargs)


def rows_csv(count):
    lines = ["kecamatan,kategori,jumlah"]
    lines += [f"K{i},{'ganjil' if i % 2 else 'genap'},{i * 10}" for i in range(1, count + 1)]
    return ("\n".join(lines) + "\n").encode()


# --- Dataset page and the list ----------------------------------------------------------------


def test_dataset_page_shows_the_satu_data_metadata_and_resources(client, portal):
    dataset = published(portal, classification="KBLI 2020", priority=True)
    resource = dataset.resources.get()
    response = client.get(f"/data/{dataset.name}/")
    assert response.status_code == 200
    html = body(response)
    for text in [
        "Jumlah contoh per kecamatan",
        "Data contoh untuk pengujian.",
        "Dinas Kesehatan",
        "Konsep contoh.",
        "Definisi contoh.",
        "KBLI 2020",
        "Tahunan",
        "1 Januari 2024",
        "31 Desember 2024",
        "Pengujian",
        "Petugas Data",
        "mailto:data@example.go.id",
        "Creative Commons Attribution 4.0",
        'href="https://creativecommons.org/licenses/by/4.0/"',
        "?tag=contoh",
        "?topik=kesehatan",
        "Kesehatan",
        "Kabupaten Lamongan",
        "Data prioritas",
        "Tabel utama",
        f"/data/{dataset.name}/sumber/{resource.id}/unduh/",
        f"/datastore/dump/{resource.id}?format=csv",
        f"/datastore/dump/{resource.id}?format=json",
        f"/api/3/action/package_show?id={dataset.id}",
        f"/api/3/action/datastore_search?resource_id={resource.id}",
    ]:
        assert text in html, text
    for ext, media in [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ]:
        assert f'<link rel="alternate" type="{media}"' in html
        assert f'href="/dataset/{dataset.id}.{ext}"' in html


def test_catalog_searches_filters_sorts_and_pages(client, portal):
    first = published(portal, name="penduduk", title="Jumlah penduduk", tags=["penduduk"])
    second = make_dataset(
        portal.b,
        portal.operator_b,
        portal.verifier_b,
        portal.kominfo,
        name="sampah",
        title="Timbulan sampah",
        tags=["sampah"],
    )
    html = body(client.get("/data/"))
    assert "Jumlah penduduk" in html and "Timbulan sampah" in html
    assert "2 dataset." in html
    assert "Dinas Kesehatan (1)" in html and "Dinas Lingkungan Hidup (1)" in html

    def names(query):
        page = body(client.get("/data/" + query))
        return set(re.findall(r'href="/data/([a-z0-9_-]+)/"', page))

    assert names("?organisasi=dinkes") == {first.name}
    assert names("?organisasi=dlh") == {second.name}
    assert names("?tag=sampah") == {second.name}
    assert names("?q=PENDUDUK") == {first.name}
    assert names("?q=timbulan+sampah&format=CSV") == {second.name}
    assert names("?topik=kesehatan") == {first.name, second.name}
    judul = body(client.get("/data/?urut=judul"))
    assert judul.index("Jumlah penduduk") < judul.index("Timbulan sampah")
    none = client.get("/data/?q=tidak-ada-sama-sekali")
    assert "Tidak ada dataset yang cocok" in body(none)
    assert 'content="noindex, follow"' in body(none)


def test_catalog_says_when_nothing_is_published_yet(client, portal):
    make_dataset(portal.a, portal.operator_a)  # a draft only
    html = body(client.get("/data/"))
    assert "Belum ada dataset yang diterbitkan" in html
    assert body(client.get("/data/?q=contoh")).count("Belum ada dataset yang diterbitkan") == 1


def test_catalog_costs_the_same_queries_for_more_datasets(client, portal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    published(portal, name="satu", tags=["a"])

    def count():
        client.get("/data/")  # the base template's cached site and settings, warmed up
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/data/?q=contoh&format=CSV").status_code == 200
        return len(queries)

    count()  # a fresh test process fills its per-process caches on the first page
    few = count()
    for i in range(6):
        published(portal, name=f"lain-{i}", tags=[f"tag-{i}"])
    assert count() == few


def test_catalog_pages(client, portal):
    for i in range(23):
        published(portal, name=f"data-{i:02d}", title=f"Data {i:02d}")
    first = body(client.get("/data/?urut=judul"))
    assert "Data 00" in first and "Data 19" in first and "Data 20" not in first
    assert "halaman=2" in first
    second = body(client.get("/data/?urut=judul&halaman=2"))
    assert "Data 20" in second and "Data 22" in second and "Data 00" not in second


# --- What is not published never shows ------------------------------------------------------


def _draft(portal):
    return make_dataset(portal.a, portal.operator_a, name="rahasia", tags=["rahasia"])


def _submitted(portal):
    return make_dataset(
        portal.a, portal.operator_a, portal.verifier_a, name="rahasia", tags=["rahasia"]
    )


def _returned(portal):
    dataset = _submitted(portal)
    return workflow.send_back(portal.kominfo, dataset, "Lengkapi definisi.")


def _withdrawn(portal):
    dataset = published(portal, name="rahasia", tags=["rahasia"])
    return workflow.withdraw(portal.kominfo, dataset, "Angka salah.")


def _private(portal):
    return published(portal, name="rahasia", tags=["rahasia"], private=True)


@pytest.mark.parametrize("build", [_draft, _submitted, _returned, _withdrawn, _private])
def test_unpublished_datasets_answer_404_everywhere(client, portal, build):
    dataset = build(portal)
    dataset.refresh_from_db()
    visible = published(portal, name="terbuka", title="Data terbuka", tags=["terbuka"])
    for url in urls(dataset):
        assert client.get(url).status_code == 404, url
    for url in urls(visible):
        assert client.get(url).status_code == 200, url
    for query in ["", "?q=rahasia", "?tag=rahasia", "?organisasi=dinkes", "?format=CSV"]:
        html = body(client.get("/data/" + query))
        assert "/data/rahasia/" not in html, query
        assert '<option value="rahasia"' not in html, query  # nor offered as a tag filter


def test_unverified_edits_and_uploads_stay_private(client, portal):
    dataset = published(portal)
    resource = dataset.resources.get()
    dataset.title = "Judul yang belum diverifikasi"
    dataset.notes = "Deskripsi yang belum diverifikasi."
    dataset.save()
    workflow.touch(dataset, portal.operator_a)
    Resource.objects.filter(pk=resource.pk).update(name="Nama sumber baru")
    newer = b"kode_kecamatan,kecamatan,tahun,jumlah\n35.24.05,BARU,2025,999\n"
    version = workflow.add_version(
        portal.operator_a, resource, SimpleUploadedFile("baru.csv", newer, content_type="text/csv")
    )
    workflow.load(portal.operator_a, version, [c["type"] for c in version.columns])
    resource.refresh_from_db()
    assert resource.current.number == 2 and resource.public_version.number == 1

    page, table, download, old, new = [
        *urls(dataset),
        reverse("datacatalog:version_download", args=[dataset.name, resource.id, 2]),
    ]
    html = body(client.get(page))
    assert "Jumlah contoh per kecamatan" in html and "Tabel utama" in html
    assert "belum diverifikasi" not in html and "Nama sumber baru" not in html
    html = body(client.get(table))
    assert "Sukorame" in html and "BARU" not in html and "999" not in html
    assert "Versi 1" in html
    response = client.get(download)
    assert b"".join(response.streaming_content) == SAMPLE_CSV
    assert b"".join(client.get(old).streaming_content) == SAMPLE_CSV
    assert client.get(new).status_code == 404


def test_download_is_an_attachment_with_a_safe_name_and_type(client, portal):
    dataset = published(portal)
    resource = dataset.resources.get()
    version = resource.public_version
    version.original_name = '../"rekap"\r\n<b>.csv'
    version.save()
    response = client.get(reverse("datacatalog:download", args=[dataset.name, resource.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "<" not in disposition
    assert ".." not in disposition and disposition.endswith('.csv"')


def test_a_resource_that_is_not_in_the_package_is_404(client, portal):
    dataset = published(portal)
    added = Resource.objects.create(dataset=dataset, name="Belum diverifikasi")
    for url in urls(dataset, resource=added)[1:]:
        assert client.get(url).status_code == 404, url


# --- The table preview ----------------------------------------------------------------------


def test_preview_pages_sorts_and_filters(client, portal):
    dataset = published(portal, csv=rows_csv(60))
    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    html = body(client.get(url))
    assert "Baris 1–25 dari 60" in html
    assert html.count("<tr>") == 26  # header + 25
    assert ">K1<" in html and ">K25<" in html and ">K26<" not in html

    html = body(client.get(url + "?baris=50&halaman=2"))
    assert "Baris 51–60 dari 60" in html and ">K51<" in html and ">K50<" not in html

    html = body(client.get(url + "?urut=jumlah&arah=turun"))
    assert 'aria-sort="descending"' in html
    assert html.index(">600<") < html.index(">590<")
    ascending = body(client.get(url + "?urut=jumlah"))
    assert 'aria-sort="ascending"' in ascending
    assert "urut=jumlah&amp;arah=turun" in ascending  # the header link reverses it

    html = body(client.get(url + "?kolom=kategori&isi=genap&urut=jumlah&arah=turun"))
    assert "Baris 1–25 dari 30" in html and ">600<" in html and ">590<" not in html
    html = body(client.get(url + "?q=K5"))
    assert "dari 11" in html  # K5, K50..K59

    bad = client.get(url + "?kolom=jumlah&isi=sepuluh")
    assert bad.status_code == 200
    html = body(bad)
    assert 'role="alert"' in html and "tidak cocok dengan tipe kolom" in html
    assert "Saringan tidak diterapkan" in html and 'value="sepuluh"' in html
    unknown = body(client.get(url + "?kolom=tidak_ada&isi=1"))
    assert "tidak ada di tabel ini" in unknown
    assert client.get(url + "?halaman=999&baris=7").status_code == 200


# --- Charts ------------------------------------------------------------------------------------


CATEGORY_CSV = (
    b"wilayah,tahun,jumlah,rata\n"
    b"Utara,2022,10,1.5\n"
    b"Selatan,2022,4,2.25\n"
    b"Utara,2023,7,0.5\n"
    b"Barat,2023,,1\n"
    b"Selatan,2023,-1,3\n"
    b",2024,5,1\n"
)


def test_chart_sums_per_category(client, portal):
    dataset = published(portal, csv=CATEGORY_CSV)
    version = dataset.resources.get().public_version
    result = charts.aggregate(version.key, version.columns, "wilayah", "jumlah")
    labelled = [(charts.label_text(label), total) for label, total in result.rows]
    assert labelled == [("Utara", 17), ("(kosong)", 5), ("Selatan", 3), ("Barat", None)]
    assert not result.truncated
    decimals = charts.aggregate(version.key, version.columns, "tahun", "rata", order="category")
    assert decimals.rows == [(2022, Decimal("3.75")), (2023, Decimal("4.5")), (2024, 1)]
    with pytest.raises(charts.ChartError):
        charts.aggregate(version.key, version.columns, "wilayah", "wilayah")
    with pytest.raises(charts.ChartError):
        charts.aggregate(version.key, version.columns, 'x" ; DROP TABLE x; --', "jumlah")
    limited = charts.aggregate(version.key, version.columns, "wilayah", "jumlah", limit=2)
    assert limited.truncated and [label for label, _t in limited.rows][:1] == ["Utara"]

    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    html = body(client.get(url + "?grafik_kategori=wilayah&grafik_angka=jumlah"))
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "Total jumlah per wilayah" in html
    assert re.search(r'<th scope="row">Utara</th><td class="num">17</td>', html)
    line = body(client.get(url + "?grafik_kategori=tahun&grafik_angka=rata&grafik_jenis=garis"))
    assert "<polyline" in line and re.search(r">2022</th><td class=\"num\">3,75<", line)
    refused = body(client.get(url + "?grafik_kategori=wilayah&grafik_angka=wilayah"))
    assert "bukan kolom angka" in refused and "<svg" not in refused.split('id="dc-grafik"')[1]


# --- The kecamatan map and the boundaries ----------------------------------------------------


def square(lon, lat, size=0.05):
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def test_map_colours_each_kecamatan(client, portal):
    dataset = published(portal)
    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    html = body(client.get(url))
    assert "Peta kecamatan" in html and 'name="peta_kode"' in html
    assert '<option value="kode_kecamatan" selected' in html

    without = body(client.get(url + "?peta_angka=jumlah"))
    assert "Batas wilayah kecamatan belum dimuat" in without
    assert "<path" not in without
    ranked = re.findall(
        r'<th scope="row">(\w+)</th><td>35\.24\.\d\d</td><td class="num">(\d+)', without
    )
    assert ranked[:3] == [("Modo", "210"), ("Sukorame", "120"), ("Bluluk", "95")]

    for i, code in enumerate(["35.24.01", "35.24.02", "35.24.03"]):
        Region.objects.filter(kemendagri_code=code).update(
            boundary=square(112.0 + i * 0.05, -7.1), boundary_source="Uji sintetis"
        )
    html = body(client.get(url + "?peta_angka=jumlah"))
    assert html.count("<path ") == 3
    assert "<title>Modo: 210</title>" in html and "Uji sintetis" in html
    assert "Keterangan warna" in html and "tidak ada data" in html
    assert "Batas wilayah kecamatan belum dimuat" not in html


def test_no_map_without_kecamatan_codes(client, portal):
    dataset = published(portal, csv=CATEGORY_CSV)
    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    assert "Peta kecamatan" not in body(client.get(url))


def write(tmp_path, features, name="batas.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def feature(code, geometry):
    return {"type": "Feature", "properties": {"KODE": code}, "geometry": geometry}


def test_boundaries_command_loads_a_good_file(tmp_path):
    ring = [[112.123456 + i * 0.001, -7.1 + (i % 7) * 0.0001] for i in range(200)]
    ring += [[112.4, -7.3], [112.1, -7.3], ring[0]]
    path = write(
        tmp_path,
        [
            feature("35.24.01", square(112.1234567, -7.1)),
            feature("352402", {"type": "Polygon", "coordinates": [ring]}),
            feature(
                "35.24.03",
                {
                    "type": "MultiPolygon",
                    "coordinates": [
                        square(112.3, -7.2)["coordinates"],
                        square(112.5, -7.2)["coordinates"],
                    ],
                },
            ),
        ],
    )
    out = StringIO()
    call_command(
        "load_region_boundaries", str(path), code_property="KODE", source="Uji", stdout=out
    )
    assert "3 batas wilayah dimuat" in out.getvalue()
    first = Region.objects.get(kemendagri_code="35.24.01")
    assert first.boundary["coordinates"][0][0] == [112.1235, -7.1]
    assert first.boundary_source == "Uji"
    thinned = Region.objects.get(kemendagri_code="35.24.02").boundary["coordinates"][0]
    assert 4 <= len(thinned) < 50  # a nearly straight edge of 200 points is a few points
    assert Region.objects.get(kemendagri_code="35.24.03").boundary["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    "features",
    [
        [
            feature("35.24.01", square(112, -7.1)),
            feature("35.24.02", {"type": "LineString", "coordinates": [[112, -7], [113, -7]]}),
        ],
        [feature("35.24.01", square(112, -7.1)), feature("35.24.99", square(112, -7.2))],
        [feature("35.24.01", square(112, -7.1)), feature("35.24.01", square(112, -7.2))],
        [
            feature(
                "35.24.01",
                {
                    "type": "Polygon",
                    "coordinates": [[[-7.1, 112], [-7.1, 113], [-7.2, 113], [-7.1, 112]]],
                },
            )
        ],
        [
            feature(
                "35.24.01",
                {"type": "Polygon", "coordinates": [[[112, -7], ["a", -7], [112, -8], [112, -7]]]},
            )
        ],
        [{"type": "Feature", "properties": {}, "geometry": square(112, -7.1)}],
    ],
    ids=["linestring", "unmatched", "duplicate", "lat-lon-swapped", "not-a-number", "no-code"],
)
def test_boundaries_command_refuses_a_bad_file_and_loads_nothing(tmp_path, features):
    path = write(tmp_path, features)
    with pytest.raises(CommandError):
        call_command("load_region_boundaries", str(path), code_property="KODE", source="Uji")
    assert not Region.objects.filter(boundary__isnull=False).exists()


def test_boundaries_command_refuses_non_geojson_and_big_files(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="bukan JSON"):
        call_command("load_region_boundaries", str(path), code_property="KODE", source="Uji")
    big = write(tmp_path, [feature("35.24.01", square(112, -7.1))] * 20000, "big.geojson")
    with pytest.raises(CommandError, match="terlalu besar"):
        call_command(
            "load_region_boundaries", str(big), code_property="KODE", source="Uji", max_mb=1
        )
    assert not Region.objects.filter(boundary__isnull=False).exists()


def test_boundaries_command_can_skip_other_regencies(tmp_path):
    path = write(
        tmp_path,
        [feature("35.24.01", square(112, -7.1)), feature("35.25.01", square(112.6, -7.1))],
    )
    err = StringIO()
    call_command(
        "load_region_boundaries",
        str(path),
        code_property="KODE",
        source="Uji",
        skip_unmatched=True,
        stdout=StringIO(),
        stderr=err,
    )
    assert "35.25.01" in err.getvalue()
    assert list(
        Region.objects.filter(boundary__isnull=False).values_list("kemendagri_code", flat=True)
    ) == ["35.24.01"]


def test_link_and_pdf_resources_offer_the_file_or_link_only(client, portal):
    dataset = make_dataset(portal.a, portal.operator_a)
    link = Resource.objects.create(
        dataset=dataset,
        name="Publikasi BPS",
        kind=Resource.Kind.LINK,
        url="https://lamongankab.bps.go.id/publikasi.html",
        format="HTML",
        position=1,
    )
    pdf = Resource.objects.create(dataset=dataset, name="Laporan", position=2)
    workflow.add_version(
        portal.operator_a,
        pdf,
        SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)

    page = body(client.get(f"/data/{dataset.name}/"))
    assert 'href="https://lamongankab.bps.go.id/publikasi.html"' in page
    assert f"/datastore/dump/{link.id}" not in page and f"/datastore/dump/{pdf.id}" not in page

    link_page = body(client.get(reverse("datacatalog:resource", args=[dataset.name, link.id])))
    assert "Buka tautan sumber" in link_page and "<table" not in link_page
    redirect = client.get(reverse("datacatalog:download", args=[dataset.name, link.id]))
    assert redirect.status_code == 302
    assert redirect["Location"] == "https://lamongankab.bps.go.id/publikasi.html"
    version = reverse("datacatalog:version_download", args=[dataset.name, link.id, 1])
    assert client.get(version).status_code == 404

    pdf_page = body(client.get(reverse("datacatalog:resource", args=[dataset.name, pdf.id])))
    assert "tidak berbentuk tabel" in pdf_page and "Grafik" not in pdf_page
    response = client.get(reverse("datacatalog:download", args=[dataset.name, pdf.id]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_map_reads_codes_written_as_digits(client, portal):
    csv = b"kode,jumlah\n352401,5\n352402,7\n352401,1\n"
    dataset = published(portal, csv=csv, types=["text", "int8"])
    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    html = body(client.get(url + "?peta_angka=jumlah"))
    ranked = re.findall(
        r'<th scope="row">(\w+)</th><td>35\.24\.\d\d</td><td class="num">(\d+)', html
    )
    assert ranked[:2] == [("Bluluk", "7"), ("Sukorame", "6")]


def test_deep_pages_of_a_plain_table_use_the_row_numbers(client, portal):
    dataset = published(portal, csv=rows_csv(120))
    url = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    html = body(client.get(url + "?baris=50&halaman=3"))
    assert "Baris 101–120 dari 120" in html and ">K101<" in html and ">K100<" not in html
