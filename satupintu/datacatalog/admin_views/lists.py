""" "Dataset" (the OPD's own datasets, or every OPD's for Kominfo) and "Verifikasi Walidata"
(what waits for Kominfo, oldest first)."""

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import render

from satupintu.opd.access import is_platform_admin, user_opds
from satupintu.opd.models import OPD

from ..models import Dataset
from .common import producer_opds, visible_datasets

PER_PAGE = 50


def _with_change_flag(datasets):
    """`pending_changes`: published, and changed by the OPD since the Walidata verified it
    (the rule of workflow.has_unpublished_changes, in one query for the whole page)."""
    rows = list(datasets)
    for dataset in rows:
        dataset.pending_changes = dataset.status == Dataset.Status.PUBLISHED and (
            dataset.published_modified is None or dataset.updated_at > dataset.published_modified
        )
    return rows


def index(request):
    user = request.user
    kominfo = is_platform_admin(user)
    datasets = visible_datasets(user).annotate(published_modified=F("published__metadata_modified"))
    status = request.GET.get("status", "")
    if status in Dataset.Status.values:
        datasets = datasets.filter(status=status)
    else:
        status = ""
    opds = OPD.objects.order_by("name") if kominfo else user_opds(user).order_by("name")
    opd = request.GET.get("opd", "")
    if opd.isdigit() and opds.filter(pk=opd).exists():
        datasets = datasets.filter(opd_id=opd)
    else:
        opd = ""
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        datasets = datasets.filter(Q(title__icontains=query) | Q(name__icontains=query))
    page = Paginator(datasets.order_by("-updated_at", "title"), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "datacatalog/admin/index.html",
        {
            "page": page,
            "datasets": _with_change_flag(page.object_list),
            "statuses": Dataset.Status.choices,
            "status": status,
            "opds": opds if (kominfo or opds.count() > 1) else None,
            "opd": opd,
            "query": query,
            "may_create": bool(producer_opds(user)),
            "is_kominfo": kominfo,
        },
    )


def review_queue(request):
    if not is_platform_admin(request.user):
        raise Http404
    datasets = (
        Dataset.objects.select_related("opd")
        .filter(status=Dataset.Status.SUBMITTED)
        .order_by(F("submitted_at").asc(nulls_first=True), "title")
    )
    return render(request, "datacatalog/admin/review_queue.html", {"datasets": datasets})
