"""Admin registration of the catalogue; see admin_views.py for the isolation rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from satupintu.opd.access import is_platform_admin

from .admin_views import AppCategoryViewSet, AppViewSet, admin_urls
from .models import App, AppLogEntry


@hooks.register("register_admin_viewset")
def register_app_viewset():
    return AppViewSet("katalog_aplikasi", url_prefix="katalog-aplikasi/aplikasi")


@hooks.register("register_admin_viewset")
def register_category_viewset():
    return AppCategoryViewSet("kategori_aplikasi", url_prefix="katalog-aplikasi/kategori")


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return admin_urls()


@hooks.register("register_log_actions")
def log_apps_apart(actions):
    actions.register_model(App, AppLogEntry)


class KominfoMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return KominfoMenuItem(
        _("Dasbor pemakaian aplikasi"),
        reverse("appcatalog_dashboard"),
        icon_name="table",
        order=162,
    )


@hooks.register("register_admin_menu_item")
def register_one_step_menu_item():
    return KominfoMenuItem(
        _("Daftarkan aplikasi + SSO"),
        reverse("appcatalog_register"),
        icon_name="key",
        order=163,
    )
