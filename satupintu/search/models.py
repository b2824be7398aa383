"""One index for everything the public can find, and what Kominfo tunes and learns from it.

`Entry` is a denormalised copy of each public thing (page, dataset, app): one table, one
query, one ranking across kinds, instead of asking each model's index and merging. Only
the indexer writes it, and only with what is public; the search never reads the source
models, so a draft or a restricted page cannot reach a result or its snippet.

The text-search columns are not Django fields: on PostgreSQL they are generated columns
(`document`, `title_vector`, `suggest_vector`) kept by the database itself; on SQLite a
separate FTS5 table holds the stemmed text (see migrations/0001 and engines/).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import language


class Kind(models.TextChoices):
    LAYANAN = "layanan", _("Layanan")
    BERITA = "berita", _("Berita")
    PENGUMUMAN = "pengumuman", _("Pengumuman")
    DOKUMEN = "dokumen", _("Dokumen PPID")
    AGENDA = "agenda", _("Agenda")
    DATASET = "dataset", _("Dataset")
    APLIKASI = "aplikasi", _("Aplikasi")
    OPD = "opd", _("Perangkat daerah")
    HALAMAN = "halaman", _("Halaman")


class Entry(models.Model):
    key = models.CharField(max_length=80, unique=True)  # "page:12", "dataset:<uuid>", "app:3"
    kind = models.CharField(max_length=12, choices=Kind.choices)
    opd = models.ForeignKey(
        "opd.OPD", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Words that should count like the title but are not shown: tags, acronyms, old names.
    keywords = models.TextField(blank=True)
    # Words that help a little: the OPD's name, the kind's name ("berita dinkes").
    context = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    published_at = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    boost = models.FloatField(default=1.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entri pencarian")
        verbose_name_plural = _("entri pencarian")
        # Its indexes are in migrations/0002: PostgreSQL needs NULLS LAST spelled out,
        # which SQLite's CREATE INDEX refuses (and does by itself).

    def __str__(self):
        return self.title


class Term(models.Model):
    """Words people may mean, for "did you mean": those of titles and summaries, and synonyms.

    Counted up as entries are indexed and recounted by `rebuild-search-index`; a word that
    left the site may linger with its old count until then, which only costs a suggestion
    that finds nothing, and the suggestion is checked before it is shown."""

    word = models.CharField(max_length=60, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kosakata")
        verbose_name_plural = _("kosakata")

    def __str__(self):
        return self.word


class SynonymGroup(models.Model):
    """Words and abbreviations that mean the same to the people searching.

    One group per line of meaning ("ktp, kartu tanda penduduk, e-ktp"). Applied when a query
    is read, so an edit works at once and needs no reindex."""

    terms = models.TextField(
        _("istilah"),
        help_text=_(
            "Pisahkan dengan koma, misalnya: ktp, kartu tanda penduduk, e-ktp. "
            "Mencari salah satunya menemukan semuanya."
        ),
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("sinonim")
        verbose_name_plural = _("sinonim")

    def __str__(self):
        return self.terms

    def phrases(self) -> list[tuple[str, ...]]:
        seen = []
        for part in self.terms.split(","):
            phrase = tuple(language.words(part))
            if phrase and phrase not in seen:
                seen.append(phrase)
        return seen

    def clean(self):
        if len(self.phrases()) < 2:
            raise ValidationError(
                {"terms": _("Tulis paling sedikit dua istilah yang dipisahkan koma.")}
            )


class BestBet(models.Model):
    """A result Kominfo pins on top for the queries people type when looking for it."""

    queries = models.TextField(
        _("kata kunci"),
        help_text=_(
            "Satu kata kunci per baris, persis seperti diketik warga, misalnya: ktp hilang"
        ),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="+", verbose_name=_("hasil yang disematkan")
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queries"]
        verbose_name = _("hasil unggulan")
        verbose_name_plural = _("hasil unggulan")

    def __str__(self):
        return f"{self.queries.splitlines()[0] if self.queries else ''} → {self.entry_id}"

    def normalized_queries(self) -> list[str]:
        return [q for q in (language.normalize(line) for line in self.queries.splitlines()) if q]


class QueryDay(models.Model):
    """How often a query was searched on a day, found nothing, and led to a click.

    Aggregated on purpose: no user, session, address or time of day is kept, so the table
    says what the public looks for and never who looked."""

    day = models.DateField()
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_queryday_unique")
        ]
        indexes = [models.Index(fields=["query", "day"])]

    def __str__(self):
        return f"{self.day} {self.query}"


class DocumentText(models.Model):
    """The text inside an uploaded document, extracted once per file content.

    Keyed by Wagtail's own file hash: replacing the file makes the old text stale, and the
    next index write asks for a new extraction (documents.py)."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+"
    )
    file_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20)
    detail = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.document_id}: {self.status}"
