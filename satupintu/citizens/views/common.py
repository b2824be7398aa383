"""What every citizen page shares: no caching, no NIK in error reports."""

from functools import wraps

from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from wagtailcache.cache import nocache_page

SENSITIVE = ("nik", "password", "password1", "password2", "code", "full_name", "mother_name")


def citizen_page(view):
    """Never cached (the pages carry CSRF tokens and personal data), and the typed NIK,
    passwords and codes are masked in Django's error reports."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return nocache_page(sensitive_post_parameters(*SENSITIVE)(wrapped))


def masked_contact(channel, address):
    if channel == "email":
        name, _, domain = address.partition("@")
        return f"{name[:2]}{'*' * max(len(name) - 2, 1)}@{domain}"
    return f"{address[:5]}{'*' * max(len(address) - 8, 1)}{address[-3:]}"
