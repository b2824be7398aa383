"""PostgreSQL refuses a NUL byte in text, and every search, filter and count that reads the
query string passes it on to SQL: a NUL there is answered 400 before any view runs, on both
database engines alike. No honest link or form carries one."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest(_("Alamat ini berisi karakter NUL."))
        return self.get_response(request)
