"""The queries behind every list on the public site, in one place.

Each returns querysets with their relations joined, so a list costs a constant number of
queries however many items or OPDs it shows (the page benchmark counts on it).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from satupintu.announcements.models import AnnouncementPage
from satupintu.events.models import EventPage
from satupintu.news.models import NewsPage
from satupintu.opd.models import OPD
from satupintu.ppid.models import PPIDDocumentPage
from satupintu.services.models import ServicePage


def paginate(request, queryset, per_page):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("halaman", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def news(opd=None):
    qs = NewsPage.objects.live().public().select_related("opd", "image").order_by("-date", "-pk")
    return qs.filter(opd=opd) if opd else qs


def current_announcements(opd=None):
    qs = (
        AnnouncementPage.objects.live()
        .public()
        .filter(AnnouncementPage.current_filter())
        .select_related("opd")
        .order_by("-valid_from", "-pk")
    )
    return qs.filter(opd=opd) if opd else qs


def announcements(opd=None):
    qs = (
        AnnouncementPage.objects.live()
        .public()
        .select_related("opd")
        .order_by("-valid_from", "-pk")
    )
    return qs.filter(opd=opd) if opd else qs


def upcoming_events(opd=None):
    qs = (
        EventPage.objects.live()
        .public()
        .filter(start__gte=timezone.now() - timezone.timedelta(hours=12))
        .select_related("opd")
        .order_by("start")
    )
    return qs.filter(opd=opd) if opd else qs


def events(opd=None):
    qs = EventPage.objects.live().public().select_related("opd").order_by("-start")
    return qs.filter(opd=opd) if opd else qs


def services(opd=None):
    qs = ServicePage.objects.live().public().select_related("opd").order_by("title")
    return qs.filter(opd=opd) if opd else qs


def ppid_documents(opd=None):
    qs = (
        PPIDDocumentPage.objects.live()
        .public()
        .select_related("opd", "document")
        .order_by("category", "-year", "title")
    )
    return qs.filter(opd=opd) if opd else qs


def opd_directory():
    """Live OPD sections in the order the types are declared (sekretariat first)."""
    type_order = Case(
        *[When(type=value, then=i) for i, value in enumerate(OPD.Type.values)],
        output_field=IntegerField(),
    )
    return (
        OPD.objects.filter(home_page__live=True)
        .select_related("home_page")
        .order_by(type_order, "name")
    )


def latest_for_opd(home):
    """What an OPD's home page shows: its own items only."""
    opd = home.opd
    return {
        "latest_news": list(news(opd)[:6]),
        "current_announcements": list(current_announcements(opd)[:5]),
        "upcoming_events": list(upcoming_events(opd)[:5]),
        "services": list(services(opd)[:8]),
    }
