"""Sample catalogue for the demo: ~80 typical regency apps and a year of generated use.

Names are the generic kinds of system most Indonesian regencies run (SIMPEG, SIPD, e-Kinerja…),
marked "(contoh)" in every description; none of it describes Lamongan's real apps. Usage
follows the regency's reported shape (80 apps, 24 used often): about 24 apps carry nearly all
use, some have a trickle, and the rest have had none for months. The random source is seeded,
so every demo shows the same figures. Safe to run again: apps are matched by slug and a
year of usage is generated only where none exists yet.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import App, AppCategory, AppUsageDay

CATEGORIES = [
    ("kepegawaian", "Kepegawaian"),
    ("perencanaan-keuangan", "Perencanaan dan keuangan"),
    ("perizinan", "Perizinan dan investasi"),
    ("kependudukan", "Kependudukan"),
    ("kesehatan", "Kesehatan"),
    ("pendidikan", "Pendidikan"),
    ("sosial", "Sosial dan kesejahteraan"),
    ("pengaduan", "Pengaduan dan informasi"),
    ("ekonomi", "Ekonomi, pertanian dan perikanan"),
    ("lingkungan", "Lingkungan dan infrastruktur"),
    ("tata-kelola", "Tata kelola dan arsip"),
]

W, A, N = App.Audience.CITIZENS, App.Audience.CIVIL_SERVANTS, App.Audience.INTERNAL
PDD, PDN, CLOUD, OPD = (
    App.Hosting.REGIONAL_DC,
    App.Hosting.NATIONAL_DC,
    App.Hosting.CLOUD,
    App.Hosting.OPD_SERVER,
)

# (name, owner slug, audience, category, hosting, daily launches when busy (0 = tail app))
APPS = [
    ("SIMPEG", "bkpsdm", A, "kepegawaian", PDD, 420),
    ("e-Kinerja", "bkpsdm", A, "kepegawaian", PDD, 900),
    ("e-Absensi ASN", "bkpsdm", A, "kepegawaian", PDD, 1500),
    ("SIPD", "bappeda", N, "perencanaan-keuangan", PDN, 260),
    ("e-Musrenbang", "bappeda", W, "perencanaan-keuangan", PDD, 120),
    ("e-Budgeting", "bappeda", N, "perencanaan-keuangan", PDD, 0),
    ("Sistem Informasi Perencanaan Pembangunan", "bappeda", N, "perencanaan-keuangan", OPD, 0),
    ("e-Monev Pembangunan", "bappeda", N, "perencanaan-keuangan", PDD, 0),
    ("e-PBB", "bapenda", W, "perencanaan-keuangan", PDD, 380),
    ("e-BPHTB", "bapenda", W, "perencanaan-keuangan", PDD, 150),
    ("Pajak Daerah Online", "bapenda", W, "perencanaan-keuangan", CLOUD, 210),
    ("e-SPPT", "bapenda", W, "perencanaan-keuangan", OPD, 0),
    ("Aplikasi Perizinan Online", "dpmptsp", W, "perizinan", PDD, 340),
    ("SiCantik Perizinan", "dpmptsp", W, "perizinan", PDN, 90),
    ("Sistem Informasi Investasi Daerah", "dpmptsp", W, "perizinan", PDD, 0),
    ("Izin Reklame Online", "dpmptsp", W, "perizinan", OPD, 0),
    ("Layanan Adminduk Online", "disdukcapil", W, "kependudukan", PDD, 1100),
    ("Antrean Disdukcapil", "disdukcapil", W, "kependudukan", PDD, 600),
    ("Aplikasi Akta Kelahiran Online", "disdukcapil", W, "kependudukan", PDD, 0),
    ("Sistem Informasi Puskesmas", "dinkes", N, "kesehatan", PDD, 700),
    ("Antrean Puskesmas Online", "dinkes", W, "kesehatan", CLOUD, 520),
    ("Sistem Informasi Gizi Balita", "dinkes", N, "kesehatan", OPD, 0),
    ("e-Posyandu", "dinkes", W, "kesehatan", PDD, 0),
    ("Surveilans Penyakit", "dinkes", N, "kesehatan", PDD, 0),
    ("Pendaftaran Rawat Jalan RSUD", "rsud-soegiri", W, "kesehatan", PDD, 800),
    ("SIMRS", "rsud-soegiri", N, "kesehatan", OPD, 950),
    ("Jadwal Dokter RSUD", "rsud-soegiri", W, "kesehatan", PDD, 0),
    ("PPDB Online", "dispendik", W, "pendidikan", CLOUD, 300),
    ("Dapodik Daerah", "dispendik", N, "pendidikan", PDN, 0),
    ("e-Rapor Daerah", "dispendik", N, "pendidikan", OPD, 0),
    ("Beasiswa Daerah Online", "dispendik", W, "pendidikan", PDD, 0),
    ("SIKS-NG Daerah", "dinsos", N, "sosial", PDN, 160),
    ("Pengajuan Bantuan Sosial", "dinsos", W, "sosial", PDD, 0),
    ("Data Terpadu Kesejahteraan Sosial Lokal", "dinsos", N, "sosial", OPD, 0),
    ("e-KB", "dppkb", N, "sosial", PDD, 0),
    ("Lapor Bupati", "prokopim", W, "pengaduan", PDD, 450),
    ("SP4N-LAPOR! Daerah", "diskominfo", W, "pengaduan", PDN, 140),
    ("PPID Online", "diskominfo", W, "pengaduan", PDD, 0),
    ("Portal Satu Data", "diskominfo", W, "pengaduan", PDD, 110),
    ("e-Office Naskah Dinas", "setda", A, "tata-kelola", PDD, 1300),
    ("Tanda Tangan Elektronik", "diskominfo", A, "tata-kelola", PDN, 480),
    ("Helpdesk TIK", "diskominfo", A, "tata-kelola", PDD, 0),
    ("Sistem Informasi Aset Daerah", "setda", N, "tata-kelola", PDD, 0),
    ("JDIH Daerah", "setda", W, "tata-kelola", PDD, 0),
    ("e-Arsip", "perpusda", N, "tata-kelola", OPD, 0),
    ("Perpustakaan Digital", "perpusda", W, "pendidikan", CLOUD, 0),
    ("Agenda Pimpinan", "prokopim", N, "tata-kelola", PDD, 0),
    ("Sistem Informasi Harga Pasar", "disperindag", W, "ekonomi", PDD, 0),
    ("Pasar Online UMKM", "disperindag", W, "ekonomi", CLOUD, 0),
    ("Metrologi Legal Online", "disperindag", W, "ekonomi", OPD, 0),
    ("Bursa Kerja Online", "disnaker", W, "ekonomi", PDD, 0),
    ("Kartu Pencari Kerja Online", "disnaker", W, "ekonomi", PDD, 0),
    ("Sistem Informasi Pertanian", "dinkpp", N, "ekonomi", PDD, 0),
    ("e-Alokasi Pupuk", "dinkpp", N, "ekonomi", OPD, 0),
    ("Sistem Informasi Perikanan", "diskan", N, "ekonomi", PDD, 0),
    ("Pendataan Nelayan", "diskan", N, "ekonomi", OPD, 0),
    ("Layanan Kesehatan Hewan Online", "disnakeswan", W, "ekonomi", PDD, 0),
    ("Sistem Informasi Pariwisata", "disparbud", W, "ekonomi", CLOUD, 0),
    ("Tiket Wisata Online", "disparbud", W, "ekonomi", CLOUD, 0),
    ("Bank Sampah Digital", "dlh", W, "lingkungan", PDD, 0),
    ("Pengaduan Lingkungan", "dlh", W, "lingkungan", PDD, 0),
    ("Izin Lingkungan Online", "dlh", W, "lingkungan", OPD, 0),
    ("Sistem Informasi Rumah Tidak Layak Huni", "prkp", N, "lingkungan", PDD, 0),
    ("Penerangan Jalan Umum", "prkp", W, "lingkungan", OPD, 0),
    ("Pengaduan Ketertiban Umum", "satpolpp", W, "pengaduan", PDD, 0),
    ("Panggilan Darurat Damkar", "damkar", W, "pengaduan", PDD, 0),
    ("Sistem Informasi Desa", "setda", N, "tata-kelola", PDD, 0),
    ("e-Kecamatan", "setda", N, "tata-kelola", OPD, 0),
    ("Sistem Informasi Kepegawaian Lama", "bkpsdm", A, "kepegawaian", OPD, 0),
    ("e-Cuti", "bkpsdm", A, "kepegawaian", PDD, 0),
    ("e-Diklat", "bkpsdm", A, "kepegawaian", PDD, 0),
    ("Sistem Pengadaan Daerah", "setda", N, "perencanaan-keuangan", PDN, 230),
    ("e-Katalog Lokal", "setda", N, "perencanaan-keuangan", PDN, 0),
    ("Retribusi Pasar Online", "bapenda", W, "perencanaan-keuangan", OPD, 0),
    ("Survei Kepuasan Masyarakat", "diskominfo", W, "pengaduan", PDD, 0),
    ("Website OPD Lama", "diskominfo", W, "pengaduan", OPD, 0),
    ("Sistem Informasi Rapat", "setda", N, "tata-kelola", PDD, 0),
    ("Inventaris Barang OPD", "setda", N, "tata-kelola", OPD, 0),
    ("Pelaporan Keuangan Desa", "setda", N, "perencanaan-keuangan", PDD, 0),
    ("Aplikasi Kartu Sehat Daerah", "dinkes", W, "kesehatan", PDD, 0),
]

# Apps already on their way out, and ones that sign in through Satu Pintu in the demo.
RETIRED = {"sistem-informasi-kepegawaian-lama", "website-opd-lama", "e-sppt"}
RETIRING = {"e-kecamatan", "inventaris-barang-opd", "e-rapor-daerah"}
INTEGRATING = {"antrean-puskesmas-online", "ppdb-online"}
WITH_SSO = {
    "layanan-adminduk-online",
    "lapor-bupati",
    "aplikasi-perizinan-online",
    "e-pbb",
    "pendaftaran-rawat-jalan-rsud",
    "e-musrenbang",
}


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name.replace("!", ""))


def _owner(opds_by_slug, slug):
    return (
        opds_by_slug.get(slug)
        or opds_by_slug.get("diskominfo")
        or next(iter(opds_by_slug.values()))
    )


def _client(app):
    from .admin_views import build_client

    client, _secret = build_client(app, f"https://{app.slug}.contoh.example/oidc/callback/")
    return client


@transaction.atomic
def seed_apps(opds, days=365, seed=3524) -> int:
    """Create or update the sample apps and their usage history; returns apps created."""
    opds_by_slug = {opd.slug: opd for opd in opds}
    if not opds_by_slug:
        return 0
    categories = {}
    for order, (slug, name) in enumerate(CATEGORIES):
        categories[slug], _created = AppCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
    created_count = 0
    apps = []
    for index, (name, owner, audience, category, hosting, busy) in enumerate(APPS):
        slug = _slug(name)
        status = (
            App.Status.RETIRED
            if slug in RETIRED
            else App.Status.RETIRING
            if slug in RETIRING
            else App.Status.INTEGRATING
            if slug in INTEGRATING
            else App.Status.ACTIVE
        )
        app, created = App.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": f"(contoh) {name}: aplikasi contoh untuk demonstrasi katalog; "
                "bukan data resmi.",
                "owner": _owner(opds_by_slug, owner),
                "audience": audience,
                "category": categories[category],
                "url": f"https://{slug}.contoh.example/",
                "status": status,
                "hosting": hosting,
                "hosting_note": "Server di kantor OPD (contoh)." if hosting == OPD else "",
                "launched_on": date(2014 + index % 10, 1 + index % 12, 1),
            },
        )
        created_count += created
        if slug in WITH_SSO and app.client_id is None:
            app.client = _client(app)
            app.save(update_fields=["client"])
        apps.append((app, busy))
    _seed_usage(apps, days, rng)
    return created_count


def _seed_usage(apps, days, rng):
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    have = set(
        AppUsageDay.objects.filter(app__in=[a for a, _b in apps], date__gte=start)
        .values_list("app_id", flat=True)
        .distinct()
    )
    rows = []
    for position, (app, busy) in enumerate(apps):
        if app.pk in have:
            continue
        # A third of the tail apps had a trickle of use until some months ago; the rest none.
        trickle_until = None
        if not busy and position % 3 == 0:
            trickle_until = today - timedelta(days=rng.randint(200, 330))
        if not busy and position % 3 == 1:
            trickle_until = today
        for offset in range(days):
            day = start + timedelta(days=offset)
            weekday = day.weekday() < 5
            if busy:
                staff = app.audience != App.Audience.CITIZENS
                factor = (1.0 if weekday else (0.08 if staff else 0.6)) * rng.uniform(0.75, 1.25)
                launches = int(busy * factor)
            elif trickle_until and day <= trickle_until and rng.random() < 0.15:
                launches = rng.randint(1, 4)
            else:
                continue
            if launches <= 0:
                continue
            signins = int(launches * rng.uniform(0.4, 0.7)) if app.client_id else 0
            rows.append(
                AppUsageDay(
                    app=app,
                    date=day,
                    launches=launches,
                    sso_signins=signins,
                    distinct_users=max(1, int(launches * rng.uniform(0.55, 0.8))),
                )
            )
    AppUsageDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
