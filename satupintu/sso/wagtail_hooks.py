"""Kominfo's admin for the rules of each SSO client (data allowed, NIK and its legal basis,
trusted first-party apps, two-step requirement, back-channel logout URI). OPD roles hold no
permission on it, and every URL is additionally Kominfo-only."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from satupintu.opd.admin_guards import KominfoOnlyViewSetMixin

from .forms import ClientPolicyForm
from .models import ClientPolicy


class ClientPolicyViewSet(KominfoOnlyViewSetMixin, ModelViewSet):
    model = ClientPolicy
    icon = "key"
    menu_label = _("Kebijakan klien SSO")
    menu_order = 164
    add_to_admin_menu = True
    list_display = [
        "application",
        "opd_name",
        "trusted",
        "nik_allowed",
        "require_two_step",
        "logout_status",
    ]
    search_fields = ["opd_name", "application__name"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ClientPolicyForm


@hooks.register("register_admin_viewset")
def register_client_policy_viewset():
    return ClientPolicyViewSet("kebijakan_klien_sso", url_prefix="sso/kebijakan")
