"""Satu Data in Wagtail's admin: one "Satu Data" menu (datasets, the Walidata's queue, topics,
API tokens, central portals), the URLs, and the notice on the admin home page."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from satupintu.opd.access import is_platform_admin, works_for_an_opd

from . import admin_urls
from .admin_views.topics import TopicViewSet

MENU_HOOK = "register_datacatalog_menu_item"


class Topics(TopicViewSet):
    menu_hook = MENU_HOOK
    menu_order = 30


@hooks.register("register_admin_viewset")
def register_viewsets():
    return Topics("topik_data", url_prefix="satudata/topik")


@hooks.register("register_admin_urls")
def register_urls():
    return [path("", include(admin_urls))]


class ProducerMenuItem(MenuItem):
    """Kominfo and the people of an OPD."""

    def is_shown(self, request):
        return is_platform_admin(request.user) or works_for_an_opd(request.user)


class KominfoMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        _("Satu Data"),
        Menu(register_hook_name=MENU_HOOK),
        icon_name="table",
        order=160,
    )


@hooks.register(MENU_HOOK)
def register_datasets():
    return ProducerMenuItem(
        _("Dataset"), reverse("datacatalog_admin_index"), icon_name="table", order=10
    )


@hooks.register(MENU_HOOK)
def register_review():
    return KominfoMenuItem(
        _("Verifikasi Walidata"), reverse("datacatalog_admin_review"), icon_name="tasks", order=20
    )


@hooks.register(MENU_HOOK)
def register_tokens():
    return MenuItem(_("Token API"), reverse("datacatalog_admin_tokens"), icon_name="key", order=40)


@hooks.register(MENU_HOOK)
def register_central_portals():
    return KominfoMenuItem(
        _("Portal pusat"), reverse("datacatalog_sync:index"), icon_name="globe", order=50
    )


@hooks.register("construct_homepage_panels")
def add_datacatalog_notice(request, panels):
    from .admin_views.home import SatuDataPanel

    panel = SatuDataPanel(request)
    if panel.is_shown():
        panels.append(panel)


from . import sync_admin  # noqa: E402, F401 (registers the central-portal admin URLs)
