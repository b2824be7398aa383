"""Kominfo's form for a client's rules: which data it may ask for, and on what basis."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STANDARD_SCOPES, ClientPolicy

SCOPE_LABELS = {
    "openid": _("openid: pengenal akun (wajib)"),
    "profile": _("profile: nama"),
    "email": _("email: alamat surel terkonfirmasi"),
    "phone": _("phone: nomor ponsel terkonfirmasi"),
    "domicile": _("domicile: kode wilayah domisili"),
    "identity": _("identity: tingkat keyakinan identitas"),
}


class ClientPolicyForm(forms.ModelForm):
    allowed_scopes = forms.MultipleChoiceField(
        label=_("Data yang boleh diminta"),
        choices=[(scope, SCOPE_LABELS[scope]) for scope in STANDARD_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("NIK diatur terpisah di bawah, dengan dasar hukumnya."),
    )

    backchannel_logout_uri = forms.URLField(
        label=_("URI back-channel logout"),
        required=False,
        assume_scheme="https",
        help_text=_("Alamat aplikasi yang menerima pemberitahuan keluar (https)."),
    )

    class Meta:
        model = ClientPolicy
        fields = [
            "application",
            "opd_name",
            "purpose",
            "allowed_scopes",
            "sector",
            "require_two_step",
            "backchannel_logout_uri",
            "trusted",
            "legal_basis",
            "nik_allowed",
            "nik_legal_basis",
        ]

    def clean_allowed_scopes(self):
        return sorted({"openid", *self.cleaned_data["allowed_scopes"]})
