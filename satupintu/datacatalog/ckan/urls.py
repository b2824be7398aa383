"""CKAN's API paths at the site root, outside i18n_patterns. A trailing slash is accepted
rather than redirected: CKAN clients follow no redirects."""

from django.urls import path, re_path

from . import api

urlpatterns = [
    re_path(r"^api/?$", api.version),
    re_path(r"^api/3/?$", api.version),
    re_path(r"^api/(?:3/)?action/(?P<name>[A-Za-z0-9_.\-]{1,100})/?$", api.action),
    path("datastore/dump/<uuid:resource_id>", api.dump),
    path("datastore/dump/<uuid:resource_id>/", api.dump),
]
