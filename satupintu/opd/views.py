"""Admin views of the OPD registry (Kominfo only): creating or editing an OPD provisions it."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import OPD
from .provisioning import provision_opd


class ProvisioningMixin:
    """Runs provisioning inside the view's transaction, so a failure leaves nothing half-made."""

    def save_instance(self):
        instance = super().save_instance()
        report = provision_opd(instance)
        if report.created:
            messages.info(
                self.request,
                _("Disiapkan: %(items)s.") % {"items": ", ".join(str(c) for c in report.created)},
            )
        return instance


class OPDViewSet(ModelViewSet):
    model = OPD
    icon = "group"
    menu_label = _("Perangkat daerah")
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["name", "acronym", "slug", "type", "needs_verification", "provisioned_at"]
    list_filter = ["type", "needs_verification"]
    search_fields = ["name", "acronym", "slug"]
    exclude_form_fields = []
    copy_view_enabled = False
    inspect_view_enabled = True

    @property
    def add_view_class(self):
        return type("OPDCreateView", (ProvisioningMixin, super().add_view_class), {})

    @property
    def edit_view_class(self):
        return type("OPDEditView", (ProvisioningMixin, super().edit_view_class), {})
