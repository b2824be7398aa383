"""The officer's counter page in the admin menu, shown only to those who may use it."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .staff_users import BULK_ACTIONS
from .views.counter import PERMISSION, counter

# Registered after Wagtail's own user bulk actions (order), which they replace.
for action_class in BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class, order=100)


@hooks.register("register_admin_urls")
def register_counter_url():
    return [path("identitas-warga/", counter, name="citizens_counter")]


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_counter_menu_item():
    return OfficerMenuItem(
        _("Konfirmasi identitas warga"),
        reverse("citizens_counter"),
        icon_name="user",
        order=900,
    )
