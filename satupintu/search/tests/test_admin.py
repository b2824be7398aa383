"""Kominfo's search admin as it is used: synonyms, pinned results with the entry chooser, and
the search report; and the OPDs kept out of every URL of it."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from satupintu.opd.provisioning import KOMINFO_GROUP
from satupintu.search import index
from satupintu.search.analytics import REPORT_MINIMUM
from satupintu.search.models import BestBet, Entry, QueryDay, SynonymGroup, Term

pytestmark = pytest.mark.django_db


def put_entry(key, title, kind="layanan", opd=None):
    return index.put(
        index.Doc(
            key=key,
            kind=kind,
            title=title,
            url=f"/uji/{key.replace(':', '-')}/",
            summary=f"Ringkasan {title}",
            opd_id=opd.pk if opd else None,
        )
    )


def errors_of(response):
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


# Sinonim ----------------------------------------------------------------------------------


def test_kominfo_creates_edits_and_deletes_a_synonym_group(portal, client_for):
    client = client_for(portal.kominfo)
    assert client.get(reverse("sinonim:index")).status_code == 200
    assert client.get(reverse("sinonim:add")).status_code == 200

    response = client.post(
        reverse("sinonim:add"),
        {"terms": "dukcapil, kependudukan dan catatan sipil", "note": "nama dinas"},
    )
    assert response.status_code == 302, errors_of(response)
    group = SynonymGroup.objects.get()
    assert group.note == "nama dinas"
    # The new words join the "did you mean" vocabulary at once.
    assert Term.objects.filter(word="dukcapil").exists()

    listing = client.get(reverse("sinonim:index")).content.decode()
    assert "dukcapil, kependudukan dan catatan sipil" in listing
    assert "nama dinas" in listing

    response = client.post(
        reverse("sinonim:edit", args=[group.pk]),
        {"terms": "dukcapil, disdukcapil, kependudukan dan catatan sipil", "note": ""},
    )
    assert response.status_code == 302, errors_of(response)
    group.refresh_from_db()
    assert "disdukcapil" in group.terms and group.note == ""
    assert Term.objects.filter(word="disdukcapil").exists()

    assert client.get(reverse("sinonim:delete", args=[group.pk])).status_code == 200
    response = client.post(reverse("sinonim:delete", args=[group.pk]))
    assert response.status_code == 302
    assert not SynonymGroup.objects.exists()


def test_one_term_is_refused_in_indonesian_and_nothing_is_saved(portal, client_for):
    client = client_for(portal.kominfo)
    for terms in ["ktp", "ktp, KTP , ktp"]:
        response = client.post(reverse("sinonim:add"), {"terms": terms, "note": ""})
        assert response.status_code == 200
        assert errors_of(response)["terms"] == [
            "Tulis paling sedikit dua istilah yang dipisahkan koma."
        ]
        assert "Tulis paling sedikit dua istilah yang dipisahkan koma." in response.content.decode()
    assert not SynonymGroup.objects.exists()
    assert not Term.objects.filter(word="ktp").exists()


def test_a_kominfo_member_who_is_not_superuser_manages_search(portal, client_for):
    member = get_user_model().objects.create(username="kominfo_staf", is_staff=False)
    member.groups.add(Group.objects.get(name=KOMINFO_GROUP))
    client = client_for(member)
    for name in ["sinonim:index", "sinonim:add", "hasil_unggulan:index", "search_admin_report"]:
        assert client.get(reverse(name)).status_code == 200, name
    response = client.post(reverse("sinonim:add"), {"terms": "samsat, pajak kendaraan"})
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms="samsat, pajak kendaraan").exists()


# Hasil unggulan ---------------------------------------------------------------------------


def test_kominfo_pins_a_result_for_queries(portal, client_for):
    entry = put_entry("page:90001", "Pembuatan KTP elektronik", opd=portal.a)
    put_entry("page:90002", "Berita vaksinasi", kind="berita")
    client = client_for(portal.kominfo)

    # From the report's "Buat hasil unggulan": the query arrives filled in.
    page = client.get(reverse("hasil_unggulan:add"), {"q": "ktp hilang"})
    assert page.status_code == 200
    assert page.context["form"].initial["queries"] == "ktp hilang"
    assert "ktp hilang" in page.content.decode()

    response = client.post(
        reverse("hasil_unggulan:add"),
        {"queries": "  ktp hilang \n\n kehilangan ktp\n", "entry": str(entry.pk), "note": ""},
    )
    assert response.status_code == 302, errors_of(response)
    bet = BestBet.objects.get()
    assert bet.entry == entry
    assert bet.created_by == portal.kominfo
    assert bet.queries == "ktp hilang\nkehilangan ktp"

    listing = client.get(reverse("hasil_unggulan:index")).content.decode()
    assert "ktp hilang" in listing
    assert "Pembuatan KTP elektronik" in listing
    assert "Layanan" in listing and "Dinkes" in listing

    # The edit form shows the chosen entry by title, kind and OPD, never a bare id.
    edit = client.get(reverse("hasil_unggulan:edit", args=[bet.pk])).content.decode()
    assert "Pembuatan KTP elektronik (Layanan · Dinkes)" in edit
    assert "Berita vaksinasi" not in edit

    other = put_entry("page:90003", "Kartu keluarga hilang")
    response = client.post(
        reverse("hasil_unggulan:edit", args=[bet.pk]),
        {"queries": "ktp hilang", "entry": str(other.pk), "note": "lebih tepat"},
    )
    assert response.status_code == 302, errors_of(response)
    bet.refresh_from_db()
    assert bet.entry == other and bet.note == "lebih tepat"
    assert bet.created_by == portal.kominfo

    response = client.post(reverse("hasil_unggulan:delete", args=[bet.pk]))
    assert response.status_code == 302
    assert not BestBet.objects.exists()


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("", "This field is required."),
        ("  \n \n", "This field is required."),
        ("?!\n...", "Tulis paling sedikit satu kata kunci."),
        ("ktp hilang\n" + "a" * 201, "Setiap kata kunci paling panjang 200 karakter"),
    ],
)
def test_best_bet_queries_are_checked(portal, client_for, queries, message):
    entry = put_entry("page:90010", "Izin usaha mikro")
    client = client_for(portal.kominfo)
    response = client.post(
        reverse("hasil_unggulan:add"), {"queries": queries, "entry": str(entry.pk), "note": ""}
    )
    assert response.status_code == 200
    errors = errors_of(response)["queries"]
    if message == "This field is required.":
        # Django's own message, translated by Django's catalogue.
        assert errors
    else:
        assert any(message in e for e in errors), errors
    assert not BestBet.objects.exists()


def test_best_bet_needs_an_existing_entry(portal, client_for):
    client = client_for(portal.kominfo)
    for value in ["", "999999999", "bukan-angka"]:
        response = client.post(
            reverse("hasil_unggulan:add"), {"queries": "ktp hilang", "entry": value, "note": ""}
        )
        assert response.status_code == 200
        assert "entry" in errors_of(response)
    assert not BestBet.objects.exists()


def chooser_html(response):
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def test_entry_chooser_searches_titles_and_shows_one_page(portal, client_for):
    for n in range(25):
        put_entry(f"page:{91000 + n}", f"Pengumuman seleksi nomor {n}", kind="pengumuman")
    wanted = put_entry("dataset:uji-1", "Jumlah balita ditimbang", kind="dataset", opd=portal.a)
    client = client_for(portal.kominfo)

    html = chooser_html(client.get(reverse("pilih_entri_pencarian:choose")))
    # Never every entry: one page of matches.
    assert html.count("Pengumuman seleksi nomor") <= 20

    # The modal's search box asks the results view, which answers with the list alone.
    results = client.get(reverse("pilih_entri_pencarian:choose_results"), {"q": "balita timbang"})
    assert results.status_code == 200
    html = results.content.decode()
    assert "Jumlah balita ditimbang" in html
    assert "Dataset" in html and "Dinkes" in html
    assert "Pengumuman seleksi" not in html
    assert reverse("pilih_entri_pencarian:chosen", args=[wanted.pk]) in html
    html = chooser_html(client.get(reverse("pilih_entri_pencarian:choose"), {"q": "BALITA"}))
    assert "Jumlah balita ditimbang" in html and "Pengumuman seleksi" not in html

    chosen = json.loads(
        client.get(reverse("pilih_entri_pencarian:chosen", args=[wanted.pk])).content
    )
    assert chosen["step"] == "chosen"
    assert chosen["result"]["id"] == str(wanted.pk)
    assert chosen["result"]["title"] == "Jumlah balita ditimbang (Dataset · Dinkes)"
    assert client.get(reverse("pilih_entri_pencarian:chosen", args=["bukan"])).status_code == 404
    # Entries come from the indexer only: no "create" from the chooser.
    # (Wagtail answers a refused admin action with a redirect and a message.)
    before = Entry.objects.count()
    create = client.post(reverse("pilih_entri_pencarian:create"), {"title": "Entri buatan"})
    assert create.status_code in (302, 403, 404)
    assert Entry.objects.count() == before


# Laporan pencarian ------------------------------------------------------------------------


def add_counts(query, days_ago, searches, empty=0, clicks=0):
    QueryDay.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        query=query,
        searches=searches,
        empty=empty,
        clicks=clicks,
    )


@pytest.fixture
def counts():
    add_counts("ktp hilang", 0, 5, clicks=3)
    add_counts("ktp hilang", 10, 3, empty=1, clicks=1)
    add_counts("akta kelahiran", 1, 4, empty=4)
    add_counts("pajak motor", 2, 3)
    add_counts("jadwal posyandu", 3, 2, clicks=0)  # below the no-click minimum
    add_counts("budi santoso", 0, REPORT_MINIMUM - 1, empty=REPORT_MINIMUM - 1)  # a name?
    add_counts("budi santoso", 45, 5)  # outside 30 days: does not lift it above the minimum
    add_counts("lowongan cpns", 60, 9, empty=9)


def by_query(rows):
    return {r["query"]: (r["searches"], r["empty"], r["clicks"]) for r in rows}


def test_report_sums_the_period_and_hides_rare_queries(portal, client_for, counts):
    client = client_for(portal.kominfo)
    response = client.get(reverse("search_admin_report"))
    assert response.status_code == 200
    context = response.context
    assert context["days"] == 30
    assert list(by_query(context["top"]).items()) == [
        ("ktp hilang", (8, 1, 4)),
        ("akta kelahiran", (4, 4, 0)),
        ("pajak motor", (3, 0, 0)),
        ("jadwal posyandu", (2, 0, 0)),
    ]
    assert by_query(context["no_results"]) == {"akta kelahiran": (4, 4, 0), "ktp hilang": (8, 1, 4)}
    assert [r["query"] for r in context["no_results"]] == ["akta kelahiran", "ktp hilang"]
    assert by_query(context["no_clicks"]) == {"pajak motor": (3, 0, 0)}
    assert context["top"][0]["click_rate"] == 50.0

    body = response.content.decode()
    assert "budi santoso" not in body
    assert "lowongan cpns" not in body
    assert '<h1 class="w-header__title"' in body and len(re.findall(r"<h1[\s>]", body)) == 1
    assert f"{reverse('search')}?q=ktp+hilang" in body
    create = f"{reverse('hasil_unggulan:add')}?q=akta+kelahiran"
    assert create in body
    assert f"{reverse('hasil_unggulan:add')}?q=pajak+motor" in body
    # The best-bet link opens the create form with the query filled in.
    assert client.get(create).context["form"].initial["queries"] == "akta kelahiran"


def test_report_periods(portal, client_for, counts):
    client = client_for(portal.kominfo)
    week = client.get(reverse("search_admin_report"), {"hari": "7"}).context
    assert by_query(week["top"])["ktp hilang"] == (5, 0, 3)
    quarter = client.get(reverse("search_admin_report"), {"hari": "90"}).context
    assert by_query(quarter["top"])["lowongan cpns"] == (9, 9, 0)
    assert by_query(quarter["top"])["budi santoso"] == (6, 1, 0)
    # An unknown period (an edited link) falls back to 30 days.
    odd = client.get(reverse("search_admin_report"), {"hari": "365"}).context
    assert odd["days"] == 30 and "lowongan cpns" not in by_query(odd["top"])


def test_report_tables_stop_at_fifty_rows(portal, client_for):
    for n in range(60):
        add_counts(f"kata {n:02d}", 0, 3, empty=3)
    context = client_for(portal.kominfo).get(reverse("search_admin_report")).context
    assert len(context["top"]) == 50 and len(context["no_results"]) == 50


def test_report_csv_download(portal, client_for, counts):
    add_counts("=cmd|' /C calc'!A0", 0, 3)
    response = client_for(portal.kominfo).get(
        reverse("search_admin_report"), {"hari": "30", "unduh": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "pencarian-teratas-30-hari" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Kata kunci", "Pencarian", "Tanpa hasil", "Klik", "Rasio klik (%)"]
    assert rows[1] == ["ktp hilang", "8", "1", "4", "50.0"]
    assert "budi santoso" not in text
    # A query that looks like a formula stays text in a spreadsheet.
    assert ["'=cmd|' /C calc'!A0", "3", "0", "0", "0.0"] in rows


# Kept out -----------------------------------------------------------------------------------


def every_url(portal):
    entry = put_entry("page:92000", "Pembuatan KTP elektronik", opd=portal.a)
    group = SynonymGroup.objects.create(terms="ktp, kartu tanda penduduk")
    bet = BestBet.objects.create(queries="ktp hilang", entry=entry)
    urls = [
        reverse("search_admin_report"),
        reverse("search_admin_report") + "?unduh=csv",
        reverse("pilih_entri_pencarian:choose"),
        reverse("pilih_entri_pencarian:choose_results"),
        reverse("pilih_entri_pencarian:chosen", args=[entry.pk]),
        reverse("pilih_entri_pencarian:chosen_multiple") + f"?id={entry.pk}",
        reverse("pilih_entri_pencarian:create"),
    ]
    for name, obj in [("sinonim", group), ("hasil_unggulan", bet)]:
        urls += [reverse(f"{name}:{view}") for view in ("index", "index_results", "add")]
        urls += [
            reverse(f"{name}:{view}", args=[obj.pk])
            for view in ("edit", "delete", "history", "history_results", "usage")
        ]
    return urls, group, bet


@pytest.mark.parametrize("role", ["operator_a", "verifier_a", "operator_b"])
def test_opd_people_get_404_everywhere(portal, client, role):
    urls, group, bet = every_url(portal)
    client.force_login(getattr(portal, role))
    for url in urls:
        assert client.get(url).status_code == 404, f"GET {url}"
        data = {"terms": "diubah, berubah", "queries": "diubah", "entry": str(bet.entry_id)}
        assert client.post(url, data).status_code == 404, f"POST {url}"
    assert SynonymGroup.objects.get() == group and group.terms == "ktp, kartu tanda penduduk"
    assert BestBet.objects.get().queries == "ktp hilang"


def test_anonymous_is_sent_to_login(portal, client):
    urls, _group, _bet = every_url(portal)
    login = reverse("wagtailadmin_login")
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith(login), url
    assert SynonymGroup.objects.count() == 1 and BestBet.objects.count() == 1


def test_menu_is_kominfo_only(portal, client_for):
    links = [reverse("sinonim:index"), reverse("hasil_unggulan:index")]
    links.append(reverse("search_admin_report"))
    home = client_for(portal.kominfo).get(reverse("wagtailadmin_home")).content.decode()
    assert all(link in home for link in links)
    assert "Pencarian" in home
    for role in ("operator_a", "verifier_a"):
        home = client_for(getattr(portal, role)).get(reverse("wagtailadmin_home"))
        assert home.status_code == 200
        body = home.content.decode()
        assert not any(link in body for link in links), role
        assert "/admin/pencarian/" not in body
