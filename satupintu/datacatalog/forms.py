"""The forms of Satu Data's admin: a dataset's metadata, a new resource or version, column
types before loading, and an API token's name.

A draft may be saved incomplete (what is still missing is listed on the dataset's page by
`workflow.problems`); what is filled in must still be well-formed, because the Walidata
publishes it to central CKAN portals as is: tags follow CKAN's rule, the short name its
URL rule, and the regions are the regency's own.
"""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.validators import reject_markup
from satupintu.regency.models import RegencySettings, Region

from . import datastore, workflow
from .models import Dataset, Resource, Topic

# CKAN's tag rule (ckan/logic/validators.py: tag_length_validator, tag_name_validator).
TAG_RE = re.compile(r"^[\w \-.]{2,100}$", re.UNICODE)
MAX_TAGS = 50
FORMAT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,19}$")

TYPE_LABELS = {
    datastore.TEXT: gettext_lazy("Teks"),
    datastore.INTEGER: gettext_lazy("Bilangan bulat"),
    datastore.NUMERIC: gettext_lazy("Bilangan desimal"),
    datastore.DATE: gettext_lazy("Tanggal (TTTT-BB-HH)"),
    datastore.TIMESTAMP: gettext_lazy("Tanggal dan jam"),
}


def parse_tags(text: str) -> list[str]:
    """Comma-separated keywords, trimmed, duplicates dropped (case-insensitively), order
    kept. Raises ValidationError naming every tag CKAN would refuse."""
    tags, seen, bad = [], set(), []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split())
        if not tag:
            continue
        if not TAG_RE.match(tag):
            bad.append(tag)
            continue
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    if bad:
        raise ValidationError(
            _(
                "Kata kunci tidak valid: %(tags)s. Setiap kata kunci 2–100 karakter: huruf, "
                "angka, spasi, tanda hubung (-), garis bawah (_) atau titik."
            )
            % {"tags": ", ".join(f"“{t[:40]}”" for t in bad)},
            code="bad_tag",
        )
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            _("Paling banyak %(n)s kata kunci.") % {"n": MAX_TAGS}, code="too_many_tags"
        )
    return tags


def unique_name(title: str, exclude_pk=None) -> str:
    """A short name derived from the title, unique among datasets."""
    base = slugify(title).strip("-_")[:90].strip("-_")
    if len(base) < 2:
        base = f"dataset-{uuid.uuid4().hex[:8]}"
    name, n = base, 2
    others = Dataset.objects.exclude(pk=exclude_pk) if exclude_pk else Dataset.objects.all()
    while others.filter(name=name).exists():
        name = f"{base}-{n}"
        n += 1
    return name


def region_choices():
    """The regency itself and its kecamatan: the levels a regency dataset covers."""
    code = RegencySettings.load().kemendagri_code
    regions = Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT])
    if code:
        regions = regions.filter(
            Q(level=Region.Level.REGENCY, kemendagri_code=code)
            | Q(level=Region.Level.DISTRICT, parent__kemendagri_code=code)
        )
    return regions.order_by("kemendagri_code")


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class RegionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kemendagri_code})"


class DatasetForm(forms.ModelForm):
    """The metadata of one dataset. `opds` are the OPDs the user produces data for (the
    owner is chosen only on creation, and only among them)."""

    tags_text = forms.CharField(
        label=gettext_lazy("Kata kunci"),
        required=False,
        help_text=gettext_lazy(
            "Pisahkan dengan koma, misalnya: kesehatan, balita, gizi. Setiap kata kunci 2–100 "
            "karakter: huruf, angka, spasi, -, _ atau titik."
        ),
        widget=forms.TextInput(attrs={"size": 60}),
    )

    class Meta:
        model = Dataset
        formfield_callback = _formfield
        fields = [
            "title",
            "name",
            "notes",
            "concept",
            "definition",
            "classification",
            "measure",
            "unit",
            "frequency",
            "temporal_start",
            "temporal_end",
            "regions",
            "source",
            "source_url",
            "contact_name",
            "contact_email",
            "license_id",
            "topics",
            "priority",
            "private",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "concept": forms.Textarea(attrs={"rows": 3}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "temporal_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, opds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Bagian alamat: /data/<nama>/. Kosongkan untuk dibuat dari judul. Huruf kecil a–z, "
            "angka, - atau _. Tidak dapat diubah setelah terbit."
        )
        self.fields["regions"] = RegionField(
            queryset=region_choices(),
            required=False,
            label=_("Cakupan wilayah"),
            help_text=_("Kabupaten seluruhnya, atau kecamatan tertentu."),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["topics"].queryset = Topic.objects.order_by("title")
        self.fields["topics"].required = False
        if not self.instance._state.adding:
            self.fields["tags_text"].initial = ", ".join(self.instance.tags or [])
            if self.instance.published_at is not None:
                name = self.fields["name"]
                name.disabled = True
                name.help_text = _("Dataset sudah pernah terbit: nama singkat tidak berubah.")
        self.opd_choices = None
        if self.instance._state.adding:
            opds = list(opds or [])
            self.opd_choices = {str(o.pk): o for o in opds}
            self.fields["opd"] = forms.ChoiceField(
                label=_("Produsen data (OPD)"),
                choices=[(str(o.pk), o.name) for o in opds],
                initial=str(opds[0].pk) if opds else None,
            )
            if len(opds) == 1:
                self.fields["opd"].widget = forms.HiddenInput()
            self.order_fields(["opd"])

    SECTIONS = [
        (gettext_lazy("Identitas"), ["opd", "title", "name", "notes"]),
        (
            gettext_lazy("Standar data"),
            ["concept", "definition", "classification", "measure", "unit"],
        ),
        (
            gettext_lazy("Cakupan"),
            ["frequency", "temporal_start", "temporal_end", "regions"],
        ),
        (
            gettext_lazy("Sumber dan kontak"),
            ["source", "source_url", "contact_name", "contact_email"],
        ),
        (
            gettext_lazy("Penerbitan"),
            ["license_id", "tags_text", "topics", "priority", "private"],
        ),
    ]

    def sections(self):
        """(heading, visible bound fields) for the template, and the hidden ones apart."""
        return [
            (heading, [self[n] for n in names if n in self.fields and not self[n].is_hidden])
            for heading, names in self.SECTIONS
        ]

    def clean_name(self):
        if self.fields["name"].disabled:
            return self.instance.name
        return (self.cleaned_data.get("name") or "").strip()

    def clean_tags_text(self):
        return parse_tags(self.cleaned_data.get("tags_text", ""))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("title") and not self.has_error("name"):
            cleaned["name"] = unique_name(cleaned["title"], exclude_pk=self.instance.pk)
            self.instance.name = cleaned["name"]
        start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("Cakupan waktu berakhir sebelum dimulai."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if "tags_text" in self.cleaned_data:
            self.instance.tags = self.cleaned_data["tags_text"]

    @property
    def opd(self):
        if self.opd_choices is None:
            return self.instance.opd
        return self.opd_choices.get(self.cleaned_data.get("opd", ""))

    def save(self, commit=True):
        """An existing dataset is updated in the form's columns only: its status, notes and
        timestamps belong to the workflow and may have moved since the form was opened."""
        if not commit or self.instance._state.adding:
            return super().save(commit=commit)
        columns = [
            f
            for f in self._meta.fields
            if f not in ("regions", "topics") and not self.fields[f].disabled
        ]
        self.instance.save(update_fields=[*columns, "tags"])
        self._save_m2m()
        return self.instance


def _clean_link(form, cleaned):
    """A link resource needs an absolute http(s) address and the format found there."""
    url = cleaned.get("url")
    if not url and not form.has_error("url"):
        form.add_error("url", _("Isi tautan lengkap, diawali http:// atau https://."))
    elif url and not url.lower().startswith(("http://", "https://")):
        form.add_error("url", _("Tautan harus diawali http:// atau https://."))
    fmt = (cleaned.get("format") or "").strip()
    if not fmt:
        form.add_error("format", _("Isi format berkas di tautan itu."))
    elif not FORMAT_RE.match(fmt):
        form.add_error("format", _("Format: huruf dan angka saja, misalnya CSV."))
    else:
        cleaned["format"] = fmt.upper()


class ResourceForm(forms.Form):
    """A new resource: an uploaded file (checked before anything is stored) or a link."""

    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Keterangan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"),
        choices=Resource.Kind.choices,
        initial=Resource.Kind.UPLOAD,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas"),
        required=False,
        help_text=gettext_lazy(
            "CSV atau XLSX dimuat ke basis data (pilih tipe kolom setelah mengunggah); PDF, "
            "JSON dan berkas lain disimpan apa adanya."
        ),
    )
    url = forms.URLField(
        label=gettext_lazy("Tautan"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy("Alamat lengkap berkas atau layanan, diawali https://"),
    )
    format = forms.CharField(
        label=gettext_lazy("Format tautan"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Misalnya CSV, XLSX, PDF, JSON, API."),
    )

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        reject_markup(value)
        return value

    def clean_description(self):
        value = self.cleaned_data.get("description", "").strip()
        reject_markup(value)
        return value

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Resource.Kind.UPLOAD:
            uploaded = cleaned.get("file")
            if not uploaded:
                if not self.has_error("file"):
                    self.add_error("file", _("Pilih berkas yang akan diunggah."))
            else:
                try:
                    workflow.check_upload(uploaded)
                except ValidationError as error:
                    self.add_error("file", error)
        elif kind == Resource.Kind.LINK:
            _clean_link(self, cleaned)
        return cleaned


class ResourceEditForm(forms.Form):
    """A resource's name and description; for a link, also its address and format."""

    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(
        label=gettext_lazy("Tautan"), required=False, max_length=1000, assume_scheme="https"
    )
    format = forms.CharField(label=gettext_lazy("Format tautan"), required=False, max_length=20)

    def __init__(self, *args, resource, **kwargs):
        initial = {
            "name": resource.name,
            "description": resource.description,
            "url": resource.url,
            "format": resource.format,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.is_link = resource.kind == Resource.Kind.LINK
        if not self.is_link:
            del self.fields["url"], self.fields["format"]

    clean_name = ResourceForm.clean_name
    clean_description = ResourceForm.clean_description

    def clean(self):
        cleaned = super().clean()
        if self.is_link:
            _clean_link(self, cleaned)
        return cleaned


class VersionForm(forms.Form):
    """A new version of an uploaded resource."""

    file = forms.FileField(label=gettext_lazy("Berkas baru"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        workflow.check_upload(uploaded)
        return uploaded


class ColumnTypesForm(forms.Form):
    """One select per column, named by position (headers may be any text)."""

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(kind, TYPE_LABELS[kind]) for kind in datastore.TYPES]
        self.column_names = [c["id"] for c in columns]
        for index, column in enumerate(columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column["id"],
                choices=choices,
                initial=column.get("type") or datastore.TEXT,
            )

    def types(self) -> list[str]:
        return [self.cleaned_data[f"col_{i}"] for i in range(len(self.column_names))]

    def rows(self):
        return [(name, self[f"col_{i}"]) for i, name in enumerate(self.column_names)]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        help_text=gettext_lazy("Untuk apa token ini, misalnya: Skrip sinkronisasi BPS."),
    )

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        reject_markup(value)
        return value
