"""The compliance dashboard: Kominfo sees every OPD; an OPD's people see the same view limited
to their own OPD. Exports carry exactly what the page shows."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core import charts, spreadsheets
from satupintu.opd.access import is_platform_admin
from satupintu.opd.models import OPD

from ..compliance import figures, kip_berkala
from ..models import ReportType
from ..obligations import STATE_LABELS
from .common import visible_opds

MONTH_CHOICES = (6, 12, 24, 36)


def _filters(request):
    opds = visible_opds(request.user)
    opd_type = request.GET.get("jenis_opd", "")
    if opd_type in OPD.Type.values:
        opds = opds.filter(type=opd_type)
    else:
        opd_type = ""
    try:
        months = int(request.GET.get("bulan", 12))
    except ValueError:
        months = 12
    if months not in MONTH_CHOICES:
        months = 12
    report_types = ReportType.objects.filter(active=True).order_by("name")
    chosen = None
    slug = request.GET.get("jenis", "")
    if slug:
        chosen = report_types.filter(slug=slug).first()
    return opds, opd_type, months, report_types, chosen


def dashboard(request):
    opds, opd_type, months, report_types, chosen = _filters(request)
    all_types = list(report_types)
    matrix_type = chosen or (all_types[0] if all_types else None)
    data = figures(
        report_types=report_types.filter(pk=chosen.pk) if chosen else report_types,
        opds=opds,
        months=months,
        matrix_type=matrix_type,
    )
    trend_chart = None
    if data.trend:
        trend_chart = charts.lines(
            [
                (_("Tepat waktu"), [t.on_time_rate or 0.0 for _m, t in data.trend]),
                (_("Disetujui"), [t.completion or 0.0 for _m, t in data.trend]),
            ],
            title=_("Kepatuhan laporan per bulan tenggat"),
            desc=_(
                "Bagian laporan yang dikirim tepat waktu dan yang disetujui, per bulan tenggat."
            ),
            y_label=_("per bulan tenggat"),
        )
    opd_chart = None
    if data.by_opd:
        worst = sorted(data.by_opd.items(), key=lambda kv: (kv[1].completion or 0, kv[0].name))
        opd_chart = charts.bars(
            [(opd.acronym or opd.name, round((t.completion or 0) * 100)) for opd, t in worst[:15]],
            title=_("OPD dengan kelengkapan terendah (%)"),
            desc=_("Persentase laporan yang sudah disetujui dari yang jatuh tempo."),
        )
    return render(
        request,
        "reporting/admin/dashboard.html",
        {
            "data": data,
            "report_types": all_types,
            "chosen": chosen,
            "matrix_type": matrix_type,
            "months": months,
            "month_choices": MONTH_CHOICES,
            "opd_type": opd_type,
            "opd_types": OPD.Type.choices,
            "kip": kip_berkala(opds),
            "trend_chart": trend_chart,
            "opd_chart": opd_chart,
            "is_kominfo": is_platform_admin(request.user),
            "query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


# --- exports ---------------------------------------------------------------------------------


def _status_rows(data):
    header = [
        _("OPD"),
        _("Jenis OPD"),
        _("Laporan"),
        _("Periode"),
        _("Awal periode"),
        _("Akhir periode"),
        _("Tenggat"),
        _("Status"),
        _("Revisi"),
        _("Pertama dikirim"),
        _("Diputuskan"),
        _("Dikirim terlambat"),
    ]
    rows = []
    # Labels translated once, not once per row (a full matrix has tens of thousands of rows).
    status_labels = {key: str(label) for key, label in STATE_LABELS.items()}
    type_labels = dict(OPD.Type.choices)
    yes = _("ya")
    local = timezone.get_current_timezone()
    period_labels = {}
    for o in sorted(data.rows, key=lambda o: (o.opd.name, o.report_type.name, o.period.start)):
        s = o.submission or {}
        first = s.get("first_submitted_at")
        decided = s.get("last_approved_at") if o.approved else None
        rows.append(
            [
                o.opd.name,
                str(type_labels.get(o.opd.type, o.opd.type)),
                o.report_type.name,
                period_labels.setdefault(o.period, o.period.label),
                o.period.start,
                o.period.end,
                o.due_date,
                status_labels[o.status],
                s.get("revision") or "",
                first.astimezone(local).replace(tzinfo=None) if first else "",
                decided.astimezone(local).replace(tzinfo=None) if decided else "",
                yes if o.submitted_late else "",
            ]
        )
    return header, rows


def _summary_rows(data):
    header = [
        _("OPD"),
        _("Jatuh tempo"),
        _("Disetujui"),
        _("Dikirim"),
        _("Tepat waktu"),
        _("Terlambat (belum dikirim)"),
        _("Dikirim terlambat"),
        _("Kelengkapan (%)"),
    ]
    rows = [
        [
            opd.name,
            t.due,
            t.approved,
            t.sent,
            t.on_time,
            t.overdue,
            t.sent_late,
            round(t.completion * 100, 1) if t.completion is not None else "",
        ]
        for opd, t in data.by_opd.items()
    ]
    return header, rows


def _kip_rows(kip):
    header = [
        _("OPD"),
        _("Dokumen berkala terakhir"),
        _("Profil terakhir"),
        _("Lebih dari 6 bulan"),
    ]
    rows = [
        [
            row.opd.name,
            timezone.localtime(row.last_document).replace(tzinfo=None) if row.last_document else "",
            timezone.localtime(row.last_profile).replace(tzinfo=None) if row.last_profile else "",
            _("ya") if row.stale else "",
        ]
        for row in kip
    ]
    return header, rows


def _export_data(request):
    opds, _opd_type, months, report_types, chosen = _filters(request)
    data = figures(
        report_types=report_types.filter(pk=chosen.pk) if chosen else report_types,
        opds=opds,
        months=months,
    )
    return data, kip_berkala(opds)


def _filename(extension):
    return f"kepatuhan-laporan-{timezone.localdate():%Y%m%d}.{extension}"


def export_csv(request):
    data, _kip = _export_data(request)
    header, rows = _status_rows(data)
    return spreadsheets.download(spreadsheets.csv_bytes(header, rows), _filename("csv"))


def export_xlsx(request):
    data, kip = _export_data(request)
    sheets = [
        (_("Ringkasan OPD"), *_summary_rows(data), [40, 12, 12, 12, 12, 14, 14, 14]),
        (_("Status per periode"), *_status_rows(data), [40, 14, 34, 18] + [12] * 8),
        (_("KIP berkala"), *_kip_rows(kip), [40, 20, 20, 12]),
    ]
    return spreadsheets.download(spreadsheets.xlsx_bytes(sheets), _filename("xlsx"))
