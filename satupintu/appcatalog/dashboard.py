"""Kominfo's usage dashboard and the rationalisation report downloads (Kominfo only)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core import charts, spreadsheets
from satupintu.opd.admin_guards import kominfo_only

from . import reports

MONTH_CHOICES = (3, 6, 12)


def _months(request) -> int:
    try:
        months = int(request.GET.get("bulan", 6))
    except ValueError:
        months = 6
    return months if months in MONTH_CHOICES else 6


@kominfo_only
def dashboard(request):
    months = _months(request)
    today = timezone.localdate()
    rows = reports.rationalise(reports.figures(today), months, today)
    tail = reports.long_tail(rows)
    busiest = sorted(rows, key=lambda r: r.use(90), reverse=True)
    top = [r for r in busiest[:24] if r.use(90)]
    line_apps = top[:5]
    start, weekly = reports.weekly_series([r.app.pk for r in line_apps], today=today)
    context = {
        "rows": sorted(rows, key=lambda r: r.use(365), reverse=True),
        "tail": tail,
        "idle": reports.idle(rows, months, today),
        "months": months,
        "month_choices": MONTH_CHOICES,
        "windows": reports.WINDOWS,
        "counts": {
            key: sum(1 for r in rows if r.recommendation == key) for key in reports.RECOMMENDATIONS
        },
        "bar_chart": charts.bars(
            [(r.app.name, r.use(90)) for r in top],
            _("Pemakaian 90 hari terakhir"),
            _("Jumlah dibuka dari portal ditambah masuk lewat SSO, %(n)d aplikasi tersibuk.")
            % {"n": len(top)},
        ),
        "tail_chart": charts.lines(
            [(_("Porsi kumulatif pemakaian"), tail["curve"])],
            _("Ekor panjang: porsi kumulatif pemakaian"),
            _(
                "Aplikasi diurutkan dari yang paling banyak dipakai; %(head)d dari %(n)d aplikasi "
                "membentuk 80%% pemakaian 365 hari terakhir."
            )
            % {"head": tail["head"], "n": tail["apps"]},
            y_label=_("aplikasi, dari yang tersibuk →"),
        ),
        "users_chart": charts.lines(
            [(r.app.name, weekly[r.app.pk]) for r in line_apps],
            _("Pengguna aktif per minggu"),
            _(
                "Jumlah pengguna berbeda per hari, dijumlah per minggu, 52 minggu terakhir, "
                "untuk lima aplikasi tersibuk."
            ),
            y_label=_("minggu sejak %(date)s →") % {"date": start.strftime("%d-%m-%Y")},
        ),
        "line_apps": line_apps,
        "palette": charts.COLOURS,
    }
    return render(request, "appcatalog/admin/dashboard.html", context)


def _filename(ext):
    return f"rasionalisasi-aplikasi-{timezone.localdate().isoformat()}.{ext}"


@kominfo_only
def report_csv(request):
    header, body = reports.report_rows(_months(request))
    return spreadsheets.download(spreadsheets.csv_bytes(header, body), _filename("csv"))


@kominfo_only
def report_xlsx(request):
    header, body = reports.report_rows(_months(request))
    sheet = (_("Rasionalisasi"), header, body, reports.XLSX_WIDTHS)
    return spreadsheets.download(spreadsheets.xlsx_bytes([sheet]), _filename("xlsx"))
