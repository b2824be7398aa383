"""Old WordPress links land on the new pages.

Two ways an old link reaches the portal, both handled here:
- the old site's host name now points at Satu Pintu (dinkes.lamongankab.go.id/2019/04/x/);
- the old paths are kept under the OPD's section (lamongankab.go.id/dinkes/2019/04/x/).
Either way the old address is looked up among the imported items of that OPD and answered
with a permanent redirect: `?p=ID`, `?page_id=ID` and `?attachment_id=ID` by WordPress id,
dated and plain permalinks by path or slug, and uploaded files by their old path.
Only requests that would otherwise fail (404), or that carry those WordPress query
parameters, are looked at, so ordinary page views cost nothing extra.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from satupintu.opd.models import OPD

from .importer import normalise_path
from .models import ImportedItem

ID_PARAMETERS = ("p", "page_id", "attachment_id")


def _target_url(item, request, absolute):
    target = item.page or item.image or item.document
    if target is None:
        return None
    if item.page_id:
        page = item.page.specific
        if not page.live:
            return None
        if absolute:  # from the old host to the portal's own address (SATUPINTU_BASE_URL)
            return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + page.get_url(request)
        return page.get_url(request)
    if item.image_id:
        return item.image.file.url
    return item.document.url


class WordPressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and any(k in request.GET for k in ID_PARAMETERS):
            redirect = self._by_id(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return self._by_path(request) or response
        return response

    def _scope(self, request):
        """(items of the OPD the request addresses, path inside the old site, absolute?)"""
        host = request.get_host().split(":")[0].lower()
        items = ImportedItem.objects.filter(old_host=host)
        if items.exists():
            return items, request.path, True
        first, _sep, rest = request.path.lstrip("/").partition("/")
        if first:
            opd = OPD.objects.filter(slug=first).only("pk").first()
            if opd is not None:
                return ImportedItem.objects.filter(opd=opd), "/" + rest, False
        return None, None, False

    def _by_id(self, request):
        items, path, absolute = self._scope(request)
        if items is None or path != "/":
            return None
        for key in ID_PARAMETERS:
            value = request.GET.get(key, "")
            if value.isdigit():
                item = (
                    items.filter(wp_id=int(value))
                    .select_related("page", "image", "document")
                    .first()
                )
                url = item and _target_url(item, request, absolute)
                if url:
                    return HttpResponsePermanentRedirect(url)
        return None

    def _by_path(self, request):
        items, path, absolute = self._scope(request)
        if items is None or path == "/":
            return None
        path = normalise_path(path)
        related = items.select_related("page", "image", "document")
        item = related.filter(old_path=path).first()
        if item is None:
            slug = path.strip("/").rsplit("/", 1)[-1]
            if slug and "." not in slug:
                item = related.filter(old_slug=slug).first()
        url = item and _target_url(item, request, absolute)
        return HttpResponsePermanentRedirect(url) if url else None
