"""Error pages in Indonesian that still work when the database does not."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the error may be the database or a template tag itself.
    response = HttpResponseServerError(loader.get_template("500.html").render())
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # The database is restarting or unreachable: a passing state. 503 with Retry-After
        # tells browsers, crawlers and harvesters to come back, and lets nginx answer from
        # its cache (proxy_cache_use_stale http_503) where it has the page.
        response.status_code = 503
        response["Retry-After"] = "10"
    return response
