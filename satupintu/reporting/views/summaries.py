"""Rekap: approved numbers summed or averaged per period, kecamatan or OPD, downloadable, and
(Kominfo) published to the regional data catalog. An OPD's people summarise only their own
OPD's reports."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from satupintu.core import spreadsheets
from satupintu.opd.access import is_platform_admin
from satupintu.opd.models import OPD

from .. import aggregate
from ..models import PublishedAggregate, ReportType
from .common import visible_opds

MONTH_CHOICES = [(6, "6"), (12, "12"), (24, "24"), (36, "36")]


class SummaryForm(forms.Form):
    jenis = forms.ModelChoiceField(
        queryset=ReportType.objects.all(), to_field_name="slug", label=gettext_lazy("Laporan")
    )
    isian = forms.ChoiceField(label=gettext_lazy("Isian angka"))
    kelompok = forms.ChoiceField(
        choices=aggregate.GROUPINGS,
        initial=aggregate.BY_PERIOD,
        label=gettext_lazy("Kelompokkan"),
    )
    fungsi = forms.ChoiceField(
        choices=aggregate.FUNCTIONS, initial=aggregate.SUM, label=gettext_lazy("Hitung")
    )
    bulan = forms.TypedChoiceField(
        choices=MONTH_CHOICES, coerce=int, initial=12, label=gettext_lazy("Rentang (bulan)")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report_type = None
        slug = self.data.get("jenis") if self.is_bound else None
        if slug:
            report_type = ReportType.objects.filter(slug=slug).first()
        self.fields["isian"].choices = aggregate.numeric_choices(report_type) if report_type else []


def _table(request):
    form = SummaryForm(request.GET or None)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    table = aggregate.build(
        data["jenis"],
        data["isian"],
        grouping=data["kelompok"],
        function=data["fungsi"],
        opds=visible_opds(request.user),
        months=data["bulan"],
    )
    return form, table


def summaries(request):
    form, table = _table(request)
    export = request.GET.get("unduh")
    if table is not None and export in ("csv", "xlsx"):
        name = f"rekap-{form.cleaned_data['jenis'].slug}-{timezone.localdate():%Y%m%d}.{export}"
        rows = [[str(v) if v is not None else "" for v in row] for row in table.rows]
        if export == "csv":
            return spreadsheets.download(spreadsheets.csv_bytes(table.columns, rows), name)
        sheet = (_("Rekap"), table.columns, table.rows, [30, 24, 18, 14])
        return spreadsheets.download(spreadsheets.xlsx_bytes([sheet]), name)
    return render(
        request,
        "reporting/admin/summaries.html",
        {
            "form": form,
            "table": table,
            "query": request.GET.urlencode(),
            "is_kominfo": is_platform_admin(request.user),
            "published": _marked(request.user),
            "opds": OPD.objects.order_by("name") if is_platform_admin(request.user) else [],
        },
    )


def _marked(user):
    """Kominfo's marked summaries, each with its Satu Data dataset (if published yet) and the
    producer the action offers first."""
    if not is_platform_admin(user):
        return []
    from satupintu.datacatalog import from_reports

    items = list(PublishedAggregate.objects.select_related("report_type"))
    datasets = from_reports.datasets_by_aggregate(items)
    fallback = from_reports.default_opd()
    for item in items:
        item.dataset = datasets.get(item.pk)
        item.producer_id = item.dataset.opd_id if item.dataset else getattr(fallback, "pk", None)
    return items


@require_POST
def publish_dataset(request, pk):
    """Kominfo (the Walidata) publishes a marked summary to Satu Data in one action."""
    from satupintu.datacatalog import from_reports
    from satupintu.datacatalog.publishing import public_path

    if not is_platform_admin(request.user):
        raise Http404  # Kominfo's action: for anyone else it does not exist
    item = get_object_or_404(PublishedAggregate, pk=pk)
    chosen = request.POST.get("produsen") or ""
    opd = OPD.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if opd is None:
        messages.error(request, _("Pilih OPD produsen data."))
        return redirect("reporting_summaries")
    try:
        dataset = from_reports.publish_aggregate(request.user, item, opd)
    except ValidationError as error:
        messages.error(
            request,
            _("Rekap “%(title)s” belum diterbitkan: %(errors)s")
            % {"title": item.title, "errors": " ".join(error.messages)},
        )
        return redirect("reporting_summaries")
    messages.success(
        request,
        _(
            "Rekap “%(title)s” terbit di Satu Data sebagai dataset %(name)s "
            "(%(n)s laporan)."
        )
        % {"title": item.title, "name": dataset.name, "n": dataset.provenance["approved_reports"]},
        buttons=[messages.button(public_path("dataset", dataset.name), _("Lihat dataset"))],
    )
    return redirect("reporting_summaries")


@require_POST
def publish(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    form = SummaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih laporan, isian dan pengelompokan dulu."))
        return redirect("reporting_summaries")
    data = form.cleaned_data
    title = (request.POST.get("judul") or "").strip()[:255]
    if not title:
        messages.error(request, _("Beri judul dataset."))
        return redirect("reporting_summaries")
    PublishedAggregate.objects.create(
        report_type=data["jenis"],
        path=data["isian"],
        grouping=data["kelompok"],
        function=data["fungsi"],
        months=data["bulan"],
        title=title,
        description=(request.POST.get("keterangan") or "")[:4000],
        created_by=request.user,
    )
    messages.success(
        request,
        _("Rekap ditandai untuk katalog data daerah; angkanya dihitung ulang setiap kali diminta."),
    )
    return redirect("reporting_summaries")


@require_POST
def unpublish(request, pk):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    item = get_object_or_404(PublishedAggregate, pk=pk)
    item.active = not item.active
    item.save(update_fields=["active"])
    return redirect("reporting_summaries")
