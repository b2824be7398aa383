from django import template
from django.utils.translation import gettext as _

register = template.Library()

CODES = {
    "belum": "B",
    "draf": "D",
    "dikirim": "K",
    "dikembalikan": "P",
    "disetujui": "S",
    "terlambat": "T",
}


@register.simple_tag
def percent(value):
    return "—" if value is None else f"{round(value * 100)}%"


@register.simple_tag
def status_code(status):
    """One letter per status in the matrix (the legend under it explains them)."""
    return CODES.get(status, "?")


@register.simple_tag
def status_name(status):
    from ..obligations import STATE_LABELS

    return _(str(STATE_LABELS.get(status, status)))
