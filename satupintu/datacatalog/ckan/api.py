"""The HTTP side of the Action API: CKAN's envelope, error kinds and status codes, the data
dict from a query string or a body, and the caller from its token.

No redirects, no CSRF, no session: CKAN clients follow no redirects and authenticate with a
token only; a browser's session cookie gives nothing here (so a page elsewhere cannot make a
signed-in Kominfo user's browser read drafts). Every response is marked not cacheable: the page
cache must never hand an anonymous caller what a token's user was shown, or the reverse.
"""

import json
import logging

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import access, actions, datastore_api, tokens
from .errors import ActionError, BadRequest, NotAuthorized
from .raw import encode

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/json;charset=utf-8"


def _response(body: str, status=200) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-cache, no-store, private"
    response["Access-Control-Allow-Origin"] = "*"  # public reads, no cookies are honoured
    return response


def help_url(name: str) -> str:
    return f"{settings.SATUPINTU_BASE_URL}/api/3/action/help_show?name={name}"


@csrf_exempt
def version(request, number=3):
    return _response(json.dumps({"version": 3}))


def _mixed(querydict) -> dict:
    return {k: (v[0] if len(v) == 1 else v) for k, v in querydict.lists()}


def request_data(request) -> dict:
    """CKAN's rules: GET → the query arguments (a repeated key is a list); POST → the JSON
    body, or the form fields (a form whose single key is JSON, as old clients send, too)."""
    data = _mixed(request.GET)
    if request.method != "POST":
        return data
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = _mixed(request.POST)
        if len(form) == 1 and list(form.values())[0] in ("", "1"):
            key = next(iter(form))
            try:
                parsed = json.loads(key)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                form = parsed
        return data | form
    body = request.body
    if not body.strip():
        return data
    try:
        parsed = json.loads(body)
    except ValueError as error:
        raise BadRequest(_("JSON tidak dapat dibaca: %(error)s") % {"error": error}) from error
    if not isinstance(parsed, dict):
        raise BadRequest(_("Data permintaan harus objek JSON."))
    return data | parsed


@csrf_exempt
def action(request, name):
    function = actions.ACTIONS.get(name)
    envelope = {"help": help_url(name)}
    if request.method not in ("GET", "POST", "HEAD"):
        envelope |= {"success": False, "error": BadRequest(_("Pakai GET atau POST.")).error()}
        response = _response(encode(envelope), 405)
        response["Allow"] = "GET, POST"
        return response
    try:
        if function is None:
            raise BadRequest(f"Action name not known: {name[:100]}")
        data = request_data(request)
        if _has_nul(data):  # PostgreSQL refuses NUL in text; no honest request has one
            raise BadRequest(_("Data permintaan berisi karakter NUL."))
        data.pop("callback", None)
        data.pop("_", None)  # jQuery's cache buster
        caller = caller_of(request)
        result = function(caller, data)
    except ActionError as error:
        envelope |= {"success": False, "error": error.error()}
        return _response(encode(envelope), error.status)
    except Exception:  # a bug must still answer in CKAN's envelope, and be logged
        log.exception("CKAN API action %s failed", name)
        envelope |= {
            "success": False,
            "error": {"__type": "Internal Server Error", "message": "Internal Server Error"},
        }
        return _response(encode(envelope), 500)
    envelope |= {"success": True, "result": result}
    return _response(encode(envelope))


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def caller_of(request) -> access.Caller:
    try:
        return access.Caller(tokens.authenticate(request))
    except tokens.InvalidToken as error:
        raise NotAuthorized(_("Token API tidak dikenal atau sudah dicabut.")) from error


@csrf_exempt
def dump(request, resource_id):
    """The whole table of a resource: ?format=csv (default), tsv or json; &bom=true for Excel."""
    fmt = request.GET.get("format", "csv").lower()
    try:
        if fmt not in ("csv", "tsv", "json"):
            raise BadRequest(_("Format harus csv, tsv atau json."))
        caller = caller_of(request)
        version = access.table(caller, str(resource_id))
    except ActionError as error:
        envelope = {"help": help_url("datastore_search"), "success": False}
        return _response(encode(envelope | {"error": error.error()}), error.status)
    bom = request.GET.get("bom", "").lower() in ("true", "1", "yes")
    response = StreamingHttpResponse(
        datastore_api.dump_chunks(version, fmt, bom),
        content_type={
            "csv": "text/csv; charset=utf-8",
            "tsv": "text/tab-separated-values; charset=utf-8",
            "json": CONTENT_TYPE,
        }[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="{resource_id}.{fmt}"'
    response["Cache-Control"] = "no-cache, no-store, private"
    return response
