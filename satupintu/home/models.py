"""The regency home page (the site root) and plain information pages."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from satupintu.core.pages import PortalPage
from satupintu.news.models import BODY_FEATURES
from satupintu.opd.models import OPD, OPDOwnedPage

from . import listings


class RegencyHomePage(RoutablePageMixin, PortalPage):
    """The one door: news and announcements of every OPD, services, the OPD directory.

    The aggregated lists live on routes of this page (/berita/, /pengumuman/, ...) rather
    than in pages of their own, so there is exactly one of each and no OPD can take the path.
    """

    introduction = models.TextField(_("pengantar"), blank=True, max_length=600)

    content_panels = PortalPage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.InfoPage"]
    max_count = 1

    class Meta:
        verbose_name = _("beranda daerah")

    def route(self, request, path_components):
        """Find a page two or more levels down with one query instead of two per level.

        Wagtail walks the tree a level at a time (/dinkes/berita/<slug>/ costs six queries);
        the portal's pages below the OPD homes have no routes of their own, so the page a
        path names can be looked up directly by its url_path. Anything else (this page's own
        routes, one-level paths, unpublished pages) takes Wagtail's way.
        """
        if self.live and len(path_components) > 1:
            page = Page.objects.filter(
                path__startswith=self.path,
                depth=self.depth + len(path_components),
                slug=path_components[-1],
                url_path=self.url_path + "/".join(path_components) + "/",
                live=True,
            ).first()
            if page is not None:
                return page.specific.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name != "index_route":
            return context  # a route (/berita/, /opd/, ...) brings its own list
        # Lazy: the template caches the rendered lists (purged on every publish), so on a
        # cache hit none of these queries runs.
        context.update(
            latest_news=SimpleLazyObject(lambda: list(listings.news()[:7])),
            current_announcements=SimpleLazyObject(
                lambda: list(listings.current_announcements()[:6])
            ),
            upcoming_events=SimpleLazyObject(lambda: list(listings.upcoming_events()[:5])),
            featured_services=SimpleLazyObject(
                lambda: list(listings.services().filter(featured=True)[:8])
            ),
            opds=SimpleLazyObject(lambda: list(listings.opd_directory())),
        )
        return context

    def _listing(self, request, template, title, queryset, per_page=12, **extra):
        return self.render(
            request,
            template=template,
            context_overrides={
                "listing_title": title,
                "items": listings.paginate(request, queryset, per_page),
                **extra,
            },
        )

    @path("berita/", name="news")
    def all_news(self, request):
        return self._listing(request, "home/listing_news.html", _("Berita"), listings.news())

    @path("pengumuman/", name="announcements")
    def all_announcements(self, request):
        return self._listing(
            request, "home/listing_announcements.html", _("Pengumuman"), listings.announcements()
        )

    @path("agenda/", name="events")
    def all_events(self, request):
        return self._listing(request, "home/listing_events.html", _("Agenda"), listings.events())

    @path("layanan/", name="services")
    def all_services(self, request):
        return self._listing(
            request, "home/listing_services.html", _("Layanan publik"), listings.services(), 40
        )

    @path("ppid/", name="ppid")
    def all_ppid(self, request):
        return self._listing(
            request,
            "home/listing_ppid.html",
            _("Informasi publik (PPID)"),
            listings.ppid_documents(),
            40,
        )

    @path("opd/", name="directory")
    def directory(self, request):
        return self.render(
            request,
            template="home/directory.html",
            context_overrides={"opds": listings.opd_directory(), "types": OPD.Type},
        )


class InfoPage(OPDOwnedPage):
    """A plain page of text: the accessibility statement, an OPD's "tentang kami", ..."""

    body = RichTextField(_("isi"), features=BODY_FEATURES)

    content_panels = PortalPage.content_panels + [FieldPanel("body")]
    search_fields = OPDOwnedPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.RegencyHomePage", "opd.OPDHomePage", "home.InfoPage"]
    subpage_types = ["home.InfoPage"]

    class Meta:
        verbose_name = _("halaman informasi")
        verbose_name_plural = _("halaman informasi")
