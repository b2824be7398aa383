"""Sample reports for the demo: three report types Kominfo might define and six months of
generated submissions, so the OPD pages, the verifikator's queue and the compliance dashboard
have something to show on a fresh install.

The report types are generic ones most regencies ask for (monthly activity reports, the
kecamatan's public-service statistics, quarterly budget realisation), marked "(contoh)" in
their descriptions; the figures are invented. The activity report has two form versions,
so the demo shows that older reports stay on the form they were filled in with.

Each OPD gets a profile that holds across report types (a few always on time, a few always
late, the rest in between), so the dashboard tells a story rather than noise. The two OPDs
with demo accounts always have one report waiting for their verifikator and one returned to
their operator. Submissions are written as the workflow would have left them (status, dates,
lock, `SubmissionEvent` history with snapshots), with bulk inserts: the workflow functions
check users and lock rows one report at a time, far too slow for ~600 reports.

The random source is seeded per report type and everything is dated relative to `today`,
so every demo on a given day shows the same figures. Safe to run again: report types are
matched by slug, and a type that already has submissions gets no new ones.
"""

import datetime
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import periods as period_rules
from .forms import to_json
from .models import FormVersion, ReportType, Submission, SubmissionEvent
from .workdays import Calendar

SEED = 3524
MONTHS_BACK = 6
DEMO_USER = "demo"

Status = Submission.Status
Action = SubmissionEvent.Action

ACTIVITY_SLUG = "kegiatan-bulanan"
SERVICES_SLUG = "statistik-pelayanan-kecamatan"
BUDGET_SLUG = "realisasi-anggaran-triwulanan"


# --- The forms -----------------------------------------------------------------------------
def _number(label, key, unit, decimals=0, min_value="0", max_value=None, required=True):
    return (
        "number",
        {
            "label": label,
            "key": key,
            "required": required,
            "unit": unit,
            "decimals": decimals,
            "min_value": min_value,
            "max_value": max_value,
        },
    )


ACTIVITY_FIELDS_V1 = [
    ("text", {"label": "Nama kegiatan", "key": "nama_kegiatan", "required": True}),
    (
        "long_text",
        {
            "label": "Uraian",
            "key": "uraian",
            "required": True,
            "help_text": "Apa yang dilakukan, hasilnya, dan tindak lanjutnya.",
        },
    ),
    (
        "date",
        {"label": "Tanggal", "key": "tanggal", "required": True, "within_period": True},
    ),
    _number("Jumlah peserta", "jumlah_peserta", "orang"),
    (
        "region",
        {"label": "Lokasi", "key": "lokasi", "required": True, "level": "district"},
    ),
    (
        "file",
        {
            "label": "Dokumentasi",
            "key": "dokumentasi",
            "required": False,
            "help_text": "Foto atau notulen (PDF/JPG).",
        },
    ),
]
FUNDING = ["APBD kabupaten", "APBD provinsi", "APBN", "Swadaya masyarakat", "Tanpa anggaran"]
# The second version asks where the money came from (as an inspectorate might request).
ACTIVITY_FIELDS_V2 = [
    *ACTIVITY_FIELDS_V1[:4],
    (
        "choice",
        {
            "label": "Sumber dana",
            "key": "sumber_dana",
            "required": True,
            "choices": FUNDING,
            "multiple": False,
        },
    ),
    *ACTIVITY_FIELDS_V1[4:],
]

SERVICES_FIELDS = [
    _number("KTP-el diterbitkan", "ktp_el", "keping"),
    _number("Kartu keluarga diterbitkan", "kk", "lembar"),
    _number("Surat keterangan diterbitkan", "surat_keterangan", "surat"),
    _number("Pengaduan diterima", "pengaduan_diterima", "pengaduan"),
    _number("Pengaduan selesai", "pengaduan_selesai", "pengaduan"),
    (
        "table",
        {
            "label": "Rincian per desa",
            "key": "rincian_desa",
            "required": True,
            "max_rows": 60,
            "columns": [
                {"type": "text", "value": {"label": "Desa", "key": "desa", "required": True}},
                {
                    "type": "number",
                    "value": {
                        "label": "Layanan",
                        "key": "layanan",
                        "required": True,
                        "unit": "layanan",
                        "decimals": 0,
                        "min_value": "0",
                        "max_value": None,
                    },
                },
            ],
        },
    ),
]

BUDGET_FIELDS = [
    ("money", {"label": "Pagu anggaran", "key": "pagu", "required": True}),
    ("money", {"label": "Realisasi keuangan (kumulatif)", "key": "realisasi", "required": True}),
    _number("Persentase fisik", "persentase_fisik", "%", decimals=1, max_value="100"),
    ("long_text", {"label": "Kendala", "key": "kendala", "required": False}),
]


def _stream(fields) -> str:
    """Raw StreamField JSON for ReportType.fields, as the admin's form builder stores it."""
    return json.dumps([{"type": kind, "value": value} for kind, value in fields])


# --- Sample content ------------------------------------------------------------------------
ACTIVITIES_GENERIC = [
    "Rapat koordinasi program kerja",
    "Sosialisasi standar pelayanan",
    "Bimbingan teknis pengelolaan data sektoral",
    "Monitoring dan evaluasi pelaksanaan kegiatan",
    "Pembinaan disiplin pegawai",
    "Pelatihan penyusunan laporan kinerja",
    "Forum konsultasi publik",
    "Pemutakhiran data informasi publik",
]
ACTIVITIES_BY_TYPE = {
    "kecamatan": [
        "Musyawarah perencanaan pembangunan kecamatan",
        "Pembinaan administrasi pemerintahan desa",
        "Monitoring penyaluran dana desa",
        "Kerja bakti lingkungan bersama warga",
        "Pelayanan KTP-el keliling",
        "Rapat koordinasi Forkopimcam",
    ],
    "rsud": [
        "Penyuluhan kesehatan bagi keluarga pasien",
        "Simulasi tanggap darurat kebakaran rumah sakit",
        "Survei kepuasan pasien rawat jalan",
    ],
    "badan": ["Asistensi penyusunan rencana kerja OPD", "Rapat evaluasi capaian kinerja"],
    "inspektorat": ["Reviu laporan keuangan OPD", "Pendampingan penyusunan rencana aksi SPIP"],
    "satuan": ["Patroli ketertiban umum", "Penertiban pedagang kaki lima"],
}
ACTIVITIES_BY_SLUG = {
    "dinkes": [
        "Posyandu lansia",
        "Pemberian makanan tambahan balita",
        "Pemeriksaan kesehatan gratis",
    ],
    "diskominfo": ["Pelatihan literasi digital", "Pendampingan pengelola situs web OPD"],
    "disdukcapil": ["Perekaman KTP-el di sekolah", "Layanan akta kelahiran jemput bola"],
    "dispendik": ["Lomba literasi siswa SD", "Pelatihan guru penggerak"],
    "dlh": ["Penanaman pohon di bantaran sungai", "Pembinaan bank sampah desa"],
    "dinsos": [
        "Verifikasi data penerima bantuan sosial",
        "Bimbingan sosial penyandang disabilitas",
    ],
}
DESCRIPTIONS = [
    "{name} dilaksanakan di Kecamatan {place} dan diikuti {people} peserta. Kegiatan "
    "berjalan lancar; hasilnya dicatat dalam notulen dan ditindaklanjuti bulan berikutnya.",
    "Pada bulan ini {name} diselenggarakan di Kecamatan {place} bersama {people} peserta "
    "dari unsur pemerintah desa dan masyarakat. Masukan peserta dirangkum untuk pimpinan.",
    "{name} di Kecamatan {place} ({people} peserta). Materi disampaikan oleh narasumber "
    "internal; evaluasi menunjukkan pemahaman peserta meningkat.",
]
OBSTACLES = [
    "Proses lelang paket pekerjaan fisik mundur karena penawaran tidak memenuhi syarat.",
    "Kegiatan menunggu pergeseran anggaran pada perubahan APBD.",
    "Pencairan tertunda karena dokumen pertanggungjawaban belum lengkap.",
    "Cuaca hujan menghambat pekerjaan konstruksi di lapangan.",
]

# (field key, the verifikator's comment, how the first submission got it wrong)
RETURN_REASONS = {
    ACTIVITY_SLUG: [
        (
            "jumlah_peserta",
            "Jumlah peserta tidak sama dengan daftar hadir. Mohon disesuaikan.",
            lambda value: str(int(value) * 10),
        ),
        (
            "uraian",
            "Uraian terlalu singkat; tambahkan hasil dan tindak lanjut kegiatan.",
            lambda value: value.split(".")[0] + ".",
        ),
    ],
    SERVICES_SLUG: [
        (
            "ktp_el",
            "Angka KTP-el berbeda dengan rekap Disdukcapil; mohon dicocokkan.",
            lambda value: str(int(value) + 37),
        ),
        (
            "pengaduan_selesai",
            "Pengaduan selesai melebihi pengaduan diterima; mohon diperiksa.",
            lambda value: str(int(value) + 5),
        ),
    ],
    BUDGET_SLUG: [
        (
            "realisasi",
            "Realisasi tidak sama dengan SP2D yang terbit; mohon dicocokkan dengan SIPD.",
            lambda value: str(int(value) + 125_000_000),
        ),
        (
            "persentase_fisik",
            "Persentase fisik belum didukung laporan konsultan pengawas.",
            lambda value: str(min(Decimal(value) + 15, Decimal(100))),
        ),
    ],
}

# Annual budget ceilings by OPD type, in billions of Rupiah (typical of a regency's APBD).
PAGU_BILLIONS = {
    "sekretariat": (80, 200),
    "bagian": (2, 8),
    "inspektorat": (6, 15),
    "badan": (10, 60),
    "dinas": (15, 150),
    "satuan": (8, 25),
    "kecamatan": (2, 6),
    "kelurahan": (1, 2),
    "rsud": (150, 300),
    "lainnya": (5, 20),
}
# Cumulative financial realisation expected by the end of each quarter.
REALISATION = {1: (0.12, 0.22), 2: (0.35, 0.48), 3: (0.55, 0.72), 4: (0.86, 0.98)}


# --- How each OPD behaves ------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    name: str
    missing: float  # never started
    draft: float  # started, never sent
    late: float  # first sent after the due date
    returned: float  # sent back by the verifikator once
    fixes: float  # a returned report is corrected and sent again


PROFILES = {
    "good": Profile("good", missing=0.0, draft=0.0, late=0.03, returned=0.04, fixes=1.0),
    "normal": Profile("normal", missing=0.04, draft=0.05, late=0.15, returned=0.12, fixes=0.85),
    "late": Profile("late", missing=0.25, draft=0.15, late=0.75, returned=0.3, fixes=0.5),
}


def assign_profiles(opds, rng) -> dict[int, Profile]:
    """About one OPD in six always on time, one in eight always late, the rest in between;
    the OPDs with demo accounts are "normal" so their people see every state."""
    from satupintu.demo.seed import SHOWCASE

    ordered = sorted(opds, key=lambda o: o.slug)
    eligible = [o for o in ordered if o.slug not in SHOWCASE]
    rng.shuffle(eligible)
    n = len(ordered)
    good = max(1, round(n * 0.16)) if n >= 3 else 0
    late = max(1, round(n * 0.12)) if n >= 3 else 0
    profiles = {o.pk: PROFILES["normal"] for o in ordered}
    for opd in eligible[:good]:
        profiles[opd.pk] = PROFILES["good"]
    for opd in eligible[good : good + late]:
        profiles[opd.pk] = PROFILES["late"]
    return profiles


@dataclass
class Plan:
    """What happens to one obligation: nothing, a draft, or a report sent (on time or late),
    perhaps returned once, perhaps corrected, then decided."""

    outcome: str  # "missing", "draft" or "sent"
    late: bool = False
    returned: bool = False
    fixed: bool = False
    decided: bool = True


def plan_for(profile: Profile, rng) -> Plan:
    roll = rng.random()
    if roll < profile.missing:
        return Plan("missing")
    if roll < profile.missing + profile.draft:
        return Plan("draft")
    returned = rng.random() < profile.returned
    return Plan(
        "sent",
        late=rng.random() < profile.late,
        returned=returned,
        fixed=returned and rng.random() < profile.fixes,
    )


# --- Writing the history -------------------------------------------------------------------
FLAWED, FINAL = "flawed", "final"  # which content a snapshot holds


@dataclass
class Timeline:
    """Events of one submission in order, cut at `cutoff`: what has not happened yet is left
    out, and the submission's status is what the last event left. Each event is (moment,
    action, snapshot: None, FLAWED or FINAL, comment)."""

    cutoff: datetime.datetime
    rng: random.Random
    events: list = field(default_factory=list)
    stopped: bool = False

    def add(self, day, action, snapshot=None, comment="") -> bool:
        if self.stopped:
            return False
        at = _at(day, self.rng)
        if self.events and at <= self.events[-1][0]:
            at = self.events[-1][0] + datetime.timedelta(minutes=self.rng.randint(7, 95))
        if at >= self.cutoff:
            self.stopped = True
            return False
        self.events.append((at, action, snapshot, comment))
        return True


def _at(day: datetime.date, rng) -> datetime.datetime:
    """A moment during office hours of `day`, in the regency's time zone."""
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 14), rng.randint(0, 59), rng.randint(0, 59))
    )
    return timezone.make_aware(moment)


def _working_day(calendar, day: datetime.date) -> datetime.date:
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _review_days(rng) -> int:
    """Days a verifikator takes: usually within the week, now and then weeks."""
    return rng.randint(1, 5) if rng.random() < 0.85 else rng.randint(6, 20)


def history(plan, period, due, comment, calendar, cutoff, rng) -> Timeline:
    """The events `plan` leads to for one period, dated around its due date."""
    timeline = Timeline(cutoff, rng)
    days = datetime.timedelta
    last_day = (cutoff - days(seconds=1)).date()
    send_day = None
    if plan.outcome == "sent":
        if plan.late:
            send_day = due + days(rng.randint(1, 25))
        else:
            span = max((min(due, last_day) - period.end).days, 0)
            send_day = period.end + days(rng.randint(0, span))
        send_day = _working_day(calendar, send_day)
        start_day = max(period.end - days(6), send_day - days(rng.randint(0, 8)))
    else:
        start_day = period.end + days(rng.randint(1, 20))
    start_day = _working_day(calendar, start_day)
    if not timeline.add(start_day, Action.CREATED):
        return timeline
    last_save = send_day or start_day + days(3)
    for _ in range(rng.randint(0, 2)):
        timeline.add(start_day + days(rng.randint(0, (last_save - start_day).days)), Action.SAVED)
    if send_day is None:
        return timeline
    timeline.add(send_day, Action.SUBMITTED, FLAWED if plan.returned else FINAL)
    decision_day = _working_day(calendar, send_day + days(_review_days(rng)))
    if plan.returned:
        timeline.add(decision_day, Action.RETURNED, comment=comment)
        if not plan.fixed:
            return timeline
        fix_day = _working_day(calendar, decision_day + days(rng.randint(1, 4)))
        timeline.add(fix_day, Action.SAVED)
        timeline.add(fix_day, Action.SUBMITTED, FINAL)
        decision_day = _working_day(calendar, fix_day + days(_review_days(rng)))
    if plan.decided:
        timeline.add(decision_day, Action.APPROVED, FINAL)
    return timeline


def _submission(report_type, opd, period, version, data, timeline) -> Submission:
    """The row as the workflow would have left it after these events."""
    status = Status.DRAFT
    submitted = [at for at, action, *_ in timeline.events if action == Action.SUBMITTED]
    decided_at, comment = None, ""
    updated_at = timeline.events[0][0]
    for at, action, _snapshot, note in timeline.events:
        if action == Action.SAVED:
            updated_at = at
        elif action == Action.SUBMITTED:
            status = Status.SUBMITTED
        elif action in (Action.RETURNED, Action.APPROVED):
            status = Status.RETURNED if action == Action.RETURNED else Status.APPROVED
            decided_at, comment = at, note
    return Submission(
        report_type=report_type,
        opd=opd,
        period_start=period.start,
        period_end=period.end,
        version=version,
        status=status,
        data=data,
        revision=1,
        lock=len(timeline.events) - 1,  # every step after the first save bumps it
        created_at=timeline.events[0][0],
        updated_at=updated_at,
        submitted_at=submitted[-1] if submitted else None,
        first_submitted_at=submitted[0] if submitted else None,
        decided_at=decided_at,
        last_approved_at=decided_at if status == Status.APPROVED else None,
        comment=comment if status == Status.RETURNED else "",
    )


# --- Values --------------------------------------------------------------------------------
class Values:
    """Plausible report contents, from the regency's own regions."""

    def __init__(self, opds):
        from satupintu.regency.models import Region

        self.districts = dict(
            Region.objects.filter(level=Region.Level.DISTRICT).values_list(
                "kemendagri_code", "name"
            )
        )
        self.villages = {}
        wanted = {o.region_id for o in opds if o.region_id}
        for parent_id, name in (
            Region.objects.filter(level=Region.Level.VILLAGE, parent_id__in=wanted)
            .order_by("kemendagri_code")
            .values_list("parent_id", "name")
        ):
            self.villages.setdefault(parent_id, []).append(name)
        self.region_codes = dict(
            Region.objects.filter(pk__in=wanted).values_list("pk", "kemendagri_code")
        )
        self.pagu = {}

    def activity(self, opd, period, version, rng, written, behind=False) -> dict:
        names = (
            ACTIVITIES_BY_SLUG.get(opd.slug)
            or ACTIVITIES_BY_TYPE.get(opd.type, [])
            or ACTIVITIES_GENERIC
        )
        name = rng.choice(names + ACTIVITIES_GENERIC[:2])
        code = self.region_codes.get(opd.region_id) or (
            rng.choice(sorted(self.districts)) if self.districts else None
        )
        people = rng.randint(15, 250)
        last = min(period.end, written)  # reported after it happened
        day = period.start + datetime.timedelta(days=rng.randint(0, (last - period.start).days))
        data = {
            "nama_kegiatan": name,
            "uraian": rng.choice(DESCRIPTIONS).format(
                name=name, place=self.districts.get(code, "setempat"), people=people
            ),
            "tanggal": day.isoformat(),
            "jumlah_peserta": str(people),
            "lokasi": code,
            "dokumentasi": None,
        }
        if version.field("sumber_dana"):
            data["sumber_dana"] = rng.choice(FUNDING[:1] * 5 + FUNDING[1:])
        return {f["key"]: data.get(f["key"]) for f in version.schema}

    def services(self, opd, period, version, rng, written, behind=False) -> dict:
        villages = self.villages.get(opd.region_id) or [f"Desa contoh {n}" for n in range(1, 21)]
        population = len(villages) * rng.randint(2000, 2600)
        ktp = int(population * rng.uniform(0.003, 0.005))
        kk = int(population * rng.uniform(0.002, 0.0035))
        letters = int(population * rng.uniform(0.006, 0.01))
        complaints = rng.randint(2, 18)
        weights = [rng.uniform(0.5, 1.5) for _ in villages]
        total = ktp + kk + letters
        rows = [
            {"desa": name, "layanan": str(round(total * w / sum(weights)))}
            for name, w in zip(villages, weights, strict=True)
        ]
        return {
            "ktp_el": str(ktp),
            "kk": str(kk),
            "surat_keterangan": str(letters),
            "pengaduan_diterima": str(complaints),
            "pengaduan_selesai": str(complaints - rng.randint(0, min(2, complaints))),
            "rincian_desa": rows,
        }

    def budget(self, opd, period, version, rng, written, behind=False) -> dict:
        if opd.pk not in self.pagu:  # one ceiling per OPD for the whole year
            low, high = PAGU_BILLIONS.get(opd.type, (5, 20))
            own = random.Random(f"pagu:{opd.slug}")  # noqa: S311 (sample data)
            self.pagu[opd.pk] = own.randint(low * 1000, high * 1000) * 1_000_000
        pagu = self.pagu[opd.pk]
        quarter = (period.start.month - 1) // 3 + 1
        expected = REALISATION[quarter]
        share = rng.uniform(*expected) * (0.8 if behind else 1.0)
        physical = min(Decimal(100), round(Decimal(share * 100 + rng.uniform(2, 9)), 1))
        stuck = behind or share < expected[0] + 0.02
        return {
            "pagu": str(pagu),
            "realisasi": str(int(pagu * share) // 1000 * 1000),
            "persentase_fisik": to_json({"type": "number"}, physical),
            "kendala": rng.choice(OBSTACLES) if stuck else None,
        }


# --- The report types ----------------------------------------------------------------------
def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _aware(day: datetime.date, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _report_types(today) -> list[ReportType]:
    """Create the three types (publishing their forms) unless they exist; existing ones are
    left as Kominfo may have edited them."""
    from satupintu.opd.models import OPD

    start = _months_before(today, MONTHS_BACK)
    specs = [
        {
            "slug": ACTIVITY_SLUG,
            "name": "Laporan kegiatan bulanan",
            "description": "(contoh) Kegiatan utama OPD selama sebulan, untuk bahan "
            "laporan pimpinan dan berita di portal.",
            "kind": ReportType.Kind.ACTIVITY,
            "period": period_rules.MONTHLY,
            "due_working_days": 10,
            "opd_types": list(OPD.Type.values),
            "versions": [ACTIVITY_FIELDS_V1, ACTIVITY_FIELDS_V2],
        },
        {
            "slug": SERVICES_SLUG,
            "name": "Statistik pelayanan publik kecamatan",
            "description": "(contoh) Jumlah layanan administrasi kependudukan, surat "
            "keterangan dan pengaduan di kecamatan, dengan rincian per desa.",
            "kind": ReportType.Kind.DATA,
            "period": period_rules.MONTHLY,
            "due_working_days": 10,
            "opd_types": [OPD.Type.KECAMATAN.value],
            "versions": [SERVICES_FIELDS],
        },
        {
            "slug": BUDGET_SLUG,
            "name": "Realisasi anggaran triwulanan",
            "description": "(contoh) Pagu, realisasi keuangan kumulatif dan persentase "
            "fisik per triwulan, sebagai bahan rapat evaluasi TAPD.",
            "kind": ReportType.Kind.DATA,
            "period": period_rules.QUARTERLY,
            "due_working_days": 15,
            "opd_types": list(OPD.Type.values),
            "versions": [BUDGET_FIELDS],
        },
    ]
    result = []
    for spec in specs:
        report_type = ReportType.objects.filter(slug=spec["slug"]).first()
        if report_type is None:
            versions = spec["versions"]
            report_type = ReportType(
                **{k: v for k, v in spec.items() if k != "versions"},
                first_period_start=start,
                fields=_stream(versions[0]),
            )
            report_type.full_clean()
            report_type.save()
            published = _aware(start - datetime.timedelta(days=14))
            ReportType.objects.filter(pk=report_type.pk).update(created_at=published)
            for number, fields in enumerate(versions, start=1):
                if number > 1:
                    # The change comes halfway through the demo's six months.
                    published = _aware(
                        _months_before(today, MONTHS_BACK // 2) + datetime.timedelta(days=3)
                    )
                    report_type.fields = _stream(fields)
                    report_type.full_clean()
                    report_type.save()
                version = report_type.publish_form()
                FormVersion.objects.filter(pk=version.pk).update(created_at=published)
                version.created_at = published
        result.append(report_type)
    return result


# --- Entry point ---------------------------------------------------------------------------
@transaction.atomic
def seed_reports(opds, today: datetime.date | None = None, seed: int = SEED) -> int:
    """Create the sample report types and, for those without submissions yet, their
    submissions for the periods that ended before `today`; returns submissions created."""
    from satupintu.demo.seed import SHOWCASE

    today = today or timezone.localdate()
    opds = [o for o in opds if o.pk]
    report_types = _report_types(today)
    have = set(
        Submission.objects.filter(report_type__in=report_types)
        .values_list("report_type_id", flat=True)
        .distinct()
    )
    pending = [rt for rt in report_types if rt.pk not in have and rt.current_version_id]
    if not opds or not pending:
        return 0
    profiles = assign_profiles(opds, random.Random(seed))  # noqa: S311 (sample data)
    values = Values(opds)
    fill = {
        ACTIVITY_SLUG: values.activity,
        SERVICES_SLUG: values.services,
        BUDGET_SLUG: values.budget,
    }
    calendar = Calendar()
    cutoff = _aware(today, hour=0)  # nothing dated today or later: the day is not over
    rows, timelines = [], []
    for report_type in pending:
        rng = random.Random(f"{seed}:{report_type.slug}")  # noqa: S311 (sample data)
        versions = list(report_type.versions.order_by("number"))
        targets = sorted(
            (o for o in opds if o.type in (report_type.opd_types or [])), key=lambda o: o.slug
        )
        ended = report_type.ended_periods(today)
        for position, period in enumerate(ended):
            due = calendar.add_working_days(period.end, report_type.due_working_days)
            for opd in targets:
                # One draw per cell from the type's stream: what happens in one cell does not
                # shift the figures of the next.
                cell = random.Random(rng.random())  # noqa: S311 (sample data)
                profile = profiles[opd.pk]
                plan = plan_for(profile, cell)
                if opd.slug in SHOWCASE and report_type.slug == ACTIVITY_SLUG:
                    # Something to act on for the demo accounts: the last month waits for
                    # their verifikator, the one before went back to their operator.
                    if position == len(ended) - 1:
                        plan = Plan("sent", decided=False)
                    elif position == len(ended) - 2:
                        plan = Plan("sent", returned=True, fixed=False)
                if plan.outcome == "missing":
                    continue
                key, comment, spoil = cell.choice(RETURN_REASONS[report_type.slug])
                timeline = history(plan, period, due, comment, calendar, cutoff, cell)
                if not timeline.events:
                    continue  # it would only start after today
                created = timeline.events[0][0]
                version = next(
                    (v for v in reversed(versions) if v.created_at <= created), versions[0]
                )
                behind = profile.name == "late"
                data = fill[report_type.slug](
                    opd, period, version, cell, timezone.localdate(created), behind=behind
                )
                flawed = dict(data)
                if flawed.get(key) is not None:
                    flawed[key] = spoil(flawed[key])
                # A report still returned holds what was sent; the correction is not made yet.
                current = flawed if timeline.events[-1][1] == Action.RETURNED else data
                rows.append(_submission(report_type, opd, period, version, current, timeline))
                timelines.append((timeline, {FLAWED: flawed, FINAL: data}))
    Submission.objects.bulk_create(rows, batch_size=500)
    events = [
        SubmissionEvent(
            submission=submission,
            at=at,
            user=None,
            user_name=DEMO_USER,
            action=action,
            revision=1,
            version=submission.version,
            comment=comment,
            snapshot=dict(contents[snapshot]) if snapshot else None,
        )
        for submission, (timeline, contents) in zip(rows, timelines, strict=True)
        for at, action, snapshot, comment in timeline.events
    ]
    SubmissionEvent.objects.bulk_create(events, batch_size=1000)
    return len(rows)
