"""The public JSON API (django-ninja, OpenAPI 3.1) at /api/v1/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "satupintu.api"
    label = "satupintu_api"
    verbose_name = _("API publik")
