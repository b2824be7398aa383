"""The `STATIC_COPY` template flag, set only while `export-static` renders a page.

The exporter switches it on through a context variable, not a request header: a visitor of
the live site cannot make it show the banner or hide its forms.
"""

from contextvars import ContextVar

EXPORTING: ContextVar[dict | None] = ContextVar("satupintu_static_copy", default=None)


def static_copy(request):
    flag = EXPORTING.get()
    return {"STATIC_COPY": flag} if flag else {}
