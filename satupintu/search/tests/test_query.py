"""Reading Indonesian queries and ranking: stems, synonyms, phrases, typos, facets, order."""

import datetime

import pytest
from django.utils import timezone

from satupintu.search import index, language
from satupintu.search.engines import COUNT_CAP, Filters
from satupintu.search.models import BestBet, Entry, SynonymGroup
from satupintu.search.query import search

pytestmark = pytest.mark.django_db


def put(key, title, kind="berita", days_old=None, **fields):
    published = None if days_old is None else timezone.now() - datetime.timedelta(days=days_old)
    return index.put(
        index.Doc(
            key=key,
            kind=kind,
            title=title,
            url=f"/{key.replace(':', '-')}/",
            published_at=published,
            **fields,
        )
    )


def titles(outcome):
    return [h.entry.title for h in outcome.hits]


@pytest.fixture
def corpus(portal):
    put(
        "page:9001",
        "Perizinan usaha mikro lewat OSS",
        "layanan",
        summary="Pendampingan pendaftaran NIB.",
        opd_id=portal.a.pk,
    )
    put("page:9002", "Pelayanan kesehatan ibu hamil", "layanan", body="Pemeriksaan kehamilan.")
    put(
        "page:9003",
        "Penggantian kartu tanda penduduk elektronik",
        "layanan",
        summary="Untuk KTP-el yang hilang atau rusak.",
        opd_id=portal.b.pk,
    )
    put(
        "page:9004",
        "Jadwal vaksinasi anak di puskesmas",
        "pengumuman",
        days_old=3,
        body="Vaksinasi campak dan polio setiap Kamis.",
        opd_id=portal.a.pk,
    )
    put(
        "page:9005",
        "Bupati meninjau pembangunan jalan desa",
        days_old=400,
        body="Pembangunan jalan sepanjang dua kilometer.",
        opd_id=portal.b.pk,
    )
    put("page:9006", "Pembangunan jembatan selesai", days_old=10, body="Jembatan baru dibuka.")
    return portal


def test_indonesian_word_forms_find_each_other(corpus):
    assert titles(search("izin")) == ["Perizinan usaha mikro lewat OSS"]
    assert "Pelayanan kesehatan ibu hamil" in titles(search("layanan"))
    assert set(titles(search("membangun"))) == {
        "Bupati meninjau pembangunan jalan desa",
        "Pembangunan jembatan selesai",
    }


def test_stop_words_do_not_block_a_query(corpus):
    assert titles(search("bagaimana cara izin usaha")) == ["Perizinan usaha mikro lewat OSS"]
    assert language.parse("yang dan").clauses  # all stop words: kept, not emptied


def test_synonyms_edited_by_kominfo_apply_at_once(corpus):
    assert search("ktp").total == 1  # "KTP-el" in the summary
    assert search("kartu identitas").partial  # only "kartu" is found
    SynonymGroup.objects.create(terms="kartu identitas, kartu tanda penduduk, ktp")
    outcome = search("kartu identitas")
    assert not outcome.partial
    assert titles(outcome) == ["Penggantian kartu tanda penduduk elektronik"]


def test_phrase_and_exclusion(corpus):
    assert search('"pembangunan jalan"').total == 1
    assert search("pembangunan").total == 2
    assert titles(search("pembangunan -jembatan")) == ["Bupati meninjau pembangunan jalan desa"]


def test_typo_is_corrected_when_nothing_is_found(corpus):
    outcome = search("perizinann")
    assert outcome.corrected == "perizinan"
    assert titles(outcome) == ["Perizinan usaha mikro lewat OSS"]


def test_did_you_mean_when_the_typo_still_finds_little(corpus):
    # A typo inside a body is findable, but the vocabulary (titles, summaries) lacks it.
    put("page:9010", "Catatan petugas", body="Vaksinsi tercatat salah ketik.")
    put("page:9011", "Vaksinasi lansia di balai desa", days_old=5)
    outcome = search("vaksinsi")
    assert outcome.total == 1 and not outcome.corrected
    assert outcome.did_you_mean == "vaksinasi"


def test_partial_results_when_no_entry_has_every_word(corpus):
    outcome = search("jadwal vaksinasi jembatan")
    assert outcome.partial
    # The entry with two of the three words comes first.
    assert titles(outcome)[0] == "Jadwal vaksinasi anak di puskesmas"
    assert "Pembangunan jembatan selesai" in titles(outcome)


def test_title_matches_and_recent_items_rank_first(corpus):
    put("page:9020", "Laporan kegiatan", days_old=1, body="Sebutan jembatan sekali saja.")
    assert titles(search("jembatan"))[0] == "Pembangunan jembatan selesai"
    put("page:9021", "Pembangunan jalan lingkungan", days_old=2)
    ranked = titles(search("pembangunan jalan"))
    assert ranked[:2] == ["Pembangunan jalan lingkungan", "Bupati meninjau pembangunan jalan desa"]


def test_sort_by_newest_puts_undated_last(corpus):
    put("page:9030", "Layanan pembangunan rumah layak huni", "layanan")
    ranked = titles(search("pembangunan", sort="terbaru"))
    assert ranked == [
        "Pembangunan jembatan selesai",
        "Bupati meninjau pembangunan jalan desa",
        "Layanan pembangunan rumah layak huni",
    ]


def test_facets_and_filters(corpus):
    outcome = search("pembangunan")
    assert outcome.counted.facets["kind"] == {"berita": 2}
    year = str((timezone.now() - datetime.timedelta(days=400)).year)
    assert outcome.counted.facets["year"][year] >= 1
    assert outcome.counted.facets["opd"] == {str(corpus.b.pk): 1}
    only_b = search("pembangunan", Filters(opd_id=corpus.b.pk))
    assert titles(only_b) == ["Bupati meninjau pembangunan jalan desa"]
    assert search("vaksinasi", Filters(kinds=("layanan",))).total == 0
    assert search("pembangunan", Filters(year=int(year))).total >= 1


def test_pages_of_results(corpus):
    for n in range(25):
        put(f"page:{9100 + n}", f"Pengumuman lelang aset nomor {n}", "pengumuman", days_old=n)
    first = search("lelang", per_page=10)
    third = search("lelang", per_page=10, page=3)
    assert first.total == 25 and first.pages == 3
    assert len(third.hits) == 5
    assert not {h.entry.pk for h in first.hits} & {h.entry.pk for h in third.hits}


def test_counting_stops_at_the_cap(portal, monkeypatch):
    from satupintu.search import engines

    monkeypatch.setattr(engines, "COUNT_CAP", 3)
    monkeypatch.setattr("satupintu.search.engines.postgres.COUNT_CAP", 3)
    monkeypatch.setattr("satupintu.search.engines.sqlite.COUNT_CAP", 3)
    for n in range(5):
        put(f"page:{9200 + n}", f"Rapat koordinasi {n}")
    outcome = search("rapat")
    assert outcome.counted.capped and outcome.total == 3
    assert COUNT_CAP == 500


def test_best_bets_come_first_on_the_first_page_only(corpus):
    target = Entry.objects.get(key="page:9003")
    BestBet.objects.create(queries="KTP hilang\nganti ktp", entry=target)
    assert [e.pk for e in search("ktp  hilang").best_bets] == [target.pk]
    assert search("ktp hilang", page=2).best_bets == []
    assert search("ktp", Filters(kinds=("berita",))).best_bets == []


def test_snippets_mark_the_words_found(corpus):
    hit = search("kamis").hits[0]
    assert "<mark>Kamis" in hit.snippet


def test_parse_reads_phrases_exclusions_and_synonyms():
    synonyms = {
        ("ktp",): [("ktp",), ("kartu", "tanda", "penduduk")],
        ("kartu", "tanda", "penduduk"): [("ktp",), ("kartu", "tanda", "penduduk")],
    }
    parsed = language.parse('Syarat KTP -"kartu keluarga" -rusak', synonyms)
    required = parsed.required
    assert [c.typed for c in required] == ["syarat", "ktp"]
    assert [a.text for a in required[1].alternatives] == ["ktp", "kartu tanda penduduk"]
    assert required[1].alternatives[1].phrase
    assert [c.typed for c in parsed.clauses if c.exclude] == ["kartu keluarga", "rusak"]


def test_normalize_folds_what_phones_paste():
    assert language.normalize("ＫＴＰ\u00a0Hilang ") == "ktp hilang"
    assert language.stem("perizinan") == language.stem("izin") == "izin"
