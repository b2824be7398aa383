""" "Token API": every admin user's own tokens for the CKAN-compatible API. The raw token is
shown once, in the response to its creation, and is never stored (only its hash is): the page
is not cached and the token is not put in a message or the session."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin import messages

from ..ckan.tokens import issue_token, revoke_token
from ..forms import TokenForm
from ..models import ApiToken


@never_cache
def index(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            raw = issue_token(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
    if raw:
        messages.success(
            request, _("Token dibuat. Salin sekarang: token ini tidak ditampilkan lagi.")
        )
        form = TokenForm()
    return render(
        request,
        "datacatalog/admin/tokens.html",
        {
            "form": form,
            "raw_token": raw,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        },
    )


def revoke(request, token_id):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    revoke_token(request.user, token.pk)
    messages.success(request, _("Token “%(name)s” dicabut.") % {"name": token.name})
    return redirect("datacatalog_admin_tokens")
