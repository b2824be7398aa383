"""The published datasets in sitemap.xml, so search engines find Satu Data's pages too."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import PublishedDataset


class DatasetSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        # Only the public, verified layer: a private or unpublished dataset never appears.
        return PublishedDataset.objects.public().only("name", "metadata_modified").order_by("name")

    def location(self, item):
        return reverse("datacatalog:dataset", args=[item.name])

    def lastmod(self, item):
        return item.metadata_modified
