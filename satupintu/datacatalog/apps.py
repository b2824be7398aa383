from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataCatalogConfig(AppConfig):
    name = "satupintu.datacatalog"
    label = "datacatalog"
    verbose_name = _("Satu Data")

    def ready(self):
        from django.db.models.signals import post_save

        from satupintu.opd.models import OPD

        from . import publishing

        # The organization embedded in every published package follows the OPD's name.
        post_save.connect(
            publishing.on_opd_saved, sender=OPD, dispatch_uid="datacatalog-opd-rename"
        )
