"""Validators for text that people type into the admin."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|&#?[a-zA-Z0-9]+;")


def reject_markup(value: str) -> None:
    """Refuse HTML in plain-text fields such as titles.

    Django escapes it on output anyway; refusing it tells the operator at once that a pasted
    title carries code, instead of publishing a headline full of visible tags.
    """
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Teks ini tidak boleh berisi kode HTML (misalnya <b> atau <script>)."),
            code="markup",
        )


_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2.x contrast ratio between two #rrggbb colours."""
    la, lb = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def validate_colour_on_white_text(value: str) -> None:
    """A theme colour carries white text in the header and buttons, so it must reach 4.5:1."""
    if not _HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Tulis warna sebagai #rrggbb, misalnya #0b5394."), code="format")
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < 4.5:
        raise ValidationError(
            _(
                "Kontras warna ini dengan teks putih hanya %(ratio).1f:1; WCAG AA meminta "
                "minimal 4,5:1. Pilih warna yang lebih gelap."
            ),
            params={"ratio": ratio},
            code="contrast",
        )
