from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.opd.models import OPD


class ImportForm(forms.Form):
    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah tujuan"),
        queryset=OPD.objects.filter(home_page__isnull=False, workflow__isnull=False),
    )
    export = forms.FileField(
        label=_("Berkas ekspor WordPress (.xml)"),
        help_text=_("Dari WordPress: Alat → Ekspor → Semua konten."),
    )
    publish = forms.BooleanField(
        label=_("Langsung terbitkan"),
        required=False,
        help_text=_("Jika tidak dicentang, setiap halaman menunggu persetujuan verifikator OPD."),
    )
