"""Linked-data addresses at the site root, where ckanext-dcat puts them (harvesters are
configured with these paths), outside i18n_patterns: no language prefix, no redirect."""

from django.urls import path, re_path

from . import views

app_name = "dcat"

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|xml|jsonld)$", views.catalog, name="catalog"),
    re_path(
        r"^dataset/(?P<ref>[a-z0-9_-]{2,100})\.(?P<fmt>ttl|rdf|xml|jsonld)$",
        views.dataset,
        name="dataset",
    ),
    path("data.json", views.data_json, name="data_json"),
]
