"""The admin page where Kominfo imports an OPD's WordPress export (small sites).

Attachments are not uploaded through the browser: large sites and their files go through
`satupintu import-wordpress --uploads` on the server (README). Imports run in the request,
so this page suits exports of a few hundred posts.
"""

import tempfile

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.opd.access import is_platform_admin

from .forms import ImportForm
from .importer import import_wordpress
from .wxr import WxrError, max_bytes


def import_view(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["export"]
        if upload.size > max_bytes():
            form.add_error(
                "export", _("Berkas terlalu besar; gunakan perintah import-wordpress di server.")
            )
        else:
            with tempfile.NamedTemporaryFile(suffix=".xml") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    report = import_wordpress(
                        form.cleaned_data["opd"],
                        handle.name,
                        publish=form.cleaned_data["publish"],
                        user=request.user,
                    )
                except WxrError as exc:
                    form.add_error("export", str(exc))
    return render(
        request,
        "wordpress/import.html",
        {
            "form": form,
            "report": report,
            # A Counter in a template answers 0 to `.items`; hand over a list.
            "shortcodes": report.unknown_shortcodes.most_common() if report else [],
            "page_title": gettext_lazy("Impor WordPress"),
        },
    )
