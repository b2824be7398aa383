from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppCatalogConfig(AppConfig):
    name = "satupintu.appcatalog"
    label = "appcatalog"
    verbose_name = _("Katalog aplikasi")

    def ready(self):
        from django.core.cache import caches
        from django.db.models.signals import post_delete, post_migrate, post_save
        from oauth2_provider.signals import app_authorized

        from satupintu.opd.models import OPD

        from . import permissions, usage
        from .models import App, AppCategory

        post_migrate.connect(permissions.grant_all, dispatch_uid="appcatalog-grant-all")
        post_save.connect(permissions.on_opd_saved, sender=OPD, dispatch_uid="appcatalog-grant")
        app_authorized.connect(usage.on_token_issued, dispatch_uid="appcatalog-sso-signin")

        def purge(**kwargs):
            # The public catalogue is served from the page cache like every public page.
            caches["pages"].clear()

        for model in (App, AppCategory):
            post_save.connect(purge, sender=model, weak=False, dispatch_uid=f"appcat-{model}")
            post_delete.connect(purge, sender=model, weak=False, dispatch_uid=f"appcatd-{model}")
