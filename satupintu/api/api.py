"""The public JSON API: one NinjaAPI, with one router per capability that offers one.

Public and read-only: no session, no cookie, no CSRF; every answer is what an anonymous
visitor of the portal may see. The OpenAPI document is at /api/v1/openapi.json and the
interactive documentation at /api/v1/docs, served from this server's own static files
(django-ninja ships Swagger UI; no CDN). The CKAN-compatible Action API of Satu Data stays
at /api/3/action/ for the harvesters that speak it.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from satupintu.search.api import router as search_router

api = NinjaAPI(
    title="Satu Pintu API",
    version="1",
    description=str(
        _(
            "API publik portal pemerintah daerah: pencarian terpadu atas berita, pengumuman, "
            "layanan, dokumen, data, aplikasi, dan perangkat daerah."
        )
    ),
    urls_namespace="api",
    auth=None,
)
api.add_router("/cari", search_router, tags=["pencarian"])
