"""Kominfo's pages for the central CKAN portals: each portal's state (sent, pending,
failing, last success), adding and editing a portal, deactivating it, syncing it now, and
the log of every call.

Only Kominfo (the Walidata) holds the centre's tokens, so everyone else gets 404: the
pages' existence is none of an OPD's business. A token is write-only: it is encrypted on
save and never rendered again; leaving the field blank on edit keeps it.

"Sinkronkan sekarang" runs in the request, bounded: calls time out after
`NOW_TIMEOUT` seconds, no new dataset is started after `NOW_BUDGET` seconds, and an
unreachable portal stops at its first failure. What is left is done by the next timer run.

The URL hook below registers when this module is imported: datacatalog's wagtail_hooks.py
imports it, and puts "Portal pusat" in its Satu Data menu.
"""

from urllib.parse import urlencode, urlsplit

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from satupintu.opd.access import is_platform_admin

from . import sync
from .models import CentralPortal, SyncLog, SyncState, name_validator

NOW_TIMEOUT = 10
NOW_BUDGET = 15
LOG_PAGE_SIZE = 50


def _kominfo_only(view):
    def wrapped(request, *args, **kwargs):
        if not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _local_test_address(parts) -> bool:
    return parts.scheme == "http" and parts.hostname == "127.0.0.1"


class PortalForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("Alamat CKAN"),
        assume_scheme="https",
        max_length=200,
        help_text=gettext_lazy("Alamat dasar CKAN pusat, misalnya https://data.go.id"),
    )
    token = forms.CharField(
        label=gettext_lazy("Token API"),
        required=False,
        strip=True,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Token pengguna organisasi kabupaten di portal pusat (dari halaman profilnya, "
            "“API Tokens”). Disimpan terenkripsi dan tidak ditampilkan lagi."
        ),
    )

    class Meta:
        model = CentralPortal
        fields = ["name", "url", "organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].validators.append(name_validator)
        if self.instance.pk and self.instance.token_encrypted:
            self.fields["token"].help_text = _(
                "Sudah tersimpan. Biarkan kosong untuk tetap memakai token lama; isi untuk "
                "menggantinya."
            )
        else:
            self.fields["token"].required = True

    def clean_url(self):
        url = self.cleaned_data["url"].strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme != "https" and not _local_test_address(parts):
            raise forms.ValidationError(
                _("Alamat portal pusat harus memakai https:// agar token tidak terbaca di jalan.")
            )
        if parts.query or parts.fragment or not parts.hostname:
            raise forms.ValidationError(
                _("Tulis alamat dasar CKAN saja, misalnya https://data.go.id.")
            )
        return url

    def save(self, commit=True):
        portal = super().save(commit=False)
        if self.cleaned_data.get("token"):
            portal.set_token(self.cleaned_data["token"])
        if commit:
            portal.save()
        return portal


def _status_rows():
    return [(portal, sync.status(portal)) for portal in CentralPortal.objects.all()]


@_kominfo_only
def index(request):
    failing = (
        SyncState.objects.filter(attempts__gt=0)
        .select_related("portal", "dataset")
        .order_by("portal__name", "dataset__name")[:100]
    )
    return render(
        request,
        "datacatalog/sync/index.html",
        {"rows": _status_rows(), "failing": failing},
    )


def _edit(request, portal):
    old = (portal.url, portal.organization) if portal.pk else None
    form = PortalForm(request.POST or None, instance=portal)
    if request.method == "POST" and form.is_valid():
        portal = form.save()
        if old is not None and old != (portal.url, portal.organization):
            count = sync.reset_after_change(portal)
            messages.success(
                request,
                _(
                    "Portal %(name)s disimpan. Alamat atau organisasinya berubah: %(n)s dataset "
                    "akan dikirim ulang."
                )
                % {"name": portal.name, "n": count},
            )
        else:
            messages.success(request, _("Portal %(name)s disimpan.") % {"name": portal.name})
        return redirect("datacatalog_sync:index")
    if request.method == "POST":
        messages.error(request, _("Periksa isian yang ditandai."))
    return render(
        request,
        "datacatalog/sync/edit.html",
        {"form": form, "portal": portal if portal.pk else None},
    )


@_kominfo_only
def add(request):
    return _edit(request, CentralPortal())


@_kominfo_only
def edit(request, pk):
    return _edit(request, get_object_or_404(CentralPortal, pk=pk))


@_kominfo_only
@require_POST
def toggle_active(request, pk):
    portal = get_object_or_404(CentralPortal, pk=pk)
    portal.active = not portal.active
    portal.save(update_fields=["active"])
    if portal.active:
        messages.success(request, _("Portal %(name)s diaktifkan lagi.") % {"name": portal.name})
    else:
        messages.success(
            request,
            _("Portal %(name)s dinonaktifkan: tidak ada lagi yang dikirim ke sana.")
            % {"name": portal.name},
        )
    return redirect("datacatalog_sync:index")


@_kominfo_only
@require_POST
def sync_now(request, pk):
    portal = get_object_or_404(CentralPortal, pk=pk)
    if not portal.active:
        messages.error(request, _("Portal ini tidak aktif. Aktifkan dulu."))
        return redirect("datacatalog_sync:index")
    result = sync.sync_portal(portal, force=True, time_budget=NOW_BUDGET, timeout=NOW_TIMEOUT)
    summary = _(
        "%(portal)s: %(created)s dibuat, %(updated)s diperbarui, %(deleted)s dihapus, "
        "%(failed)s gagal, %(left)s ditunda."
    ) % {
        "portal": portal.name,
        "created": result.created,
        "updated": result.updated,
        "deleted": result.deleted,
        "failed": result.failed,
        "left": result.left,
    }
    if result.stopped:
        summary += " " + result.stopped
    if result.failed or result.locked:
        messages.warning(request, summary)
    elif result.sent:
        messages.success(request, summary)
    else:
        messages.info(request, _("%(portal)s: semua sudah terkirim.") % {"portal": portal.name})
    return redirect("datacatalog_sync:index")


@_kominfo_only
def log(request):
    entries = SyncLog.objects.select_related("portal").order_by("-at", "-pk")
    portals = CentralPortal.objects.all()
    chosen_portal = request.GET.get("portal", "")
    if chosen_portal.isdigit():
        entries = entries.filter(portal_id=int(chosen_portal))
    else:
        chosen_portal = ""
    chosen_ok = request.GET.get("ok", "")
    if chosen_ok in ("1", "0"):
        entries = entries.filter(ok=chosen_ok == "1")
    else:
        chosen_ok = ""
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("halaman"))
    base = {k: v for k, v in (("portal", chosen_portal), ("ok", chosen_ok)) if v}

    def page_url(number):
        return "?" + urlencode(base | {"halaman": number})

    return render(
        request,
        "datacatalog/sync/log.html",
        {
            "page": page,
            "portals": portals,
            "chosen_portal": chosen_portal,
            "chosen_ok": chosen_ok,
            "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
            "next_url": page_url(page.next_page_number()) if page.has_next() else "",
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("tambah/", add, name="add"),
    path("<int:pk>/", edit, name="edit"),
    path("<int:pk>/aktif/", toggle_active, name="toggle_active"),
    path("<int:pk>/sinkronkan/", sync_now, name="sync_now"),
    path("log/", log, name="log"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "satudata/portal-pusat/",
            include((urlpatterns, "datacatalog_sync"), namespace="datacatalog_sync"),
        )
    ]
