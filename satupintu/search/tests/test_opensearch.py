"""The OpenSearch export: what a province cluster would be fed, checked without a cluster."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from satupintu.search import opensearch
from satupintu.search.demo import SYNONYMS
from satupintu.search.index import Doc, put
from satupintu.search.models import SynonymGroup

REGENCY = "35.24"  # what conftest's portal is initialised with
BASE = "https://lamongankab.go.id"


@pytest.fixture
def entries(portal):
    now = timezone.now()
    put(
        Doc(
            key="test-os:ktp",
            kind="layanan",
            title="Pembuatan KTP elektronik",
            url="/layanan/ktp/",
            summary="Syarat dan alur\nmembuat KTP-el.",
            body='Bawa kartu keluarga. "Tanda kutip" dan baris\nbaru tetap satu baris JSON.',
            opd_id=portal.a.pk,
            published_at=now - datetime.timedelta(days=400),
            boost=1.2,
        )
    )
    put(
        Doc(
            key="test-os:app",
            kind="aplikasi",
            title="Aplikasi lama",
            url="https://lama.example.go.id/",
            boost=0.0,
        )
    )
    put(
        Doc(
            key="test-os:expired",
            kind="pengumuman",
            title="Pengumuman yang sudah lewat",
            url="/pengumuman/lewat/",
            expires_at=now - datetime.timedelta(hours=1),
        )
    )
    put(
        Doc(
            key="test-os:later",
            kind="pengumuman",
            title="Pengumuman yang masih berlaku",
            url="/pengumuman/berlaku/",
            expires_at=now + datetime.timedelta(days=3),
        )
    )
    return portal


def _mine(docs):
    return {d["key"]: d for d in docs if d["key"].startswith("test-os:")}


def _parse_ndjson(text):
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert len(lines) % 2 == 0
    pairs = []
    for action_line, source_line in zip(lines[::2], lines[1::2], strict=True):
        action = json.loads(action_line)
        source = json.loads(source_line)
        assert list(action) == ["index"]
        assert "index" not in source and "_id" not in source
        pairs.append((action["index"], source))
    return pairs


@pytest.mark.django_db
def test_documents_are_current_absolute_and_namespaced(entries):
    docs = _mine(opensearch.documents(REGENCY, BASE + "/"))
    assert set(docs) == {"test-os:ktp", "test-os:app", "test-os:later"}
    ktp = docs["test-os:ktp"]
    assert ktp["_id"] == "35.24:test-os:ktp"
    assert ktp["regency_code"] == REGENCY
    assert ktp["url"] == "https://lamongankab.go.id/layanan/ktp/"
    assert ktp["opd"] == "dinkes" and ktp["opd_name"] == "Dinas Kesehatan"
    assert ktp["year"] == int(ktp["published_at"][:4])
    assert ktp["published_at"].endswith("+00:00")
    assert docs["test-os:app"]["url"] == "https://lama.example.go.id/"
    assert docs["test-os:app"]["opd"] is None
    # rank_feature refuses zero: a zero boost is exported as the smallest positive one.
    assert 0 < docs["test-os:app"]["boost"] <= opensearch.MIN_BOOST
    # Every field sent is in the strict mapping, and every mapped field is sent.
    mapped = set(opensearch.index_settings([])["mappings"]["properties"])
    assert set(ktp) - {"_id"} == mapped


@pytest.mark.django_db
def test_documents_require_a_regency_code(entries):
    with pytest.raises(ValueError):
        next(opensearch.documents("", BASE))


@pytest.mark.django_db
def test_bulk_lines_are_valid_ndjson_with_unique_prefixed_ids(entries):
    text = "".join(opensearch.bulk_lines(opensearch.documents(REGENCY, BASE), "satupintu"))
    pairs = _parse_ndjson(text)
    ids = [action["_id"] for action, _source in pairs]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{REGENCY}:") for i in ids)
    assert all(action["_index"] == "satupintu" for action, _source in pairs)
    by_key = {source["key"]: (action, source) for action, source in pairs}
    assert "test-os:expired" not in by_key
    action, source = by_key["test-os:ktp"]
    assert action["_id"] == f"{REGENCY}:{source['key']}"
    assert source["body"].endswith("tetap satu baris JSON.")
    assert "\n" in source["body"]  # survived the trip, escaped, on one line


def test_bulk_lines_keep_each_document_on_one_line():
    doc = {"_id": "35.24:x", "key": "x", "title": "a\nb\r\nc\u2028d"}
    lines = list(opensearch.bulk_lines([doc], "i"))
    assert len(lines) == 2
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert json.loads(lines[1]) == {"key": "x", "title": "a\nb\r\nc\u2028d"}


def test_settings_hold_synonyms_stemmer_and_stop_words():
    settings = opensearch.index_settings([terms for terms, _note in SYNONYMS])
    analysis = settings["settings"]["analysis"]
    synonyms = analysis["filter"]["satupintu_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    assert "ktp, kartu tanda penduduk, e-ktp, ktp elektronik, ktp-el" in synonyms["synonyms"]
    # Stop words are taken out of rules: left in, OpenSearch refuses the whole index.
    assert "pbb, pajak bumi bangunan" in synonyms["synonyms"]
    assert not any(" dan " in line for line in synonyms["synonyms"])
    assert analysis["filter"]["satupintu_stemmer"] == {"type": "stemmer", "language": "indonesian"}
    assert "dan" in analysis["filter"]["satupintu_stop"]["stopwords"]
    index_chain = analysis["analyzer"]["satupintu_id"]["filter"]
    search_chain = analysis["analyzer"]["satupintu_id_search"]["filter"]
    assert "satupintu_synonyms" not in index_chain  # synonyms at search time only
    assert search_chain.index("satupintu_stop") < search_chain.index("satupintu_synonyms")
    assert search_chain.index("satupintu_synonyms") < search_chain.index("satupintu_stemmer")
    props = settings["mappings"]["properties"]
    assert props["title"]["analyzer"] == "satupintu_id"
    assert props["title"]["search_analyzer"] == "satupintu_id_search"
    assert props["title"]["fields"]["suggest"]["type"] == "search_as_you_type"
    assert props["boost"] == {"type": "rank_feature"}
    assert props["url"]["index"] is False
    assert props["opd_name"]["fields"]["keyword"]["type"] == "keyword"
    json.dumps(settings)  # all of it serialisable as the PUT body


def test_settings_without_synonyms_leave_the_filter_out():
    analysis = opensearch.index_settings([])["settings"]["analysis"]
    assert "satupintu_synonyms" not in analysis["filter"]
    assert "satupintu_synonyms" not in analysis["analyzer"]["satupintu_id_search"]["filter"]


def test_synonym_lines_drop_duplicates_and_groups_left_with_one_phrase():
    assert opensearch.synonym_lines(["KK, Kartu  Keluarga, kk", "dan, yang", "solo"]) == [
        "kk, kartu keluarga"
    ]


def test_search_body_is_fuzzy_filtered_and_faceted():
    body = opensearch.search_body(
        "  Perizinan UMKM 3524 0112 3456 7890 ",
        kinds=["layanan", "dokumen", "layanan"],
        regency_codes=["35.24", "35.25"],
        size=20,
        from_=40,
    )
    json.dumps(body)
    assert body["from"] == 40 and body["size"] == 20
    scored = body["query"]["function_score"]
    matching = scored["query"]["bool"]["must"][0]["multi_match"]
    assert matching["query"] == "perizinan umkm"  # the NIK never reaches the cluster
    assert matching["fuzziness"] == "AUTO"
    assert matching["operator"] == "and"
    assert matching["type"] == "best_fields"
    assert matching["fields"] == ["title^4", "keywords^4", "summary^2", "body", "context^0.5"]
    filters = scored["query"]["bool"]["filter"]
    assert {"terms": {"kind": ["dokumen", "layanan"]}} in filters
    assert {"terms": {"regency_code": ["35.24", "35.25"]}} in filters
    assert "expires_at" in json.dumps(filters[0])
    assert scored["query"]["bool"]["should"][0]["rank_feature"]["field"] == "boost"
    decay = scored["functions"][0]["exp"]["published_at"]
    assert decay["scale"] == "365d"
    assert abs(decay["decay"] - 1 / 1.35) < 0.01
    assert set(body["aggs"]) == {"kind", "opd", "year", "regency_code"}
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert set(body["highlight"]["fields"]) == {"body", "summary"}


def test_search_body_without_filters_only_hides_expired():
    filters = opensearch.search_body("ktp")["query"]["function_score"]["query"]["bool"]["filter"]
    assert len(filters) == 1


@pytest.mark.parametrize(("size", "from_"), [(-1, 0), (101, 0), (10, -10), (100, 9_950)])
def test_search_body_refuses_pages_the_cluster_would_refuse(size, from_):
    with pytest.raises(ValueError):
        opensearch.search_body("ktp", size=size, from_=from_)


@pytest.mark.django_db
def test_command_writes_bulk_file(entries, tmp_path):
    target = tmp_path / "bulk.ndjson"
    err = io.StringIO()
    call_command(
        "export_search_index",
        "--format=opensearch-bulk",
        "--index=jatim-satupintu",
        f"--output={target}",
        f"--base-url={BASE}",
        "--exported-at=2025-01-02T03:04:05+07:00",
        stderr=err,
    )
    pairs = _parse_ndjson(target.read_text(encoding="utf-8"))
    keys = {source["key"] for _action, source in pairs}
    assert {"test-os:ktp", "test-os:app", "test-os:later"} <= keys
    assert "test-os:expired" not in keys
    assert {source["exported_at"] for _action, source in pairs} == {"2025-01-01T20:04:05.000+00:00"}
    assert str(len(pairs)) in err.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["bulk.ndjson"]  # no temporary left over


@pytest.mark.django_db
def test_command_settings_to_stdout_parse_as_json(db):
    SynonymGroup.objects.create(terms="dukcapil, kependudukan dan pencatatan sipil")
    out = io.StringIO()
    call_command("export_search_index", "--format=settings", "--output=-", stdout=out)
    settings = json.loads(out.getvalue())
    lines = settings["settings"]["analysis"]["filter"]["satupintu_synonyms"]["synonyms"]
    assert "dukcapil, kependudukan pencatatan sipil" in lines


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [
        ["--index=Bad Name", f"--base-url={BASE}"],
        ["--index=ok", "--base-url=lamongankab.go.id"],
        ["--index=ok", f"--base-url={BASE}", "--exported-at=2025-01-02 03:04"],
    ],
)
def test_command_refuses_bad_arguments(entries, tmp_path, arguments):
    with pytest.raises(CommandError):
        call_command("export_search_index", f"--output={tmp_path / 'x'}", *arguments)
    assert not list(tmp_path.iterdir())
