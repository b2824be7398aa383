"""URLs: the admin and machine-readable endpoints first, then the page tree.

Public pages sit under i18n_patterns without a prefix for Indonesian, so /berita/ is
Indonesian and /en/berita/ the same page with the English interface; a cached page never
mixes the two.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from satupintu.appcatalog.sitemaps import AppSitemap
from satupintu.datacatalog.sitemaps import DatasetSitemap
from satupintu.feeds import urls as feeds_urls
from satupintu.opd import admin_guards
from satupintu.search import views as search_views
from satupintu.sso import urls as sso_urls

urlpatterns = [
    # Isolation guards over a few of Wagtail's admin URLs; they must come first.
    path("admin/", include(admin_guards)),
    path("admin/", include(admin_guards.guard_admin_urls(wagtailadmin_urls.urlpatterns))),
    path("dokumen/", include(wagtaildocs_urls)),
    # Pages, then the datasets and apps that live outside the page tree.
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "data": DatasetSitemap, "apps": AppSitemap}},
        name="sitemap",
    ),
    path("sso/", include("satupintu.sso.urls")),
    path("", include(feeds_urls)),
    # Satu Data for machines: CKAN Action API, datastore dumps, DCAT and data.json. Outside
    # i18n_patterns: harvesters follow no redirects and need no language.
    path("", include("satupintu.datacatalog.ckan.urls")),
    path("", include("satupintu.datacatalog.dcat.urls")),
    # The public JSON API (django-ninja, OpenAPI) for programs; no language, no session.
    path("", include("satupintu.api.urls")),
    # Health, readiness and metrics for the load balancer and Prometheus; no language, no session.
    path("", include("satupintu.operations.urls")),
]

urlpatterns += i18n_patterns(
    path("cari/", search_views.search, name="search"),
    path("cari/saran/", search_views.suggestions, name="search_suggestions"),
    path("cari/klik/", search_views.click, name="search_click"),
    path("akun/aplikasi-terhubung/", include((sso_urls.citizen_patterns, "sso"))),
    path("akun/", include("satupintu.citizens.urls")),
    path("aplikasi/", include("satupintu.appcatalog.urls")),
    path("data/", include("satupintu.datacatalog.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "satupintu.home.views.page_not_found"
handler500 = "satupintu.home.views.server_error"
