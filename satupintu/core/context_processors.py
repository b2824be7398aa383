"""Template context every public page needs."""

from django.conf import settings
from django.urls import translate_url


def portal(request):
    path = request.get_full_path()
    return {
        "DEMO_MODE": settings.SATUPINTU_DEMO,
        "language_urls": {code: translate_url(path, code) for code, _name in settings.LANGUAGES},
    }
