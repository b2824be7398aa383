"""Reading an action's data dict as CKAN does: numbers and booleans may arrive as strings
(query strings carry nothing else), lists as repeated keys or as JSON text."""

import json

from django.utils.translation import gettext as _

from .errors import ValidationError


def as_int(data: dict, key: str, default: int, *, minimum: int = 0) -> int:
    value = data.get(key)
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        number = None
    if isinstance(value, bool) or number is None or number < minimum:
        raise ValidationError(
            {key: [_("Harus bilangan bulat %(min)s atau lebih.") % {"min": minimum}]}
        )
    return number


def as_bool(data: dict, key: str, default: bool) -> bool:
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValidationError({key: [_("Harus true atau false.")]})


def as_list(value) -> list:
    """A list from a list, a JSON list text or one plain value."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out += as_list(item) if isinstance(item, str) and item.startswith("[") else [item]
        return out
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        if isinstance(parsed, list):
            return parsed
    return [value]


def as_dict(data: dict, key: str) -> dict:
    value = data.get(key)
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict):
        raise ValidationError({key: [_('Harus objek JSON, misalnya {"kolom": "nilai"}.')]})
    return value
