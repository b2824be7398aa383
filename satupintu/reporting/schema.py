"""The normalised form schema kept in each `FormVersion`, and its checks.

A schema is a list of plain dicts (JSON), independent of Wagtail's block classes, so a
submission can always be shown and exported with the version it was filled in with:

    {"key": "jumlah_ktp", "label": "KTP-el diterbitkan", "type": "number", "required": true,
     "help": "", "unit": "keping", "decimals": 0, "min": "0", "max": null}

Types: text, long_text, number, money, date, choice, yesno, file, region, table (with
"columns", a list of the same dicts minus file/table/long_text).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

NUMERIC = {"number", "money"}


def key_from_label(label: str) -> str:
    key = slugify(label).replace("-", "_")[:40].strip("_")
    if not key or not key[0].isalpha():
        key = f"isian_{key}".strip("_")[:40]
    return key


def _field(block_type: str, value) -> dict:
    field = {
        "key": (value.get("key") or "").strip() or key_from_label(value["label"]),
        "label": value["label"].strip(),
        "type": block_type,
        "required": bool(value.get("required")),
        "help": (value.get("help_text") or "").strip(),
    }
    if block_type == "number":
        field["unit"] = (value.get("unit") or "").strip()
        field["decimals"] = int(value.get("decimals") or 0)
        field["min"] = None if value.get("min_value") is None else str(value["min_value"])
        field["max"] = None if value.get("max_value") is None else str(value["max_value"])
    elif block_type == "money":
        field["unit"] = "Rp"
    elif block_type == "date":
        field["within_period"] = bool(value.get("within_period"))
    elif block_type == "choice":
        field["choices"] = [c.strip() for c in value.get("choices") or [] if c and c.strip()]
        field["multiple"] = bool(value.get("multiple"))
    elif block_type == "region":
        field["level"] = value.get("level") or "district"
    elif block_type == "table":
        field["max_rows"] = int(value.get("max_rows") or 50)
        field["columns"] = [_field(col.block_type, col.value) for col in value["columns"]]
    return field


def normalise(stream_value) -> list[dict]:
    """The schema of a StreamField value (`ReportType.fields`)."""
    return [_field(child.block_type, child.value) for child in stream_value]


def check(schema: list[dict]):
    """Refuse what would make submissions ambiguous: duplicate keys, a choice with fewer than
    two options, min above max. Messages name the field by its label."""
    errors = []
    _check_level(schema, errors, where="")
    if not schema:
        errors.append(_("Formulir belum punya isian."))
    if errors:
        raise ValidationError(errors)


def _check_level(fields, errors, where):
    seen = {}
    for field in fields:
        label = f"{where}{field['label']}"
        if field["key"] in seen:
            errors.append(
                _("Nama kolom “%(key)s” dipakai dua kali (%(a)s dan %(b)s).")
                % {"key": field["key"], "a": seen[field["key"]], "b": label}
            )
        seen[field["key"]] = label
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", field["key"]):
            errors.append(_("Nama kolom “%(key)s” tidak sah.") % {"key": field["key"]})
        if field["type"] == "choice" and len(field.get("choices", [])) < 2:
            errors.append(
                _("Isian “%(label)s” perlu paling sedikit dua pilihan.") % {"label": label}
            )
        if (
            field["type"] == "number"
            and field.get("min") is not None
            and field.get("max") is not None
        ):
            from decimal import Decimal

            if Decimal(field["min"]) > Decimal(field["max"]):
                errors.append(
                    _("Isian “%(label)s”: nilai terkecil melebihi nilai terbesar.")
                    % {"label": label}
                )
        if field["type"] == "table":
            _check_level(field.get("columns", []), errors, where=f"{label} › ")


def numeric_fields(schema: list[dict]) -> list[dict]:
    """Fields that can be summed across OPDs and periods: top-level numbers and money, and
    numeric columns of tables (addressed as `table_key.column_key`)."""
    result = []
    for field in schema:
        if field["type"] in NUMERIC:
            result.append({**field, "path": field["key"]})
        elif field["type"] == "table":
            for column in field.get("columns", []):
                if column["type"] in NUMERIC:
                    result.append(
                        {
                            **column,
                            "path": f"{field['key']}.{column['key']}",
                            "label": f"{field['label']} › {column['label']}",
                            "table": field["key"],
                        }
                    )
    return result
