from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users import apps as wagtail_users


class CitizensConfig(AppConfig):
    default = True
    name = "satupintu.citizens"
    label = "citizens"
    verbose_name = _("Akun warga")


class StaffUsersConfig(wagtail_users.WagtailUsersAppConfig):
    """Replaces "wagtail.users" in INSTALLED_APPS (same label, same tables) so that Wagtail's
    Users admin leaves citizens out: see satupintu/citizens/staff_users.py."""

    default = False
    user_viewset = "satupintu.citizens.staff_users.UserViewSet"
