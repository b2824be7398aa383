"""The read actions of CKAN's Action API, over the published layer.

Each action takes the caller and the data dict and returns what goes in `result`; errors are
the exceptions of errors.py. Read actions ignore keys they do not know (ckanapi sends
`include_datasets`, `include_users`...), except package_search, which refuses them as CKAN does.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from satupintu.opd.models import OPD

from .. import licenses, publishing
from ..models import PublishedDataset, PublishedTerm, Topic
from . import access, datastore_api, search
from .errors import NotFound, ValidationError
from .params import as_bool, as_int, as_list
from .raw import RawJSON

CKAN_VERSION = "2.10.5"
LIST_MAX = 1000

ACTIONS = {}


def action(function):
    ACTIONS[function.__name__] = function
    return function


@action
def package_list(caller, data):
    """The names of every public dataset, in name order. Params: limit, offset."""
    rows = PublishedDataset.objects.public().order_by("name").values_list("name", flat=True)
    return _window(rows, data)


@action
def package_show(caller, data):
    """One dataset by id or name (the package dict)."""
    return access.package(caller, data.get("id") or data.get("name_or_id"))


@action
def package_search(caller, data):
    """Search datasets. Params: q, fq, rows (default 10, up to 1000), start, sort (default
    "score desc, metadata_modified desc"), facet, facet.field, facet.limit, facet.mincount,
    include_private (with a token: the private datasets of the caller's OPDs)."""
    visible = Q(private=False)
    if as_bool(data, "include_private", False) and caller.user is not None:
        visible |= caller.private_filter()
    return search.package_search(data, visible)


@action
def resource_show(caller, data):
    """One resource by id, as the package shows it."""
    return access.resource(caller, data.get("id")).resource


@action
def organization_list(caller, data):
    """Every OPD (CKAN organization). Params: all_fields, sort ("title asc", "name asc",
    "package_count desc"), limit, offset, organizations (names)."""
    return _group_list(data, organizations=True)


@action
def organization_show(caller, data):
    """One OPD by id (UUID) or name (slug), with package_count (public datasets).
    include_datasets=true adds its public datasets (up to 1000)."""
    ident = str(data.get("id") or "")
    key = access.as_uuid(ident)
    opd = OPD.objects.filter(uuid=key).first() if key else None
    opd = opd or OPD.objects.filter(slug=ident).first()
    if opd is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    rows = PublishedDataset.objects.public().filter(opd=opd)
    result = _org(opd, rows.count())
    return _with_datasets(result, rows, data)


def _with_datasets(result, rows, data):
    """`include_datasets=true` adds the published packages (stored text, not re-encoded)."""
    if as_bool(data, "include_datasets", False):
        texts = rows.order_by("name").values_list("package", flat=True)[:LIST_MAX]
        result["packages"] = [RawJSON(t) for t in texts]
    return result


@action
def group_list(caller, data):
    """Every topic (CKAN group). Params: all_fields, sort, limit, offset, groups (names)."""
    return _group_list(data, organizations=False)


@action
def group_show(caller, data):
    """One topic by id or name, with package_count; include_datasets=true adds its datasets."""
    ident = str(data.get("id") or "")
    key = access.as_uuid(ident)
    topic = Topic.objects.filter(pk=key).first() if key else None
    topic = topic or Topic.objects.filter(name=ident).first()
    if topic is None:
        raise NotFound(_("Grup tidak ditemukan."))
    rows = PublishedDataset.objects.public().filter(
        pk__in=PublishedTerm.objects.filter(field="groups", value=topic.name).values("dataset_id")
    )
    result = _group(topic, rows.count())
    return _with_datasets(result, rows, data)


@action
def tag_list(caller, data):
    """The tags of public datasets. Params: query (part of a tag), all_fields."""
    tags = (
        PublishedTerm.objects.filter(field="tags", dataset__private=False)
        .values_list("value", flat=True)
        .distinct()
        .order_by("value")
    )
    if data.get("query"):
        tags = tags.filter(value__icontains=str(data["query"]))
    names = list(tags[:10000])
    if as_bool(data, "all_fields", False):
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in names]
    return names


@action
def license_list(caller, data):
    """The licences datasets may carry, with CKAN's ids."""
    return [
        {
            "id": item.id,
            "title": item.title,
            "url": item.url,
            "status": "active",
            "is_okd_compliant": item.open,
            "od_conformance": "approved" if item.open else "not reviewed",
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "family": "",
            "maintainer": "",
            "is_generic": item.id in ("other-open", "notspecified"),
        }
        for item in licenses.LICENSES
    ]


@action
def status_show(caller, data):
    """The site and what it speaks."""
    from satupintu.regency.models import RegencySettings

    regency = RegencySettings.load()
    return {
        "site_title": str(regency.display_title),
        "site_description": _("Katalog Satu Data %(name)s") % {"name": regency.name},
        "site_url": settings.SATUPINTU_BASE_URL,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": ["datastore", "dcat", "satudata"],
    }


@action
def site_read(caller, data):
    """Whether the site can be read: always, without a token."""
    return True


@action
def help_show(caller, data):
    """The documentation of an action. Params: name."""
    function = ACTIONS.get(str(data.get("name") or ""))
    if function is None:
        raise NotFound(_("Aksi tidak dikenal."))
    return " ".join((function.__doc__ or "").split())


@action
def datastore_search(caller, data):
    """Rows of a resource's table. Params: resource_id, filters ({column: value or [values]}),
    q (text, or {column: text}), fields, sort ("a, b desc"), limit (default 100, up to 32000),
    offset, include_total, records_format (objects, lists or csv)."""
    return datastore_api.search(caller, data)


@action
def datastore_info(caller, data):
    """The columns and size of a resource's table. Params: id (resource id)."""
    return datastore_api.info(caller, data)


# --- Helpers ------------------------------------------------------------------------------------


def _window(rows, data):
    offset = as_int(data, "offset", 0)
    limit = data.get("limit")
    if limit in (None, ""):
        return list(rows[offset:])
    return list(rows[offset : offset + as_int(data, "limit", 0)])


def _org(opd, count):
    return publishing.organization_dict(opd) | {
        "display_name": opd.name,
        "package_count": count,
        "num_followers": 0,
        "users": [],
        "extras": [],
        "tags": [],
        "groups": [],
    }


def _group(topic, count):
    return publishing.topic_dict(topic) | {
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "created": publishing.ckan_time(topic.created_at),
        "image_url": "",
        "package_count": count,
        "num_followers": 0,
        "users": [],
        "extras": [],
        "tags": [],
        "groups": [],
    }


def _group_list(data, *, organizations: bool):
    sort = str(data.get("sort") or data.get("order_by") or "title asc").strip()
    words = sort.split()
    field = words[0] if words else "title"
    descending = len(words) > 1 and words[1].lower() == "desc"
    if field not in ("name", "title", "package_count", "packages"):
        raise ValidationError({"sort": [_("Urutan hanya name, title atau package_count.")]})
    public = PublishedDataset.objects.public()
    if organizations:
        counts = dict(public.values_list("opd__slug").annotate(n=Count("pk")).order_by())
        items = [(o.slug, o.name, o) for o in OPD.objects.all()]
    else:
        counts = dict(
            PublishedTerm.objects.filter(field="groups", dataset__in=public.values("pk"))
            .values_list("value")
            .annotate(n=Count("pk"))
            .order_by()
        )
        items = [(t.name, t.title, t) for t in Topic.objects.all()]
    wanted = as_list(data.get("organizations" if organizations else "groups"))
    if wanted:
        items = [item for item in items if item[0] in wanted]
    if data.get("q"):
        needle = str(data["q"]).lower()
        items = [i for i in items if needle in i[0].lower() or needle in i[1].lower()]
    if field in ("package_count", "packages"):
        items.sort(
            key=lambda i: (
                (-counts.get(i[0], 0), i[0]) if descending else (counts.get(i[0], 0), i[0])
            )
        )
    else:
        index = 0 if field == "name" else 1
        items.sort(key=lambda i: (i[index].lower(), i[0]), reverse=descending)
    offset = as_int(data, "offset", 0)
    limit = min(as_int(data, "limit", LIST_MAX), LIST_MAX)
    items = items[offset : offset + limit]
    if not as_bool(data, "all_fields", False):
        return [item[0] for item in items]
    build = _org if organizations else _group
    return [build(item[2], counts.get(item[0], 0)) for item in items]
