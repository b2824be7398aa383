"""PostgreSQL refuses a NUL byte in text, and every search, filter and count that reads the
query string passes it on to SQL: a NUL there is answered 400 before any view runs, on both
database engines alike. No honest link or form carries one. The public JSON API gets its
refusal as JSON, in the shape its OpenAPI document declares."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/v1/"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                message = _("Alamat ini berisi karakter NUL.")
                if request.path.startswith(API_PREFIX):
                    return JsonResponse({"detail": message}, status=400)
                return HttpResponseBadRequest(message)
        return self.get_response(request)
