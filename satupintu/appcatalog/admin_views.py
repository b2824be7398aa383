"""The catalogue in Wagtail's admin: Kominfo sees every app, an OPD only its own.

Wagtail's model views fetch the object from the full manager (reference/wagtail.md, Wagtail
#13314), so filtering the listing is not enough: every URL of the viewset that names an app
is wrapped (`owned_apps_only`) to answer 404 for an app of another OPD before Wagtail's view
runs — whatever view a later Wagtail release adds to the viewset. The audit trail goes to
`AppLogEntry`, which filters by owner, so "Riwayat situs" does not list other OPDs' apps.
Categories, the one-step registration with an OIDC client and the dashboard are Kominfo's.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from satupintu.opd.access import is_platform_admin, user_opds
from satupintu.opd.admin_guards import KominfoOnlyViewSetMixin, kominfo_only

from .models import App, AppCategory

KOMINFO_FIELD = "appcatalog.change_appcategory"


def owned_apps_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not is_platform_admin(request.user):
            pk = str(pk)
            if not pk.isdigit() or not App.objects.owned_by(request.user).filter(pk=pk).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class AppAdminForm(WagtailAdminModelForm):
    """An OPD's people may only name their own OPD as owner."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        owner = self.fields.get("owner")
        if owner is not None and for_user is not None and not is_platform_admin(for_user):
            owner.queryset = user_opds(for_user)
            if self.instance.pk is None and owner.queryset.count() == 1:
                self.initial.setdefault("owner", owner.queryset.get().pk)

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        return url.strip()


APP_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("owner"),
            FieldPanel("category"),
            FieldPanel("audience"),
        ],
        heading=gettext_lazy("Identitas"),
    ),
    MultiFieldPanel(
        [FieldPanel("url"), FieldPanel("status"), FieldPanel("launched_on")],
        heading=gettext_lazy("Akses dan status"),
    ),
    MultiFieldPanel(
        [FieldPanel("hosting"), FieldPanel("hosting_note")],
        heading=gettext_lazy("Hosting"),
    ),
    # Linking an app to an OIDC client decides which app a sign-in counts for: Kominfo only.
    FieldPanel("client", permission=KOMINFO_FIELD),
]


class AppIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().owned_by(self.request.user).select_related("owner")


class AppEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if is_platform_admin(self.request.user):
            label = _("Ganti rahasia klien SSO") if self.object.client_id else _("Buat klien SSO")
            buttons.append(
                Button(
                    label,
                    url=reverse("appcatalog_client", args=[self.object.pk]),
                    icon_name="key",
                    priority=40,
                )
            )
        return buttons


class AppViewSet(ModelViewSet):
    model = App
    icon = "desktop"
    menu_label = gettext_lazy("Katalog aplikasi")
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = AppIndexView
    edit_view_class = AppEditView
    list_display = ["name", "owner", "audience", "status", "hosting", "sso"]
    list_filter = ["status", "audience", "hosting", "category", "owner"]
    search_fields = ["name", "description", "owner__name", "owner__acronym"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = ObjectList(APP_PANELS, base_form_class=AppAdminForm)

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = owned_apps_only(pattern.callback)
        return patterns


class AppCategoryViewSet(KominfoOnlyViewSetMixin, ModelViewSet):
    """Kominfo only: OPD groups hold no permission on categories."""

    model = AppCategory
    icon = "tag"
    menu_label = gettext_lazy("Kategori aplikasi")
    menu_order = 161
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    form_fields = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


# --- One-step registration of an app and its OpenID Connect client ----------------------


def _redirect_uri_schemes():
    return {"https", "http"} if settings.DEBUG or settings.SATUPINTU_DEMO else {"https"}


class ClientURIsForm(forms.Form):
    redirect_uris = forms.CharField(
        label=gettext_lazy("Redirect URI"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Satu alamat per baris, persis seperti yang dikirim aplikasi (https://)."
        ),
    )
    post_logout_redirect_uris = forms.CharField(
        label=gettext_lazy("Alamat setelah keluar (opsional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean_redirect_uris(self):
        uris = self.cleaned_data["redirect_uris"].split()
        allowed = _redirect_uri_schemes()
        for uri in uris:
            scheme = uri.split(":", 1)[0].lower()
            if scheme not in allowed or "*" in uri or "#" in uri:
                raise ValidationError(
                    _("Alamat %(uri)s tidak diterima: gunakan https:// tanpa tanda * atau #.")
                    % {"uri": uri}
                )
        return " ".join(uris)

    def clean_post_logout_redirect_uris(self):
        uris = self.cleaned_data["post_logout_redirect_uris"].split()
        for uri in uris:
            if uri.split(":", 1)[0].lower() not in _redirect_uri_schemes():
                raise ValidationError(_("Gunakan alamat https://."))
        return " ".join(uris)


class RegisterAppForm(ClientURIsForm, forms.ModelForm):
    class Meta:
        model = App
        fields = [
            "name",
            "slug",
            "description",
            "owner",
            "category",
            "audience",
            "url",
            "status",
            "hosting",
            "hosting_note",
            "launched_on",
        ]


def build_client(app: App, redirect_uris: str, post_logout: str = ""):
    """A confidential authorization-code client signing id_tokens with RS256.

    Returns the saved Application and the plaintext secret: the toolkit stores only a hash
    of it, so this is the only moment anybody can read it.
    """
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    secret = generate_client_secret()
    client = Application(
        name=app.name[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=redirect_uris,
        post_logout_redirect_uris=post_logout,
        skip_authorization=False,
        client_secret=secret,
        hash_client_secret=True,
    )
    try:
        client.full_clean(exclude=["user", "client_secret", "client_id"])
    except ValidationError as error:
        # The signing key is the SSO side's configuration; everything else is the form's.
        errors = {k: v for k, v in error.message_dict.items() if k != "algorithm"}
        if errors:
            raise ValidationError(errors) from error
    client.save()
    return client, secret


def show_secret_once(request, app, client, secret):
    """The only page that ever shows a client secret (the database keeps its hash): never
    cached, by the browser or anything between."""
    response = render(
        request,
        "appcatalog/admin/registered.html",
        {"app": app, "client_id": client.client_id, "client_secret": secret},
    )
    add_never_cache_headers(response)
    return response


@kominfo_only
def register_app(request):
    form = RegisterAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                app = form.save(commit=False)
                client, secret = build_client(
                    app,
                    form.cleaned_data["redirect_uris"],
                    form.cleaned_data["post_logout_redirect_uris"],
                )
                app.client = client
                app.save()
                log(instance=app, action="wagtail.create", user=request.user)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error("redirect_uris" if field not in form.fields else field, messages)
        else:
            return show_secret_once(request, app, client, secret)
    return render(request, "appcatalog/admin/register.html", {"form": form})


class ClientSettingsForm(ClientURIsForm):
    new_secret = forms.BooleanField(
        label=gettext_lazy("Buat rahasia klien baru"),
        required=False,
        help_text=gettext_lazy(
            "Rahasia lama langsung tidak berlaku. Pengenal pengguna (sub) di aplikasi tetap sama."
        ),
    )


@kominfo_only
def app_client(request, pk):
    """Give an app already in the catalogue its OIDC client, or change an existing client's
    addresses and issue a new secret (the old one is only stored as a hash, so a lost secret
    can only be replaced). The client id stays, so pairwise `sub`s do not change."""
    app = get_object_or_404(App, pk=pk)
    client = app.client
    if client is None:
        form = ClientURIsForm(request.POST or None)
    else:
        form = ClientSettingsForm(
            request.POST or None,
            initial={
                "redirect_uris": "\n".join(client.redirect_uris.split()),
                "post_logout_redirect_uris": "\n".join(client.post_logout_redirect_uris.split()),
            },
        )
    if request.method == "POST" and form.is_valid():
        uris = form.cleaned_data["redirect_uris"]
        post_logout = form.cleaned_data["post_logout_redirect_uris"]
        secret = None
        with transaction.atomic():
            if client is None:
                client, secret = build_client(app, uris, post_logout)
                app.client = client
                app.save(update_fields=["client"])
            else:
                client.redirect_uris = uris
                client.post_logout_redirect_uris = post_logout
                if form.cleaned_data.get("new_secret"):
                    from oauth2_provider.generators import generate_client_secret

                    secret = generate_client_secret()
                    client.client_secret = secret
                    client.hash_client_secret = True
                client.save()
            log(instance=app, action="wagtail.edit", user=request.user)
        if secret is not None:
            return show_secret_once(request, app, client, secret)
        from wagtail.admin import messages

        messages.success(request, _("Alamat klien SSO disimpan."))
        return redirect("katalog_aplikasi:edit", app.pk)
    return render(
        request, "appcatalog/admin/client.html", {"form": form, "app": app, "client": client}
    )


def admin_urls():
    from . import dashboard

    return [
        path("katalog-aplikasi/daftar/", register_app, name="appcatalog_register"),
        path("katalog-aplikasi/<int:pk>/klien-sso/", app_client, name="appcatalog_client"),
        path("katalog-aplikasi/dasbor/", dashboard.dashboard, name="appcatalog_dashboard"),
        path("katalog-aplikasi/laporan.csv", dashboard.report_csv, name="appcatalog_report_csv"),
        path(
            "katalog-aplikasi/laporan.xlsx",
            dashboard.report_xlsx,
            name="appcatalog_report_xlsx",
        ),
    ]
