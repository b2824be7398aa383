"""What enters the index and when: only what the public may read, from the moment it may."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from satupintu.core.testing import add_news
from satupintu.search import index
from satupintu.search.models import Entry
from satupintu.search.query import search

pytestmark = pytest.mark.django_db


def keys():
    return set(Entry.objects.values_list("key", flat=True))


def test_published_news_is_found_at_once(portal):
    page = add_news(portal.a, "Perizinan praktik bidan mandiri dibuka", user=portal.operator_a)
    entry = Entry.objects.get(key=f"page:{page.pk}")
    assert entry.kind == "berita"
    assert entry.opd_id == portal.a.pk
    assert entry.url == page.url
    assert [h.entry.pk for h in search("perizinan bidan").hits] == [entry.pk]


def test_a_draft_never_enters_and_its_text_never_shows(portal):
    add_news(portal.a, "Rencana rahasia penataan ulang", publish=False)
    assert not search("rahasia").hits
    live = add_news(portal.a, "Jadwal posyandu balita", body="<p>Isi yang terbit.</p>")
    live.body = "<p>Draf berisi kalimat belumterbit.</p>"
    live.save_revision(user=portal.operator_a)  # a draft of a new version, not published
    assert not search("belumterbit").hits
    assert search("posyandu").hits[0].entry.key == f"page:{live.pk}"


def test_unpublish_and_delete_remove_the_entry(portal):
    page = add_news(portal.a, "Lomba desa bersih tingkat kabupaten")
    assert f"page:{page.pk}" in keys()
    page.unpublish()
    assert f"page:{page.pk}" not in keys()
    page.save_revision().publish()
    assert f"page:{page.pk}" in keys()
    page.delete()
    assert f"page:{page.pk}" not in keys()


def test_a_restricted_section_leaves_the_index_and_comes_back(portal):
    page = add_news(portal.a, "Notulen rapat terbatas pegawai")
    restriction = PageViewRestriction.objects.create(
        page=page.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert f"page:{page.pk}" not in keys()
    assert not search("notulen").hits
    restriction.delete()
    assert f"page:{page.pk}" in keys()


def test_expired_content_disappears_from_results_before_any_job_runs(portal):
    page = add_news(portal.a, "Kuota pendaftaran kursus menjahit")
    Entry.objects.filter(key=f"page:{page.pk}").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert not search("menjahit").hits
    assert search("menjahit").total == 0


def test_moving_a_page_updates_its_url_and_opd(portal):
    from satupintu.news.models import NewsIndexPage

    page = add_news(portal.a, "Pelatihan pengolahan sampah organik")
    target = NewsIndexPage.objects.child_of(portal.b.home_page).get()
    page.move(target, pos="last-child")
    page.refresh_from_db()
    entry = Entry.objects.get(key=f"page:{page.pk}")
    assert entry.opd_id == portal.b.pk
    assert entry.url == page.url
    assert entry.url.startswith(f"/{portal.b.slug}/")


def test_renaming_an_opd_relabels_its_entries(portal):
    page = add_news(portal.a, "Gerakan cuci tangan pakai sabun")
    portal.a.name = "Dinas Kesehatan dan Keluarga Berencana"
    portal.a.save()
    entry = Entry.objects.get(key=f"page:{page.pk}")
    assert "Keluarga Berencana" in entry.context


def test_apps_are_indexed_and_removed(portal):
    from satupintu.appcatalog.models import App

    app = App.objects.create(
        name="Sistem Antrean Puskesmas",
        slug="antrean-puskesmas",
        owner=portal.a,
        audience=App.Audience.CITIZENS,
        url="https://antrean.example.go.id/",
    )
    found = search("antrean").hits
    assert [h.entry.key for h in found] == [f"app:{app.pk}"]
    assert found[0].entry.url == "/aplikasi/antrean-puskesmas/"
    app.delete()
    assert not search("antrean").hits


def test_only_verified_public_datasets_are_indexed_with_their_table_values(portal):
    from satupintu.datacatalog import workflow
    from satupintu.datacatalog.testing import make_dataset

    draft = make_dataset(
        portal.a, portal.operator_a, name="draf-stunting", title="Prevalensi stunting"
    )
    assert not search("stunting").hits
    published = make_dataset(
        portal.a,
        portal.operator_a,
        portal.verifier_a,
        portal.kominfo,
        name="kunjungan-posbindu",
        title="Kunjungan posbindu per kecamatan",
    )
    hits = search("posbindu").hits
    assert [h.entry.key for h in hits] == [f"dataset:{published.pk}"]
    # A kecamatan named only in the table's rows finds the dataset.
    assert search("bluluk").hits[0].entry.key == f"dataset:{published.pk}"
    workflow.withdraw(portal.kominfo, published, "Data diperbaiki.")
    assert not search("posbindu").hits
    assert draft.pk  # still there, never indexed


def test_private_dataset_is_never_indexed(portal):
    from satupintu.datacatalog.testing import make_dataset

    make_dataset(
        portal.a,
        portal.operator_a,
        portal.verifier_a,
        portal.kominfo,
        name="data-terbatas",
        title="Rekap rujukan terbatas",
        private=True,
    )
    assert not search("rujukan").hits


def test_rebuild_restores_everything_and_drops_what_is_gone(portal):
    from satupintu.search import sources

    page = add_news(portal.a, "Festival budaya pesisir")
    index.put(index.Doc(key="page:999999", kind="berita", title="Sisa lama", url="/x/"))
    Entry.objects.filter(key=f"page:{page.pk}").delete()
    counts = sources.rebuild()
    assert f"page:{page.pk}" in keys()
    assert "page:999999" not in keys()
    assert counts["pages"] >= 3  # the two OPD home pages and the news
    assert search("pesisir").hits


def test_control_characters_cannot_forge_snippet_marks(portal):
    index.put(
        index.Doc(
            key="app:1",
            kind="aplikasi",
            title="Aplikasi uji",
            url="/aplikasi/uji/",
            summary="teks \x02<script>alert(1)</script>\x03 aplikasi",
        )
    )
    hit = search("aplikasi uji").hits[0]
    # PostgreSQL's headline drops the tag, the SQLite snippet escapes it: either way the only
    # markup in a snippet is ours.
    assert set(re.findall(r"<[^>]*>", hit.snippet)) == {"<mark>", "</mark>"}
