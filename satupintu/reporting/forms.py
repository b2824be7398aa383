"""The form an operator fills in, built from a `FormVersion` schema.

Numbers are read the Indonesian way first ("1.250.000", "12,5") and the English way when
unambiguous ("12.5"); money is whole Rupiah. Dates may be required to fall in the reported
period. Files are size-limited and sniffed (satupintu.media.checks). Tables are repeated
rows without JavaScript: "Tambah baris" and "Hapus" are submit buttons that re-render the
form with what was typed, so nothing is lost.

Stored values (Submission.data) are JSON: numbers as decimal strings, dates as ISO strings,
yes/no as booleans, choices as strings (lists when multiple), a region as its Kemendagri code,
a file as {"attachment": id, "name": ...}, a table as a list of row dicts.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.media.checks import check_document, check_size

from . import schema as schema_rules

MAX_DIGITS = 18
YES, NO = "ya", "tidak"

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_number(text: str) -> Decimal:
    """ "1.250.000" → 1250000, "12,5" → 12.5, "1.234,56" → 1234.56, "12.5" → 12.5."""
    cleaned = re.sub(r"[\s\u00a0]|^Rp\.?", "", str(text).strip(), flags=re.IGNORECASE)
    if not cleaned:
        raise ValueError("empty")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,56
        else:
            cleaned = cleaned.replace(",", "")  # 1,234.56
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise ValueError(text)
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error


class NumberField(forms.CharField):
    def __init__(self, *, decimals=0, min_value=None, max_value=None, unit="", **kwargs):
        self.decimals = decimals
        self.min_value = None if min_value is None else Decimal(str(min_value))
        self.max_value = None if max_value is None else Decimal(str(max_value))
        self.unit = unit
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except ValueError as error:
            raise ValidationError(
                _("“%(value)s” bukan angka. Tulis misalnya 1.250 atau 12,5.") % {"value": value},
                code="invalid",
            ) from error
        if abs(number.as_tuple().exponent) > self.decimals and number != number.quantize(
            Decimal(1).scaleb(-self.decimals)
        ):
            if self.decimals == 0:
                raise ValidationError(_("Isi bilangan bulat, tanpa koma."), code="decimals")
            raise ValidationError(
                _("Paling banyak %(n)s angka di belakang koma.") % {"n": self.decimals},
                code="decimals",
            )
        if len(number.as_tuple().digits) > MAX_DIGITS:
            raise ValidationError(_("Angka terlalu besar."), code="max_digits")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Paling kecil %(min)s.") % {"min": number_format(self.min_value)}, code="min"
            )
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(
                _("Paling besar %(max)s.") % {"max": number_format(self.max_value)}, code="max"
            )
        return number


class ReportFileField(forms.FileField):
    def validate(self, value):
        super().validate(value)
        if value and hasattr(value, "size"):
            check_size(value, settings.SATUPINTU_MAX_REPORT_FILE_BYTES)
            check_document(value)


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def region_choices(level: str):
    from satupintu.regency.models import Region

    if level == "village":
        groups = {}
        for code, name, parent in Region.objects.filter(level="village").values_list(
            "kemendagri_code", "name", "parent__name"
        ):
            groups.setdefault(parent or "", []).append((code, name))
        return [("", "—")] + [
            (parent, sorted(rows, key=lambda r: r[1])) for parent, rows in sorted(groups.items())
        ]
    return [("", "—")] + list(
        Region.objects.filter(level="district")
        .order_by("name")
        .values_list("kemendagri_code", "name")
    )


def make_field(spec: dict, period=None, *, for_submit: bool, existing=None):
    """A Django form field for one schema entry (a top-level field or a table column)."""
    required = bool(spec.get("required")) and for_submit
    common = {"label": spec["label"], "required": required, "help_text": spec.get("help", "")}
    kind = spec["type"]
    if kind == "text":
        return forms.CharField(max_length=500, **common)
    if kind == "long_text":
        return forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 6}), **common)
    if kind == "number":
        return NumberField(
            decimals=spec.get("decimals", 0),
            min_value=spec.get("min"),
            max_value=spec.get("max"),
            unit=spec.get("unit", ""),
            **common,
        )
    if kind == "money":
        return NumberField(decimals=0, min_value=0, unit="Rp", **common)
    if kind == "date":
        field = forms.DateField(
            input_formats=DATE_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **common,
        )
        if spec.get("within_period") and period is not None:
            field.validators.append(_within(period))
        return field
    if kind == "choice":
        choices = [(c, c) for c in spec.get("choices", [])]
        if spec.get("multiple"):
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=[("", "—")] + choices, **common)
    if kind == "yesno":
        return forms.ChoiceField(
            choices=[(YES, gettext_lazy("Ya")), (NO, gettext_lazy("Tidak"))],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == "region":
        return forms.ChoiceField(choices=region_choices(spec.get("level", "district")), **common)
    if kind == "file":
        field = ReportFileField(**{**common, "required": required and not existing})
        return field
    raise ValueError(f"unknown field type {kind}")


def _within(period):
    def check(value):
        if value and not (period.start <= value <= period.end):
            raise ValidationError(
                _("Tanggal harus di dalam periode laporan (%(start)s – %(end)s).")
                % {"start": f"{period.start:%d-%m-%Y}", "end": f"{period.end:%d-%m-%Y}"},
                code="outside_period",
            )

    return check


def to_json(spec, value):
    """A cleaned form value as it is stored."""
    kind = spec["type"]
    if value in (None, "", []):
        return None
    if kind in ("number", "money"):
        if value == value.to_integral():
            return str(value.to_integral())
        return format(value.normalize(), "f")
    if kind == "date":
        return value.isoformat()
    if kind == "yesno":
        return value == YES
    return value


def to_initial(spec, value):
    """A stored value as the form shows it again."""
    if value is None:
        return None
    kind = spec["type"]
    if kind in ("number", "money"):
        number = Decimal(str(value))
        decimals = spec.get("decimals", 0) if kind == "number" else 0
        return number_format(
            number, decimal_pos=decimals if decimals else None, use_l10n=True, force_grouping=True
        )
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind == "yesno":
        return YES if value else NO
    return value


class TableRows:
    """One repeating table of a report form: its rows as small forms, parsed from POST."""

    def __init__(self, spec, prefix, period, for_submit, data=None, initial=None):
        self.spec = spec
        self.prefix = prefix
        self.columns = spec.get("columns", [])
        self.max_rows = spec.get("max_rows", 50)
        rows = initial or []
        if data is not None:
            try:
                count = int(data.get(f"{prefix}-rows", 0))
            except ValueError:
                count = 0
            count = max(0, min(count, self.max_rows))
            removed = data.get("_remove_row", "")
            self.forms = []
            for index in range(count):
                if removed == f"{prefix}:{index}":
                    continue
                self.forms.append(self._row_form(index, period, for_submit, data=data))
            self.removed = bool(removed.startswith(f"{prefix}:"))
            self.added = data.get("_add_row") == prefix
            if self.added and len(self.forms) < self.max_rows:
                self.forms.append(self._row_form(count, period, for_submit))
        else:
            self.forms = [
                self._row_form(i, period, for_submit, initial=row) for i, row in enumerate(rows)
            ]
            self.removed = self.added = False
            if not self.forms:
                self.forms.append(self._row_form(0, period, for_submit))
        self.period = period

    def _row_form(self, index, period, for_submit, data=None, initial=None):
        form = forms.Form(
            data=data,
            prefix=f"{self.prefix}-{index}",
            initial={c["key"]: to_initial(c, (initial or {}).get(c["key"])) for c in self.columns},
        )
        for column in self.columns:
            form.fields[column["key"]] = make_field(column, period, for_submit=False)
            form.fields[column["key"]].required = False
        form.index = index
        form.required_keys = (
            [c["key"] for c in self.columns if c.get("required")] if for_submit else []
        )
        return form

    def is_blank(self, form) -> bool:
        return not any(
            str(form.data.get(form.add_prefix(c["key"]), "")).strip() for c in self.columns
        )

    def clean(self) -> tuple[list[dict], list[str]]:
        rows, errors = [], []
        for number, form in enumerate(self.forms, start=1):
            if form.is_bound and self.is_blank(form):
                continue
            if not form.is_valid():
                errors.append(_("Baris %(n)s: periksa isian yang ditandai.") % {"n": number})
                continue
            missing = [k for k in form.required_keys if form.cleaned_data.get(k) in (None, "", [])]
            for key in missing:
                form.add_error(key, _("Wajib diisi."))
            if missing:
                errors.append(_("Baris %(n)s: ada isian wajib yang kosong.") % {"n": number})
                continue
            rows.append(
                {c["key"]: to_json(c, form.cleaned_data.get(c["key"])) for c in self.columns}
            )
        if len(rows) > self.max_rows:
            errors.append(_("Paling banyak %(n)s baris.") % {"n": self.max_rows})
        return rows, errors

    @property
    def row_count(self):
        return max((f.index for f in self.forms), default=-1) + 1


class ReportForm(forms.Form):
    """The whole report: simple fields as form fields, tables as `TableRows`."""

    def __init__(
        self, version, period, *args, for_submit=False, stored=None, attachments=None, **kwargs
    ):
        self.version = version
        self.period = period
        self.for_submit = for_submit
        self.stored = stored or {}
        self.attachments = attachments or {}
        super().__init__(*args, **kwargs)
        self.tables = {}
        for spec in version.schema:
            key = spec["key"]
            if spec["type"] == "table":
                self.tables[key] = TableRows(
                    spec,
                    prefix=f"t_{key}",
                    period=period,
                    for_submit=for_submit,
                    data=self.data if self.is_bound else None,
                    initial=self.stored.get(key),
                )
                continue
            self.fields[key] = make_field(
                spec, period, for_submit=for_submit, existing=self.attachments.get(key)
            )
            if not self.is_bound:
                self.initial[key] = to_initial(spec, self.stored.get(key))

    @property
    def row_action(self) -> bool:
        """The operator pressed "Tambah baris" or "Hapus": re-render, do not save."""
        return any(t.added or t.removed for t in self.tables.values())

    def clean(self):
        cleaned = super().clean()
        self.table_values = {}
        for key, table in self.tables.items():
            rows, errors = table.clean()
            for error in errors:
                self.add_error(None, f"{table.spec['label']}: {error}")
            if self.for_submit and table.spec.get("required") and not rows and not errors:
                self.add_error(
                    None,
                    _("%(label)s: isi paling sedikit satu baris.") % {"label": table.spec["label"]},
                )
            self.table_values[key] = rows
        return cleaned

    def values(self) -> dict:
        """The stored data for this form (files are added by the view, which saves them)."""
        data = {}
        for spec in self.version.schema:
            key = spec["key"]
            if spec["type"] == "table":
                data[key] = self.table_values.get(key, [])
            elif spec["type"] == "file":
                data[key] = self.stored.get(key)
            else:
                data[key] = to_json(spec, self.cleaned_data.get(key))
        return data

    def fields_in_order(self):
        """(spec, bound field, TableRows, stored attachment) in the schema's order, for the
        template; the field or the table is None."""
        for spec in self.version.schema:
            if spec["type"] == "table":
                yield spec, None, self.tables[spec["key"]], None
            else:
                yield spec, self[spec["key"]], None, self.attachments.get(spec["key"])


def display_value(spec, value):
    """A stored value as text for the read-only view and exports."""
    if value in (None, "", []):
        return ""
    kind = spec["type"]
    if kind in ("number", "money"):
        text = number_format(Decimal(str(value)), force_grouping=True, use_l10n=True)
        return f"Rp {text}" if kind == "money" else f"{text} {spec.get('unit', '')}".strip()
    if kind == "date":
        return f"{datetime.date.fromisoformat(value):%d-%m-%Y}"
    if kind == "yesno":
        return _("Ya") if value else _("Tidak")
    if kind == "choice" and isinstance(value, list):
        return ", ".join(value)
    if kind == "region":
        from satupintu.regency.models import Region

        region = Region.objects.filter(kemendagri_code=value).first()
        return f"{region.name} ({value})" if region else value
    if kind == "file":
        return value.get("name", "") if isinstance(value, dict) else ""
    return str(value)


__all__ = ["ReportForm", "parse_number", "display_value", "schema_rules"]
