from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppCatalogConfig(AppConfig):
    name = "satupintu.appcatalog"
    label = "appcatalog"
    verbose_name = _("Katalog aplikasi")
