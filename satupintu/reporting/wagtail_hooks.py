"""Pelaporan in Wagtail's admin: one "Pelaporan" menu (the OPD's reports, the compliance
dashboard, and Kominfo's report types and leave days), the URLs, and the notice on the
admin home page listing what the user's OPD must send soon or has not sent."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from satupintu.opd.access import is_platform_admin, works_for_an_opd

from . import urls
from .admin_views import LeaveDayViewSet, ReportTypeViewSet

MENU_HOOK = "register_reporting_menu_item"


class ReportTypes(ReportTypeViewSet):
    menu_hook = MENU_HOOK
    menu_order = 30


class LeaveDays(LeaveDayViewSet):
    menu_hook = MENU_HOOK
    menu_order = 40


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        ReportTypes("jenis_laporan", url_prefix="pelaporan/jenis"),
        LeaveDays("hari_libur_daerah", url_prefix="pelaporan/hari-libur"),
    ]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("", include(urls))]


class ReportingMenuItem(MenuItem):
    """Shown to Kominfo and to the people of an OPD."""

    def is_shown(self, request):
        return is_platform_admin(request.user) or works_for_an_opd(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        _("Pelaporan"),
        Menu(register_hook_name=MENU_HOOK),
        icon_name="clipboard-list",
        order=150,
    )


@hooks.register(MENU_HOOK)
def register_own_reports():
    return ReportingMenuItem(
        _("Laporan OPD"), reverse("reporting_index"), icon_name="clipboard-list", order=10
    )


@hooks.register(MENU_HOOK)
def register_dashboard():
    return ReportingMenuItem(
        _("Dasbor kepatuhan"), reverse("reporting_dashboard"), icon_name="table", order=20
    )


@hooks.register(MENU_HOOK)
def register_summaries():
    return ReportingMenuItem(
        _("Rekap data"), reverse("reporting_summaries"), icon_name="table", order=25
    )


@hooks.register("construct_homepage_panels")
def add_reporting_notice(request, panels):
    from .panels import DueReportsPanel

    panel = DueReportsPanel(request)
    if panel.is_shown():
        panels.insert(0, panel)
