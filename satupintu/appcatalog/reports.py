"""Usage figures and the rationalisation report (keep / merge / retire) Kominfo acts on.

"Use" is launches from the portal plus SSO sign-ins: an app reached by bookmark still shows
its sign-ins. The recommendation is a rule of thumb with its evidence spelled out, meant to
open a conversation with the owning OPD, not to decide for it:

- retire: already retired or announced for retirement, or no use in `idle_months`;
- keep: among the apps that together make 80% of use (the "head");
- merge: little use, and a busier app of the same category exists to absorb it;
- keep (review): little use and nothing to merge into.

Hosting on an OPD's own server and a citizens' app without SSO are added as actions either way.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import App, AppUsageDay

WINDOWS = (30, 90, 365)
HEAD_SHARE = 0.8


@dataclass
class AppFigures:
    app: App
    launches: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    signins: dict = field(default_factory=dict)
    last_used: date | None = None
    recommendation: str = ""
    reasons: list = field(default_factory=list)
    merge_into: App | None = None
    in_head: bool = False

    def use(self, days=365) -> int:
        return self.launches.get(days, 0) + self.signins.get(days, 0)

    @property
    def recommendation_label(self) -> str:
        return str(RECOMMENDATIONS[self.recommendation])


RECOMMENDATIONS = {
    "keep": gettext_lazy("Pertahankan"),
    "merge": gettext_lazy("Gabungkan"),
    "retire": gettext_lazy("Pensiunkan"),
}


def figures(today: date | None = None) -> list[AppFigures]:
    today = today or timezone.localdate()
    aggregates = {}
    for days in WINDOWS:
        since = Q(date__gt=today - timedelta(days=days), date__lte=today)
        aggregates[f"l{days}"] = Sum("launches", filter=since)
        aggregates[f"u{days}"] = Sum("distinct_users", filter=since)
        aggregates[f"s{days}"] = Sum("sso_signins", filter=since)
    aggregates["last"] = Max("date", filter=Q(launches__gt=0) | Q(sso_signins__gt=0))
    rows = {
        row["app_id"]: row
        for row in AppUsageDay.objects.values("app_id").annotate(**aggregates).order_by()
    }
    result = []
    for app in App.objects.select_related("owner", "category").order_by("name"):
        row = rows.get(app.pk, {})
        result.append(
            AppFigures(
                app=app,
                launches={d: row.get(f"l{d}") or 0 for d in WINDOWS},
                users={d: row.get(f"u{d}") or 0 for d in WINDOWS},
                signins={d: row.get(f"s{d}") or 0 for d in WINDOWS},
                last_used=row.get("last"),
            )
        )
    return result


def long_tail(rows: list[AppFigures], days=365):
    """How many apps make HEAD_SHARE of use, and the cumulative share curve (sorted)."""
    ordered = sorted(rows, key=lambda r: r.use(days), reverse=True)
    total = sum(r.use(days) for r in ordered)
    curve, running, head = [], 0, 0
    for row in ordered:
        running += row.use(days)
        share = running / total if total else 0
        curve.append(share)
        if total and not head and share >= HEAD_SHARE:
            head = len(curve)
    return {"head": head, "apps": len(ordered), "total": total, "curve": curve, "ordered": ordered}


def idle(rows, months: int, today: date | None = None):
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=30 * months)
    return [r for r in rows if r.last_used is None or r.last_used < cutoff]


def rationalise(rows: list[AppFigures], idle_months=6, today: date | None = None):
    today = today or timezone.localdate()
    tail = long_tail(rows)
    head = {r.app.pk for r in tail["ordered"][: tail["head"]]}
    idle_ids = {r.app.pk for r in idle(rows, idle_months, today)}
    busiest_in_category = {}
    for row in tail["ordered"]:
        if row.app.pk in head and row.app.category_id and row.app.status == App.Status.ACTIVE:
            busiest_in_category.setdefault(row.app.category_id, row.app)
    for row in rows:
        app = row.app
        row.in_head = app.pk in head
        row.reasons = []
        if app.status == App.Status.RETIRED:
            row.recommendation = "retire"
            row.reasons.append(_("sudah berstatus pensiun"))
        elif app.status == App.Status.RETIRING:
            row.recommendation = "retire"
            row.reasons.append(_("sudah dijadwalkan pensiun"))
        elif app.pk in idle_ids:
            row.recommendation = "retire"
            row.reasons.append(_("tidak dipakai dalam %(n)d bulan terakhir") % {"n": idle_months})
        elif row.in_head:
            row.recommendation = "keep"
            row.reasons.append(_("termasuk aplikasi yang membentuk 80% pemakaian"))
        else:
            target = busiest_in_category.get(app.category_id)
            if target is not None and target.pk != app.pk:
                row.recommendation = "merge"
                row.merge_into = target
                row.reasons.append(
                    _("pemakaian rendah; fungsinya dapat digabung ke %(app)s")
                    % {"app": target.name}
                )
            else:
                row.recommendation = "keep"
                row.reasons.append(_("pemakaian rendah; tinjau kebutuhannya"))
        if row.recommendation != "retire":
            if app.hosting == App.Hosting.OPD_SERVER:
                row.reasons.append(_("pindahkan ke Pusat Data Daerah"))
            if app.audience == App.Audience.CITIZENS and not app.sso:
                row.reasons.append(_("sambungkan ke SSO Satu Pintu"))
    order = {"retire": 0, "merge": 1, "keep": 2}
    return sorted(rows, key=lambda r: (order[r.recommendation], -r.use(), r.app.name))


def report_rows(idle_months=6, today: date | None = None):
    """Header and rows of the exported report, in the portal's language."""
    rows = rationalise(figures(today), idle_months, today)
    header = [
        _("Aplikasi"),
        _("OPD pemilik"),
        _("Kategori"),
        _("Pengguna"),
        _("Status"),
        _("Hosting"),
        _("Catatan hosting"),
        _("SSO"),
        _("Dibuka 30 hari"),
        _("Dibuka 90 hari"),
        _("Dibuka 365 hari"),
        _("Masuk SSO 365 hari"),
        _("Pengguna-hari 365 hari"),
        _("Terakhir dipakai"),
        _("Rekomendasi"),
        _("Digabung ke"),
        _("Alasan dan tindakan"),
    ]
    body = []
    for row in rows:
        app = row.app
        body.append(
            [
                app.name,
                app.owner.name,
                app.category.name if app.category else "",
                app.get_audience_display(),
                app.get_status_display(),
                app.get_hosting_display(),
                app.hosting_note,
                _("Ya") if app.sso else _("Tidak"),
                row.launches[30],
                row.launches[90],
                row.launches[365],
                row.signins[365],
                row.users[365],
                row.last_used.isoformat() if row.last_used else "",
                row.recommendation_label,
                row.merge_into.name if row.merge_into else "",
                "; ".join(str(r) for r in row.reasons),
            ]
        )
    return header, body


XLSX_WIDTHS = [34, 34, 20, 12, 18, 20, 24, 6] + [12] * 6 + [14, 24, 60]


def weekly_series(app_ids, weeks=52, today: date | None = None, field="distinct_users"):
    """{app_id: [sum per week, oldest first]} over the last `weeks` weeks."""
    today = today or timezone.localdate()
    start = today - timedelta(days=7 * weeks - 1)
    series = {pk: [0] * weeks for pk in app_ids}
    for app_id, day, value in AppUsageDay.objects.filter(
        app_id__in=app_ids, date__gte=start, date__lte=today
    ).values_list("app_id", "date", field):
        series[app_id][(day - start).days // 7] += value
    return start, series
