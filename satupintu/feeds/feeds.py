"""RSS 2.0 and Atom feeds of news, for the whole regency and for each OPD."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from satupintu.home import listings
from satupintu.opd.models import OPD
from satupintu.regency.models import RegencySettings

FEED_SIZE = 30


class NewsFeed(Feed):
    def get_object(self, request, slug=None):
        self.request = request
        if slug is None:
            return None
        return get_object_or_404(
            OPD.objects.select_related("home_page"), slug=slug, home_page__live=True
        )

    def title(self, opd):
        regency = RegencySettings.load(request_or_site=self.request)
        if opd:
            return _("Berita %(opd)s — %(regency)s") % {"opd": opd.name, "regency": regency.name}
        return _("Berita %(regency)s") % {"regency": regency.name}

    def link(self, opd):
        if opd:
            return opd.home_page.get_url(self.request)
        return "/berita/"

    def description(self, opd):
        return self.title(opd)

    def items(self, opd):
        return listings.news(opd)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.make_aware(
            timezone.datetime.combine(item.date, timezone.datetime.min.time())
        )

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author_name or (item.opd.name if item.opd else None)

    def item_categories(self, item):
        return [item.opd.acronym] if item.opd else []


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
