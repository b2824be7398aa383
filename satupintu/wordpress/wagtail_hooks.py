from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from satupintu.opd.access import is_platform_admin

from .views import import_view


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("wordpress/import/", import_view, name="wordpress_import")]


class KominfoMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return KominfoMenuItem(
        _("Impor WordPress"), reverse("wordpress_import"), icon_name="download", order=900
    )
