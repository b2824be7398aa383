"""The site search in Wagtail's admin: one "Pencarian" menu (synonyms, pinned results, the
search report) for Kominfo only. OPD operators and verifikators see no menu and get 404 on
every URL."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from satupintu.opd.access import is_platform_admin
from satupintu.opd.admin_guards import kominfo_only

from . import admin_views
from .admin_views import BEST_BETS_NAME, SYNONYMS_NAME, BestBetViewSet, SynonymGroupViewSet

MENU_HOOK = "register_search_menu_item"


class Synonyms(SynonymGroupViewSet):
    menu_hook = MENU_HOOK
    menu_order = 10


class BestBets(BestBetViewSet):
    menu_hook = MENU_HOOK
    menu_order = 20


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        Synonyms(SYNONYMS_NAME, url_prefix="pencarian/sinonim"),
        BestBets(BEST_BETS_NAME, url_prefix="pencarian/unggulan"),
        admin_views.entry_chooser_viewset,
    ]


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "pencarian/laporan/",
            kominfo_only(admin_views.report),
            name="search_admin_report",
        )
    ]


class KominfoMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


class KominfoSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user) and super().is_shown(request)


@hooks.register("register_admin_menu_item")
def register_menu():
    return KominfoSubmenu(
        _("Pencarian"),
        Menu(register_hook_name=MENU_HOOK),
        icon_name="search",
        order=170,
    )


@hooks.register(MENU_HOOK)
def register_report():
    return KominfoMenuItem(
        _("Laporan pencarian"), reverse("search_admin_report"), icon_name="table", order=30
    )
