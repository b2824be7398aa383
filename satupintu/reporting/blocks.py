"""The form of a report type, as Kominfo builds it in the admin: a StreamField of field blocks.

Kominfo adds, orders and labels fields without code. Every saved change becomes a new
`FormVersion` holding the normalised schema (`schema.normalise`), and each submission keeps
the version it was filled in with, so editing the form never rewrites past reports.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

KEY_HELP = _(
    "Nama kolom untuk ekspor dan rekap (huruf kecil, angka, garis bawah). Kosongkan untuk "
    "dibuat dari label. Jangan diubah setelah laporan masuk: rekap antarperiode memakai nama ini."
)
key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$", _("Gunakan huruf kecil, angka dan garis bawah, diawali huruf.")
)


class FieldBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label isian"), max_length=200)
    key = blocks.CharBlock(
        label=_("Nama kolom"),
        required=False,
        max_length=40,
        validators=[key_validator],
        help_text=KEY_HELP,
    )
    required = blocks.BooleanBlock(label=_("Wajib diisi"), required=False, default=True)
    help_text = blocks.CharBlock(label=_("Petunjuk"), required=False, max_length=300)


class TextBlock(FieldBlock):
    class Meta:
        label = _("Teks pendek")
        icon = "pilcrow"


class LongTextBlock(FieldBlock):
    class Meta:
        label = _("Teks panjang")
        icon = "doc-full"


class NumberBlock(FieldBlock):
    unit = blocks.CharBlock(label=_("Satuan"), required=False, max_length=40)
    decimals = blocks.IntegerBlock(label=_("Angka desimal"), default=0, min_value=0, max_value=4)
    min_value = blocks.DecimalBlock(label=_("Nilai terkecil"), required=False)
    max_value = blocks.DecimalBlock(label=_("Nilai terbesar"), required=False)

    class Meta:
        label = _("Angka dengan satuan")
        icon = "plus"


class MoneyBlock(FieldBlock):
    class Meta:
        label = _("Uang (Rupiah)")
        icon = "tag"


class DateBlock(FieldBlock):
    within_period = blocks.BooleanBlock(
        label=_("Harus di dalam periode laporan"), required=False, default=True
    )

    class Meta:
        label = _("Tanggal")
        icon = "date"


class ChoiceBlock(FieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("Pilihan"), min_num=2)
    multiple = blocks.BooleanBlock(label=_("Boleh lebih dari satu"), required=False)

    class Meta:
        label = _("Pilihan")
        icon = "list-ul"


class YesNoBlock(FieldBlock):
    class Meta:
        label = _("Ya/tidak")
        icon = "tick"


class FileBlock(FieldBlock):
    class Meta:
        label = _("Lampiran berkas")
        icon = "doc-empty"


class RegionBlock(FieldBlock):
    level = blocks.ChoiceBlock(
        choices=[("district", _("Kecamatan")), ("village", _("Desa/kelurahan"))],
        default="district",
        label=_("Tingkat wilayah"),
    )

    class Meta:
        label = _("Wilayah (kecamatan/desa)")
        icon = "site"


COLUMN_BLOCKS = [
    ("text", TextBlock()),
    ("number", NumberBlock()),
    ("money", MoneyBlock()),
    ("date", DateBlock()),
    ("choice", ChoiceBlock()),
    ("yesno", YesNoBlock()),
    ("region", RegionBlock()),
]


class TableBlock(FieldBlock):
    columns = blocks.StreamBlock(COLUMN_BLOCKS, label=_("Kolom"), min_num=1, max_num=15)
    max_rows = blocks.IntegerBlock(
        label=_("Baris terbanyak"), default=50, min_value=1, max_value=500
    )

    class Meta:
        label = _("Tabel (baris berulang)")
        icon = "table"


FIELD_BLOCKS = [
    ("text", TextBlock()),
    ("long_text", LongTextBlock()),
    ("number", NumberBlock()),
    ("money", MoneyBlock()),
    ("date", DateBlock()),
    ("choice", ChoiceBlock()),
    ("yesno", YesNoBlock()),
    ("file", FileBlock()),
    ("region", RegionBlock()),
    ("table", TableBlock()),
]
