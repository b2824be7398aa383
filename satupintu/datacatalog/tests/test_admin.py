"""Satu Data through the admin as people use it: an operator prepares a dataset and its file,
the OPD's verifikator submits it, the Walidata (Kominfo) verifies, returns it with a note or
withdraws it. Every step is a client POST to the real views."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from satupintu.datacatalog import workflow
from satupintu.datacatalog.models import (
    ApiToken,
    Dataset,
    DatasetEvent,
    PublishedDataset,
    Resource,
    ResourceVersion,
    Topic,
)
from satupintu.datacatalog.testing import SAMPLE_CSV, make_dataset, topic
from satupintu.regency.models import Region

pytestmark = pytest.mark.django_db

BAD_CSV = (
    b"kode_kecamatan,kecamatan,tahun,jumlah\n"
    b"35.24.01,Sukorame,2024,120\n"
    b"35.24.02,Bluluk,2024,sembilan puluh\n"
    b"35.24.03,Ngimbang,2024,210\n"
)


def url(name, *args):
    return reverse(f"datacatalog_admin_{name}", args=args)


def metadata(portal, **changes):
    regency = Region.objects.get(level=Region.Level.REGENCY)
    data = {
        "opd": str(portal.a.pk),
        "title": "Jumlah Balita Ditimbang per Kecamatan",
        "name": "",
        "notes": "Balita yang ditimbang di posyandu.",
        "concept": "Pemantauan pertumbuhan.",
        "definition": "Balita umur 0–59 bulan yang ditimbang dalam sebulan.",
        "classification": "",
        "measure": "jumlah balita",
        "unit": "jiwa",
        "frequency": "tahunan",
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "regions": [str(regency.pk)],
        "source": "Laporan posyandu",
        "source_url": "",
        "contact_name": "Seksi Gizi",
        "contact_email": "gizi@example.go.id",
        "license_id": "cc-by",
        "tags_text": "kesehatan, balita, gizi anak",
        "topics": [str(topic().pk)],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def upload(name, content, kind="unggah", **extra):
    return {
        "name": "Tabel utama",
        "description": "",
        "kind": kind,
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        **extra,
    }


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def create_draft(client, portal, **changes):
    client.force_login(portal.operator_a)
    response = client.post(url("create"), metadata(portal, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dataset.objects.get(title=changes.get("title", metadata(portal)["title"]))


def test_full_flow_from_operator_to_walidata(portal, client):
    client.force_login(portal.operator_a)
    assert client.get(url("create")).status_code == 200
    dataset = create_draft(client, portal)
    assert dataset.opd == portal.a and dataset.status == Dataset.Status.DRAFT
    assert dataset.name == "jumlah-balita-ditimbang-per-kecamatan"
    assert dataset.tags == ["kesehatan", "balita", "gizi anak"]
    page = client.get(url("dataset", dataset.pk)).content.decode()
    assert "Tambahkan sedikitnya satu sumber data" in page

    response = client.post(url("add_resource", dataset.pk), upload("balita.csv", SAMPLE_CSV))
    version = ResourceVersion.objects.get(resource__dataset=dataset)
    assert response.url == url("columns", version.pk)
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bilangan bulat" in body and "Sukorame" in body and "Muat ke datastore" in body
    assert '<h1 class="w-header__title"' in body
    types = {f"col_{i}": c["type"] for i, c in enumerate(version.columns)}
    assert types["col_3"] == "int8"
    response = client.post(url("columns", version.pk), types, follow=True)
    version.refresh_from_db()
    assert version.state == ResourceVersion.State.LOADED and version.row_count == 3
    assert any("3 baris dimuat" in m for m in messages_of(response))

    # The operator prepares; only the verifikator submits.
    response = client.post(url("submit", dataset.pk), follow=True)
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.DRAFT
    assert messages_of(response)

    client.force_login(portal.verifier_a)
    page = client.get(url("dataset", dataset.pk)).content.decode()
    assert "Metadata dan sumber data lengkap." in page and "Ajukan ke Walidata" in page
    response = client.post(url("submit", dataset.pk), follow=True)
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.SUBMITTED
    assert any("diajukan" in m for m in messages_of(response))

    # Frozen while the Walidata checks it.
    client.force_login(portal.operator_a)
    client.post(url("edit", dataset.pk), metadata(portal, title="Diubah diam-diam"))
    assert Dataset.objects.get(pk=dataset.pk).title == dataset.title

    client.force_login(portal.kominfo)
    queue = client.get(url("review")).content.decode()
    assert dataset.title in queue
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 dataset menunggu verifikasi" in home
    response = client.post(url("verify", dataset.pk), follow=True)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED
    assert PublishedDataset.objects.filter(dataset=dataset).exists()
    assert any("terbit" in m for m in messages_of(response))
    assert dataset.title not in client.get(url("review")).content.decode()
    actions = list(dataset.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions[0] == DatasetEvent.Action.CREATED
    assert actions[-2:] == [DatasetEvent.Action.SUBMITTED, DatasetEvent.Action.PUBLISHED]


def test_returned_with_note_shows_the_note_to_the_opd(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a)
    client.force_login(portal.kominfo)
    response = client.post(url("send_back", dataset.pk), {"note": "  "}, follow=True)
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.SUBMITTED
    assert any("Tulis catatan" in m for m in messages_of(response))
    client.post(url("send_back", dataset.pk), {"note": "Definisi belum sesuai standar BPS."})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.RETURNED
    assert dataset.review_note == "Definisi belum sesuai standar BPS."

    client.force_login(portal.operator_a)
    assert (
        "Definisi belum sesuai standar BPS."
        in client.get(url("dataset", dataset.pk)).content.decode()
    )
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Definisi belum sesuai standar BPS." in home
    # The OPD corrects and the verifikator submits again.
    client.post(url("edit", dataset.pk), metadata(portal, title=dataset.title, definition="Baru"))
    assert Dataset.objects.get(pk=dataset.pk).definition == "Baru"
    client.force_login(portal.verifier_a)
    client.post(url("submit", dataset.pk))
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.SUBMITTED


def test_withdraw_needs_a_reason_and_takes_the_dataset_out_of_public_view(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    client.force_login(portal.kominfo)
    client.post(url("withdraw", dataset.pk), {"note": ""})
    assert PublishedDataset.objects.filter(dataset=dataset).exists()
    client.post(url("withdraw", dataset.pk), {"note": "Angka tahun 2024 dikoreksi BPS."})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.WITHDRAWN
    assert not PublishedDataset.objects.filter(dataset=dataset).exists()
    client.force_login(portal.verifier_a)
    page = client.get(url("dataset", dataset.pk)).content.decode()
    assert "Angka tahun 2024 dikoreksi BPS." in page and "Ajukan ke Walidata" in page


def test_a_step_refused_cleanly_when_the_state_changed_meanwhile(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a)
    # Kominfo opened the page while it was submitted; meanwhile it was returned.
    workflow.send_back(portal.kominfo, dataset, "Lengkapi sumber.")
    events = DatasetEvent.objects.filter(dataset=dataset).count()
    client.force_login(portal.kominfo)
    response = client.post(url("verify", dataset.pk), follow=True)
    assert response.status_code == 200
    assert any("status dataset sudah berubah" in m for m in messages_of(response))
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.RETURNED
    assert not PublishedDataset.objects.filter(dataset=dataset).exists()
    assert DatasetEvent.objects.filter(dataset=dataset).count() == events
    # The verifikator submits twice (two tabs): the second is refused.
    client.force_login(portal.verifier_a)
    client.post(url("submit", dataset.pk))
    response = client.post(url("submit", dataset.pk), follow=True)
    assert any("status dataset sudah berubah" in m for m in messages_of(response))
    assert DatasetEvent.objects.filter(dataset=dataset).count() == events + 1


def test_incomplete_dataset_lists_what_is_missing_and_cannot_be_submitted(portal, client):
    dataset = create_draft(client, portal, concept="", unit="", tags_text="", topics=None)
    client.force_login(portal.verifier_a)
    page = client.get(url("dataset", dataset.pk)).content.decode()
    for missing in ("Konsep belum diisi", "Satuan belum diisi", "kata kunci", "topik"):
        assert missing in page
    response = client.post(url("submit", dataset.pk), follow=True)
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.DRAFT
    assert any("Konsep belum diisi" in m for m in messages_of(response))


def test_name_is_kept_once_published(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    client.force_login(portal.operator_a)
    form = client.get(url("edit", dataset.pk)).content.decode()
    assert "nama singkat tidak berubah" in form
    client.post(
        url("edit", dataset.pk),
        metadata(portal, title="Judul yang diperbarui", name="nama-lain"),
    )
    dataset.refresh_from_db()
    assert dataset.name == "jumlah-contoh" and dataset.title == "Judul yang diperbarui"
    assert dataset.status == Dataset.Status.PUBLISHED and workflow.has_unpublished_changes(dataset)
    listing = client.get(url("index")).content.decode()
    assert "Ada perubahan belum diverifikasi" in listing
    # The public keeps the verified title until the Walidata verifies the change.
    assert "Judul yang diperbarui" not in PublishedDataset.objects.get(dataset=dataset).package


def test_a_draft_name_can_be_changed_and_bad_input_is_refused(portal, client):
    dataset = create_draft(client, portal, name="balita-ditimbang")
    assert dataset.name == "balita-ditimbang"
    response = client.post(
        url("edit", dataset.pk),
        metadata(
            portal,
            name="Nama Dengan Spasi",
            tags_text="ok, x, <b>tebal</b>",
            temporal_end="2023-01-01",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kata kunci tidak valid" in body and "“x”" in body
    assert "berakhir sebelum dimulai" in body
    assert Dataset.objects.get(pk=dataset.pk).name == "balita-ditimbang"
    client.post(url("edit", dataset.pk), metadata(portal, name="balita-2024"))
    assert Dataset.objects.get(pk=dataset.pk).name == "balita-2024"


def test_owner_opd_is_chosen_among_the_users_own_only(portal, client):
    client.force_login(portal.operator_a)
    form = client.get(url("create")).content.decode()
    assert 'type="hidden" name="opd"' in form
    response = client.post(url("create"), metadata(portal, opd=str(portal.b.pk)))
    assert response.status_code == 200
    assert not Dataset.objects.filter(opd=portal.b).exists()


def test_regions_are_the_regency_and_its_kecamatan(portal, client):
    client.force_login(portal.operator_a)
    form = client.get(url("create")).context["form"]
    levels = set(form.fields["regions"].queryset.values_list("level", flat=True))
    assert levels <= {Region.Level.REGENCY, Region.Level.DISTRICT}
    assert Region.Level.DISTRICT in levels
    village = Region.objects.filter(level=Region.Level.VILLAGE).first()
    if village is not None:
        response = client.post(url("create"), metadata(portal, regions=[str(village.pk)]))
        assert response.status_code == 200 and not Dataset.objects.exists()


def test_kominfo_cannot_edit_an_opds_metadata_or_files(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a)
    resource = dataset.resources.get()
    client.force_login(portal.kominfo)
    assert client.get(url("dataset", dataset.pk)).status_code == 200
    response = client.get(url("edit", dataset.pk))
    assert response.status_code == 302
    client.post(url("edit", dataset.pk), metadata(portal, title="Ditimpa Kominfo"))
    client.post(url("add_resource", dataset.pk), upload("lain.csv", SAMPLE_CSV))
    client.post(url("add_version", resource.pk), {"file": upload("v2.csv", SAMPLE_CSV)["file"]})
    client.post(url("delete", dataset.pk))
    dataset.refresh_from_db()
    assert dataset.title == "Jumlah contoh per kecamatan"
    assert dataset.resources.count() == 1 and resource.versions.count() == 1
    assert client.get(url("create")).status_code == 404
    # But Kominfo can read the original files.
    version = resource.versions.get()
    download = client.get(url("download", version.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == SAMPLE_CSV


def test_delete_draft_but_never_a_published_dataset(portal, client):
    draft = make_dataset(portal.a, portal.operator_a, name="draf-saja")
    published = make_dataset(
        portal.a, portal.operator_a, portal.verifier_a, portal.kominfo, name="sudah-terbit"
    )
    client.force_login(portal.operator_a)
    assert client.get(url("delete", draft.pk)).status_code == 200
    client.post(url("delete", published.pk))
    assert Dataset.objects.filter(pk=published.pk).exists()
    response = client.post(url("delete", draft.pk))
    assert response.url == url("index")
    assert not Dataset.objects.filter(pk=draft.pk).exists()


def test_html_disguised_as_csv_is_refused_and_nothing_stored(portal, client):
    dataset = create_draft(client, portal)
    response = client.post(
        url("add_resource", dataset.pk),
        upload("data.csv", b"<html><script>alert(1)</script></html>"),
    )
    assert response.status_code == 200
    assert "HTML/XML" in response.content.decode()
    assert not Resource.objects.filter(dataset=dataset).exists()
    assert not ResourceVersion.objects.exists()


@override_settings(SATUPINTU_MAX_DATASET_FILE_BYTES=50)
def test_oversize_upload_is_refused_and_nothing_stored(portal, client):
    dataset = create_draft(client, portal)
    response = client.post(url("add_resource", dataset.pk), upload("besar.csv", SAMPLE_CSV))
    assert response.status_code == 200
    assert "terlalu besar" in response.content.decode()
    assert not Resource.objects.filter(dataset=dataset).exists()


def test_unreadable_table_is_refused_and_the_resource_not_created(portal, client):
    dataset = create_draft(client, portal)
    response = client.post(url("add_resource", dataset.pk), upload("kosong.csv", b"   \n"))
    assert response.status_code == 200
    assert not Resource.objects.filter(dataset=dataset).exists()


def test_wrong_types_give_a_report_by_line_then_retry_and_corrected_upload(portal, client):
    dataset = create_draft(client, portal)
    client.post(url("add_resource", dataset.pk), upload("balita.csv", BAD_CSV))
    version = ResourceVersion.objects.get(resource__dataset=dataset)
    assert version.columns[3]["type"] == "text"  # inferred from the sample
    types = {"col_0": "text", "col_1": "text", "col_2": "int8", "col_3": "int8"}
    response = client.post(url("columns", version.pk), types)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Laporan pemeriksaan" in body and "1 nilai bermasalah di 1 baris" in body
    version.refresh_from_db()
    assert version.state == ResourceVersion.State.FAILED
    line, column, value, _message = version.report["errors"][0]
    assert (line, column, value) == (3, "jumlah", "sembilan puluh")
    assert f'<td class="num">{line}</td>' in body and "sembilan puluh" in body
    # The version is kept: reopening it shows the report and the chosen types.
    again = client.get(url("columns", version.pk)).content.decode()
    assert "Laporan pemeriksaan" in again
    # Retry with text for that column: it loads.
    response = client.post(url("columns", version.pk), {**types, "col_3": "text"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == ResourceVersion.State.LOADED
    # Or a corrected file as a new version, loaded as integers.
    resource = version.resource
    response = client.post(
        url("add_version", resource.pk), {"file": upload("balita.csv", SAMPLE_CSV)["file"]}
    )
    v2 = resource.versions.get(number=2)
    assert response.url == url("columns", v2.pk)
    client.post(url("columns", v2.pk), types)
    v2.refresh_from_db()
    resource.refresh_from_db()
    assert v2.state == ResourceVersion.State.LOADED and resource.current_id == v2.pk
    detail = client.get(url("dataset", dataset.pk)).content.decode()
    assert "v1" in detail and "v2" in detail and url("download", version.pk) in detail


def test_unknown_column_type_is_refused(portal, client):
    dataset = create_draft(client, portal)
    client.post(url("add_resource", dataset.pk), upload("balita.csv", SAMPLE_CSV))
    version = ResourceVersion.objects.get(resource__dataset=dataset)
    response = client.post(
        url("columns", version.pk), {"col_0": "text", "col_1": "text", "col_2": "x", "col_3": ""}
    )
    assert response.status_code == 200
    version.refresh_from_db()
    assert version.state == ResourceVersion.State.PENDING


def test_link_resource_and_non_tabular_file(portal, client):
    dataset = create_draft(client, portal)
    response = client.post(
        url("add_resource", dataset.pk),
        {"name": "Dasbor BPS", "kind": "tautan", "url": "https://example.org/data.json"},
    )
    assert response.status_code == 200 and "Isi format" in response.content.decode()
    client.post(
        url("add_resource", dataset.pk),
        {
            "name": "Dasbor BPS",
            "kind": "tautan",
            "url": "https://example.org/data.json",
            "format": "json",
        },
    )
    link = Resource.objects.get(dataset=dataset, name="Dasbor BPS")
    assert link.kind == Resource.Kind.LINK and link.format == "JSON"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(
        url("add_resource", dataset.pk),
        {
            "name": "Metodologi",
            "kind": "unggah",
            "file": SimpleUploadedFile("metodologi.pdf", pdf, "application/pdf"),
        },
    )
    version = ResourceVersion.objects.get(resource__name="Metodologi")
    assert version.state == ResourceVersion.State.STORED
    assert response.url == url("dataset", dataset.pk)
    download = client.get(url("download", version.pk))
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == pdf


def test_lists_by_role_and_filters(portal, client):
    a = make_dataset(portal.a, portal.operator_a, name="data-dinkes", title="Data Dinkes")
    b = make_dataset(portal.b, portal.operator_b, name="data-dlh", title="Data DLH")
    workflow.submit(portal.verifier_b, b)
    client.force_login(portal.operator_a)
    listing = client.get(url("index")).content.decode()
    assert "Data Dinkes" in listing and "Data DLH" not in listing
    assert client.get(url("review")).status_code == 404
    client.force_login(portal.kominfo)
    listing = client.get(url("index")).content.decode()
    assert "Data Dinkes" in listing and "Data DLH" in listing
    filtered = client.get(url("index"), {"status": "diajukan"}).content.decode()
    assert "Data DLH" in filtered and "Data Dinkes" not in filtered
    by_opd = client.get(url("index"), {"opd": portal.a.pk}).content.decode()
    assert "Data Dinkes" in by_opd and "Data DLH" not in by_opd
    assert a.title in client.get(url("index"), {"q": "dinkes"}).content.decode()


def test_api_tokens_are_shown_once_and_revoked_by_their_owner_only(portal, client):
    client.force_login(portal.operator_a)
    response = client.post(url("tokens"), {"name": "Skrip BPS"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    token = ApiToken.objects.get(user=portal.operator_a)
    assert raw and raw in response.content.decode() and raw not in token.digest
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    listing = client.get(url("tokens")).content.decode()
    assert "Skrip BPS" in listing and raw not in listing
    client.force_login(portal.operator_b)
    assert client.post(url("revoke", token.pk)).status_code == 404
    assert "Skrip BPS" not in client.get(url("tokens")).content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.force_login(portal.operator_a)
    client.post(url("revoke", token.pk))
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_topics_are_kominfo_only(portal, client):
    client.force_login(portal.kominfo)
    response = client.post(
        reverse("topik_data:add"), {"title": "Lingkungan", "name": "lingkungan", "description": ""}
    )
    assert response.status_code == 302
    topic_ = Topic.objects.get(name="lingkungan")
    client.force_login(portal.operator_a)
    assert client.get(reverse("topik_data:index")).status_code == 404
    assert client.post(reverse("topik_data:delete", args=[topic_.pk])).status_code == 404
    assert Topic.objects.filter(pk=topic_.pk).exists()


def test_menu_shows_each_item_to_its_people(portal, client):
    client.force_login(portal.kominfo)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for item in ("Satu Data", "Verifikasi Walidata", "Topik data", "Token API", "Portal pusat"):
        assert item in home
    client.force_login(portal.operator_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Token API" in home and url("index") in home
    assert url("review") not in home and reverse("datacatalog_sync:index") not in home
    assert reverse("topik_data:index") not in home


def test_steps_need_post_with_csrf(portal):
    from django.test import Client

    dataset = make_dataset(portal.a, portal.operator_a)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(portal.verifier_a)
    assert browser.get(url("submit", dataset.pk)).status_code == 405
    assert browser.post(url("submit", dataset.pk)).status_code == 403
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.DRAFT
    page = browser.get(url("dataset", dataset.pk))
    token = page.cookies["csrftoken"].value
    browser.post(url("submit", dataset.pk), {"csrfmiddlewaretoken": token})
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.SUBMITTED


def test_temporal_dates_roundtrip_in_the_form(portal, client):
    dataset = create_draft(client, portal)
    assert dataset.temporal_start == datetime.date(2024, 1, 1)
    form = client.get(url("edit", dataset.pk)).content.decode()
    assert 'value="2024-01-01"' in form and 'value="kesehatan, balita, gizi anak"' in form


def test_xlsx_upload_shows_its_columns_and_loads(portal, client):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["kecamatan", "tanggal", "jumlah"])
    sheet.append(["Babat", datetime.date(2024, 3, 1), 12])
    sheet.append(["Sugio", datetime.date(2024, 3, 2), 7])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = create_draft(client, portal)
    client.post(
        url("add_resource", dataset.pk),
        {
            "name": "Tabel XLSX",
            "kind": "unggah",
            "file": SimpleUploadedFile("tabel.xlsx", buffer.getvalue()),
        },
    )
    version = ResourceVersion.objects.get(resource__dataset=dataset)
    page = client.get(url("columns", version.pk))
    assert page.status_code == 200 and "Babat" in page.content.decode()
    types = {f"col_{i}": c["type"] for i, c in enumerate(version.columns)}
    assert types["col_2"] == "int8"
    client.post(url("columns", version.pk), types)
    version.refresh_from_db()
    assert version.state == ResourceVersion.State.LOADED and version.row_count == 2


def test_a_resource_can_be_renamed_and_an_unpublished_one_deleted(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, name="sementara")
    resource = dataset.resources.get()
    version = resource.current
    client.force_login(portal.operator_a)
    page = client.get(url("edit_resource", resource.pk))
    assert page.status_code == 200 and "Hapus" in page.content.decode()
    response = client.post(
        url("edit_resource", resource.pk), {"name": "Tabel rekap", "description": "Per kecamatan"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.name, resource.description) == ("Tabel rekap", "Per kecamatan")
    assert client.post(url("edit_resource", resource.pk), {"name": "<b>x</b>"}).status_code == 200
    resource.refresh_from_db()
    assert resource.name == "Tabel rekap"
    assert client.get(url("delete_resource", resource.pk)).status_code == 405
    client.post(url("delete_resource", resource.pk))
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not ResourceVersion.objects.filter(pk=version.pk).exists()
    assert "sumber data" in " ".join(workflow.problems(dataset)).lower()


def test_a_resource_the_public_is_served_cannot_be_deleted(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    resource = dataset.resources.get()
    client.force_login(portal.operator_a)
    assert (
        "sedang tampil di katalog publik"
        in client.get(url("edit_resource", resource.pk)).content.decode()
    )
    response = client.post(url("delete_resource", resource.pk), follow=True)
    assert "sedang tampil di katalog publik" in response.content.decode()
    assert Resource.objects.filter(pk=resource.pk).exists()
    # A link the verified package lists is protected the same way.
    link = Resource.objects.create(
        dataset=dataset, name="Tautan", kind=Resource.Kind.LINK, url="https://x.example/a.pdf"
    )
    assert not workflow.is_public(link)
    workflow.touch(dataset, portal.operator_a)
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)
    assert workflow.is_public(Resource.objects.get(pk=link.pk))


def test_a_link_resource_changes_its_address(portal, client):
    dataset = make_dataset(portal.a, portal.operator_a, name="bertautan")
    link = Resource.objects.create(
        dataset=dataset,
        name="Tautan",
        kind=Resource.Kind.LINK,
        url="https://x.example/a.pdf",
        format="PDF",
    )
    client.force_login(portal.operator_a)
    bad = client.post(url("edit_resource", link.pk), {"name": "Tautan", "url": "", "format": ""})
    assert bad.status_code == 200
    client.post(
        url("edit_resource", link.pk),
        {"name": "Tautan", "url": "https://x.example/b.csv", "format": "csv"},
    )
    link.refresh_from_db()
    assert (link.url, link.format) == ("https://x.example/b.csv", "CSV")
