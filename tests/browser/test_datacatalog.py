"""In a real browser, the "done when" of Satu Data: an operator of an OPD prepares a dataset
(Satu Data metadata and an uploaded CSV whose column types they confirm), the OPD's
verifikator submits it to the Walidata, Kominfo verifies and publishes it, and an anonymous
visitor finds it in the public catalog, sorts its table and draws a bar chart. The forms and
pages people use along the way are checked with axe-core (WCAG 2.x A/AA) within their main
content (Wagtail's own chrome is Wagtail's).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_publish_flow import AXE_OPTIONS, assert_styled, axe_report, log_in, open_public

pytestmark = pytest.mark.browser

TITLE = "Jumlah balita ditimbang per kecamatan"
NAME = "jumlah-balita-ditimbang-per-kecamatan"
RESOURCE = "Balita ditimbang 2024"


def _districts(count=3):
    """The first kecamatan of the regency the portal was set up for (names as loaded)."""
    from satupintu.regency.models import RegencySettings, Region

    code = RegencySettings.load().kemendagri_code
    districts = list(
        Region.objects.filter(level=Region.Level.DISTRICT, parent__kemendagri_code=code).order_by(
            "kemendagri_code"
        )[:count]
    )
    assert len(districts) == count, f"the regency {code} has fewer than {count} kecamatan"
    return districts


def _axe(page, axe, reports):
    # Wagtail fades its messages in: contrast measured mid-animation is not what people read.
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== "running" || !a.effect.target?.closest?.(".messages")
        )"""
    )
    result = axe.run(page, context={"include": [["main"]]}, options=AXE_OPTIONS)
    violations = result.response["violations"]
    if violations:
        reports.append(axe_report(page.url, violations))


def _field(scope, label):
    """A form control by its label's text (Wagtail appends "*" to required fields' labels)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _open_menu_item(page, menu, item):
    """Wagtail's sidebar: open a submenu, follow one of its links."""
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name=menu, exact=True).click()
    sidebar.get_by_role("link", name=item, exact=True).click()


def test_opd_publishes_dataset_walidata_verifies_public_sees_chart(browser, tmp_path):
    from satupintu.datacatalog.models import Dataset, PublishedDataset, Topic

    Topic.objects.create(name="kesehatan", title="Kesehatan")
    districts = _districts()
    # Values chosen so that sorting by the number changes the file's order.
    counts = [310, 95, 1200]
    csv_path = tmp_path / "balita-ditimbang.csv"
    csv_path.write_text(
        "kecamatan,jumlah_balita\n"
        + "".join(f"{d.name},{n}\n" for d, n in zip(districts, counts, strict=True)),
        encoding="utf-8",
    )
    axe = Axe()
    reports = []

    # 1. The operator of Dinkes prepares the dataset.
    operator = browser.new_page()
    log_in(operator, "operator_a")
    _open_menu_item(operator, "Satu Data", "Dataset")
    operator.wait_for_url("**/admin/satudata/dataset/")
    operator.get_by_role("link", name="Tambah dataset").click()
    operator.wait_for_url("**/admin/satudata/dataset/baru/")
    _axe(operator, axe, reports)
    form = operator.locator("main form[method=post]")
    _field(form, "Judul").fill(TITLE)
    _field(form, "Deskripsi").fill("Balita yang ditimbang di posyandu selama 2024, per kecamatan.")
    _field(form, "Konsep").fill("Pemantauan pertumbuhan balita.")
    _field(form, "Definisi").fill(
        "Balita usia 0–59 bulan yang ditimbang sedikitnya sekali dalam setahun."
    )
    _field(form, "Ukuran").fill("jumlah balita ditimbang")
    _field(form, "Satuan").fill("jiwa")
    _field(form, "Frekuensi").select_option(label="Tahunan")
    _field(form, "Cakupan waktu: mulai").fill("2024-01-01")
    _field(form, "Cakupan waktu: sampai").fill("2024-12-31")
    form.get_by_label(f"{districts[0].name} ({districts[0].kemendagri_code})").check()
    _field(form, "Sumber").fill("Laporan posyandu")
    _field(form, "Kontak: nama").fill("Seksi Data Dinkes")
    _field(form, "Kontak: surel").fill("data.dinkes@example.go.id")
    _field(form, "Kata kunci").fill("kesehatan, balita, posyandu")
    _field(form, "Kesehatan").check()
    form.get_by_role("button", name="Simpan draf").click()
    expect(
        operator.get_by_text(f"Dataset \u201c{TITLE}\u201d disimpan sebagai draf.")
    ).to_be_visible()
    dataset = Dataset.objects.get(title=TITLE)
    assert dataset.opd.slug == "dinkes"
    assert dataset.name == NAME
    assert dataset.status == Dataset.Status.DRAFT
    assert dataset.tags == ["kesehatan", "balita", "posyandu"]
    assert list(dataset.regions.values_list("pk", flat=True)) == [districts[0].pk]
    assert list(dataset.topics.values_list("name", flat=True)) == ["kesehatan"]
    problems = operator.locator("ul.dc-problems li")
    expect(problems).to_have_text(["Tambahkan sedikitnya satu sumber data (berkas atau tautan)."])

    operator.get_by_role("link", name="Tambah sumber data").click()
    operator.wait_for_url(f"**/admin/satudata/dataset/{dataset.pk}/sumber/baru/")
    resource_form = operator.locator("main form[method=post]")
    _field(resource_form, "Nama").fill(RESOURCE)
    expect(resource_form.get_by_label("Berkas unggahan")).to_be_checked()
    _field(resource_form, "Berkas").set_input_files(str(csv_path))
    resource_form.get_by_role("button", name="Simpan").click()
    operator.wait_for_url(re.compile(r"/admin/satudata/versi/[0-9a-f-]+/kolom/$"))
    expect(operator.get_by_text(f"Sumber data \u201c{RESOURCE}\u201d ditambahkan.")).to_be_visible()
    types = operator.locator("main form[method=post]")
    name_type = types.get_by_label("kecamatan", exact=True)
    count_type = types.get_by_label("jumlah_balita", exact=True)
    expect(name_type.locator("option:checked")).to_have_text("Teks")
    expect(count_type.locator("option:checked")).to_have_text("Bilangan bulat")
    sample = operator.locator("table.dc-sample tbody tr")
    expect(sample).to_have_count(3)
    expect(sample.first).to_contain_text(districts[0].name)
    types.get_by_role("button", name="Muat ke datastore").click()
    operator.wait_for_url(f"**/admin/satudata/dataset/{dataset.pk}/")
    expect(
        operator.get_by_text(f"3 baris dimuat ke datastore dari \u201c{RESOURCE}\u201d v1.")
    ).to_be_visible()
    expect(operator.get_by_text("Metadata dan sumber data lengkap.")).to_be_visible()
    expect(operator.locator("ul.dc-problems")).to_have_count(0)
    # Operators prepare; only the verifikator may submit.
    expect(operator.get_by_role("button", name="Ajukan ke Walidata")).to_have_count(0)
    _axe(operator, axe, reports)

    # 2. The verifikator of Dinkes submits it to the Walidata.
    verifier = browser.new_page()
    log_in(verifier, "verifikator_a")
    verifier.goto("/admin/satudata/dataset/")
    verifier.get_by_role("link", name=TITLE).click()
    verifier.wait_for_url(f"**/admin/satudata/dataset/{dataset.pk}/")
    verifier.get_by_role("button", name="Ajukan ke Walidata").click()
    expect(verifier.get_by_text("Dataset diajukan ke Walidata untuk diverifikasi.")).to_be_visible()
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.SUBMITTED
    assert not PublishedDataset.objects.filter(name=NAME).exists()

    # 3. Kominfo, the Walidata, verifies and publishes it.
    kominfo = browser.new_page()
    log_in(kominfo, "kominfo")
    _open_menu_item(kominfo, "Satu Data", "Verifikasi Walidata")
    kominfo.wait_for_url("**/admin/satudata/verifikasi/")
    queue = kominfo.locator("main table.listing")
    expect(queue.locator("tr", has_text=TITLE)).to_contain_text("Dinas Kesehatan")
    queue.get_by_role("link", name=TITLE).click()
    kominfo.wait_for_url(f"**/admin/satudata/dataset/{dataset.pk}/")
    kominfo.get_by_role("button", name="Verifikasi dan terbitkan").click()
    expect(kominfo.get_by_text("Dataset diverifikasi dan terbit.")).to_be_visible()
    expect(kominfo.get_by_role("link", name="Lihat halaman publik")).to_be_visible()
    _axe(kominfo, axe, reports)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED
    assert PublishedDataset.objects.public().filter(name=NAME).exists()

    # 4. Anyone finds it, reads its table and draws a chart.
    visitor = browser.new_page()
    open_public(visitor, "/data/")
    search = visitor.get_by_role("search", name="Cari dan saring dataset")
    search.get_by_label("Kata kunci", exact=True).fill(TITLE)
    search.get_by_role("button", name="Tampilkan").click()
    visitor.wait_for_url(re.compile(r"/data/\?.*q="))
    results = visitor.locator("main ul.dc-results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Dinas Kesehatan")
    results.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(f"**/data/{NAME}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = visitor.locator("main .dc-facts")
    expect(facts).to_contain_text("Pemantauan pertumbuhan balita.")
    expect(facts).to_contain_text("jiwa")
    expect(facts).to_contain_text("Tahunan")
    expect(facts).to_contain_text(districts[0].kemendagri_code)
    assert_styled(visitor)
    _axe(visitor, axe, reports)

    visitor.get_by_role("link", name=RESOURCE, exact=True).click()
    visitor.wait_for_url(re.compile(rf"/data/{NAME}/[^/]+/[0-9a-f-]+/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(RESOURCE)
    preview = visitor.locator("main table.dc-table").first
    expect(preview.locator("caption")).to_contain_text("Baris 1–3 dari 3")
    body_rows = preview.locator("tbody tr")
    expect(body_rows).to_have_count(3)
    for row, district, count in zip(body_rows.all(), districts, counts, strict=True):
        expect(row.locator("td")).to_have_text([district.name, str(count)])

    preview.locator("thead").get_by_role("link", name=re.compile(r"^jumlah_balita")).click()
    visitor.wait_for_url(re.compile(r"urut=jumlah_balita"))
    preview = visitor.locator("main table.dc-table").first
    expect(preview.locator("th[aria-sort=ascending]")).to_contain_text("jumlah_balita")
    by_count = sorted(zip(counts, districts, strict=True), key=lambda pair: pair[0])
    expect(preview.locator("tbody tr td:first-child")).to_have_text(
        [district.name for _count, district in by_count]
    )
    expect(preview.locator("tbody tr td:nth-child(2)")).to_have_text(
        [str(count) for count, _district in by_count]
    )

    chart_form = visitor.get_by_role("form", name="Pilih kolom grafik")
    chart_form.get_by_label("Kelompokkan menurut").select_option("kecamatan")
    chart_form.get_by_label("Jumlahkan kolom angka").select_option("jumlah_balita")
    chart_form.get_by_label("Batang").check()
    chart_form.get_by_role("button", name="Buat grafik").click()
    visitor.wait_for_url(re.compile(r"grafik_kategori=kecamatan"))
    figure = visitor.locator("main figure.dc-figure")
    expect(figure.locator("svg")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("Total jumlah_balita per kecamatan")
    chart_table = visitor.get_by_role("table", name=re.compile("^Data grafik"))
    expect(chart_table.locator("tbody th")).to_have_count(3)
    for district in districts:
        expect(chart_table.locator("tbody th", has_text=district.name)).to_have_count(1)
    # The bar chart ranks the largest first.
    expect(chart_table.locator("tbody th").first).to_have_text(by_count[-1][1].name)
    # Sorting is kept while the chart is drawn.
    expect(visitor.locator("main table.dc-table").first.locator("th[aria-sort]")).to_have_count(1)
    assert_styled(visitor)
    _axe(visitor, axe, reports)
    assert not reports, "axe-core found WCAG A/AA violations:\n" + "\n".join(reports)
