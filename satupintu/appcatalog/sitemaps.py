"""The app catalogue's pages in sitemap.xml (every app in it is public)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import App


class AppSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return App.objects.only("slug", "updated_at").order_by("slug")

    def location(self, item):
        return reverse("appcatalog:detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at
