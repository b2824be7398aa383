from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SSOConfig(AppConfig):
    name = "satupintu.sso"
    label = "sso"
    verbose_name = _("Masuk sekali (OpenID Connect)")
