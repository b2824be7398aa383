"""Running the platform in production: health and readiness, metrics, JSON logs, the Redis
cache that survives Redis going away, `check-deploy` and `upgrade`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "satupintu.operations"
    label = "operations"
    verbose_name = _("Operasional")

    def ready(self):
        from . import frontend_cache, metrics

        metrics.connect()
        frontend_cache.connect()
