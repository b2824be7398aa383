"""Public catalog pages, mounted at /data/ inside i18n_patterns (Indonesian without prefix)."""

from django.urls import path

from .views import public

app_name = "datacatalog"

urlpatterns = [
    path("", public.catalog, name="index"),
    path("<slug:name>/", public.dataset, name="dataset"),
    path("<slug:name>/sumber/<uuid:resource_id>/", public.resource, name="resource"),
    path("<slug:name>/sumber/<uuid:resource_id>/unduh/", public.download, name="download"),
    path(
        "<slug:name>/sumber/<uuid:resource_id>/versi/<int:number>/unduh/",
        public.version_download,
        name="version_download",
    ),
]
