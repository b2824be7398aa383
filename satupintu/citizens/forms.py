"""Forms of the citizen pages. Errors are in Indonesian (English through i18n) and never echo a
NIK back into the page except inside its own input, which the browser already holds."""

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.identity import nik as nik_rules

_PHONE = re.compile(r"^\+62\d{8,13}$")


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("08"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    return digits


class NIKField(forms.CharField):
    """Accepts the spacing people type ("3524 0101 …"); cleans to the 16 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text", _("16 angka Nomor Induk Kependudukan, seperti di KTP-el atau KK.")
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "username", "spellcheck": "false"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return nik_rules.parse(value)
        except nik_rules.InvalidNIK as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class BirthDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tanggal lahir"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not datetime.date(1900, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError(_("Tanggal lahir tidak mungkin."), code="birth_date")
        return value


class ContactForm(forms.Form):
    email = forms.EmailField(
        label=_("Surel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        required=False,
        max_length=20,
        help_text=_("Contoh: 0812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Nomor ponsel tidak dikenali. Tulis seperti 0812 3456 7890."), code="phone"
            )
        return phone

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                _("Isi surel atau nomor ponsel: kode konfirmasi dikirim ke sana."), code="contact"
            )
        return data

    def contact(self):
        """The channel a code goes to: e-mail when given, else SMS."""
        if self.cleaned_data.get("email"):
            return "email", self.cleaned_data["email"].strip().lower()
        return "sms", self.cleaned_data["phone"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=12,
        help_text=_("6 angka yang kami kirim. Berlaku 10 menit."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9 ]*"}
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Kode terdiri atas 6 angka."), code="code")
        return code


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Paling sedikit 8 karakter; kalimat panjang yang mudah Anda ingat lebih aman. "
            "Tanpa aturan huruf besar atau simbol."
        ),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self):
        return None

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif one:
            try:
                password_validation.validate_password(one, self.password_user())
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class IdentityForm(NewPasswordMixin):
    nik = NIKField()
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        help_text=_("Seperti tertulis di KTP-el."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = BirthDateField()
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    mother_name = forms.CharField(
        label=_("Nama lengkap ibu kandung"), max_length=150, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data di atas dicocokkan dengan data kependudukan Disdukcapil untuk "
            "membuat akun ini."
        ),
        error_messages={"required": _("Persetujuan diperlukan untuk membuat akun.")},
    )
    confirm_birth_date = forms.BooleanField(
        required=False,
        label=_("Tanggal lahir saya memang berbeda dengan angka di NIK."),
    )
    field_order = [
        "nik",
        "full_name",
        "birth_date",
        "birth_place",
        "mother_name",
        "password1",
        "password2",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extras = set(settings.SATUPINTU_SIGNUP_EXTRA_FIELDS)
        for name in ("birth_place", "mother_name"):
            if name in extras:
                self.fields[name].required = True
            else:
                del self.fields[name]
        self.birth_date_warning = False

    def password_user(self):
        """An unsaved user carrying the typed NIK and birth date, so the password validators
        can refuse a password made of them."""
        from django.contrib.auth import get_user_model

        from .models import Citizen

        nik = self.cleaned_data.get("nik")
        birth = self.cleaned_data.get("birth_date")
        if not (nik and birth):
            return None
        user = get_user_model()(username="new")
        citizen = Citizen(user=user, birth_date=birth)
        citizen.set_nik(nik.digits)
        return user

    def clean(self):
        data = super().clean()
        nik, birth = data.get("nik"), data.get("birth_date")
        if nik and birth:
            today = timezone.localdate()
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            if age < settings.SATUPINTU_MINIMUM_AGE:
                self.add_error(
                    "birth_date",
                    forms.ValidationError(
                        _(
                            "Akun Satu Pintu untuk warga berusia %(age)d tahun ke atas (pemegang "
                            "KTP-el). Layanan untuk anak diurus lewat akun orang tua atau wali."
                        )
                        % {"age": settings.SATUPINTU_MINIMUM_AGE},
                        code="minor",
                    ),
                )
            elif not nik.matches_birth_date(birth) and not data.get("confirm_birth_date"):
                self.birth_date_warning = True
                self.add_error(
                    "birth_date",
                    forms.ValidationError(
                        _(
                            "Tanggal lahir ini berbeda dengan angka tanggal lahir di NIK. "
                            "Itu bisa terjadi bila tanggal lahir pernah dikoreksi. Periksa "
                            "KTP-el Anda, lalu centang pernyataan di bawah bila tanggal ini benar."
                        ),
                        code="birth_date_mismatch",
                    ),
                )
        return data


class SignInForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "username", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResetRequestForm(forms.Form):
    nik = NIKField()


class ResetForm(NewPasswordMixin, CodeForm):
    field_order = ["code", "password1", "password2"]


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChangePasswordForm(NewPasswordMixin):
    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def password_user(self):
        return self.user


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Ketik HAPUS untuk mengonfirmasi"),
        max_length=10,
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() not in ("HAPUS", "DELETE"):
            raise forms.ValidationError(_("Ketik HAPUS untuk menghapus akun."), code="confirm")
        return self.cleaned_data["confirm"]


class CounterLookupForm(forms.Form):
    nik = NIKField(help_text=_("Dari KTP-el atau IKD yang ditunjukkan warga."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The officer's browser must not offer the officer's own login name here.
        self.fields["nik"].widget.attrs["autocomplete"] = "off"


class CounterConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Kode loket dari layar warga"),
        max_length=12,
        help_text=_(
            "Warga membuka Akun saya → Konfirmasi di loket di ponselnya dan menunjukkan kodenya. "
            "Kode itu membuktikan akun ini milik orang di depan Anda."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    checked = forms.BooleanField(
        label=_("Saya telah memeriksa KTP-el/IKD asli, dan wajah pemegangnya cocok dengan fotonya.")
    )
    document = forms.ChoiceField(
        label=_("Dokumen yang diperiksa"),
        choices=[("ktp-el", _("KTP-el")), ("ikd", _("Identitas Kependudukan Digital (IKD)"))],
    )


class CounterReclaimForm(ContactForm):
    """The NIK's owner is at the counter but cannot open the account (someone else opened it,
    or they lost every way in): the account is reset to them, on a contact they prove here."""

    checked = forms.BooleanField(
        label=_(
            "Saya telah memeriksa KTP-el/IKD asli, dan wajah pemegangnya cocok dengan fotonya."
        )
    )
    document = forms.ChoiceField(
        label=_("Dokumen yang diperiksa"),
        choices=CounterConfirmForm.base_fields["document"].choices,
    )
