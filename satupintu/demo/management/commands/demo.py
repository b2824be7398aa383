"""`satupintu demo`: migrate, configure the default regency, seed the demo, and serve it."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from satupintu.demo import seed
from satupintu.home.setup import ensure_site
from satupintu.regency.loading import init_regency
from satupintu.regency.models import RegencySettings


class Command(BaseCommand):
    help = "Prepare the demo portal (default regency from SATUPINTU_REGENCY_CODE) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare only; do not serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the sample news (the page benchmark uses 10).",
        )

    def handle(self, no_serve, addrport, scale, **options):
        if not settings.SATUPINTU_DEMO:
            raise CommandError(
                "The demo creates accounts with known passwords; it runs only with "
                "SATUPINTU_DEMO=1 (the default of the development settings)."
            )
        call_command("migrate", interactive=False, verbosity=0)
        code = settings.SATUPINTU_REGENCY_CODE
        if RegencySettings.load().kemendagri_code != code:
            report = init_regency(code)
            self.stdout.write(
                f"{report.name}: {report.districts} kecamatan, {report.villages} desa/kelurahan."
            )
        ensure_site()
        with transaction.atomic():
            opds = seed.seed_opds(code)
            accounts = seed.seed_accounts()
        created = seed.seed_content(opds)
        from satupintu.demo.services import seed_services

        created += seed_services()
        migrated = seed.seed_wordpress()
        if migrated is not None:
            created += len(migrated.created)
        if scale > 1:
            created += seed.seed_scaled_news(scale)
        people = seed.seed_registry(code)
        ready = seed.seed_citizen(people[0])
        from satupintu.appcatalog.demo import seed_apps

        seed_apps(opds)
        from satupintu.reporting.demo import seed_reports

        seed_reports(opds)
        from satupintu.datacatalog.demo import seed_datasets

        seed_datasets(opds)
        from satupintu.search.demo import seed_search

        seed_search()
        client_id, client_secret = seed.seed_example_client()
        call_command("collectstatic", interactive=False, verbosity=0)
        config = RegencySettings.load()
        base = f"http://{addrport}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo {config.display_title}: {len(opds)} OPD, {created} halaman contoh baru."
            )
        )
        self.stdout.write(f"\n  Portal publik : {base}/\n  Admin         : {base}/admin/")
        self.stdout.write(
            f"  Situs WordPress lama Dinkes, diimpor: tautan lama {base}/dinkes/?p=10 dan "
            f"{base}/dinkes/2019/01/berita-1-babat/ diarahkan ke halaman barunya.\n"
        )
        self.stdout.write(f"  Akun demo (kata sandi acak, tersimpan di {seed.credentials_path()}):")
        for account in accounts:
            self.stdout.write(f"    {account.role:<28} {account.username:<24} {account.password}")
        self.stdout.write(
            f"\n  Warga (data kependudukan sintetis, {seed.DEMO_REGISTRY_ROWS} orang rekaan):\n"
            f"    Masuk di {base}/akun/masuk/ dengan NIK {ready.nik} ({ready.name.title()}) dan "
            f"kata sandi {ready.password}.\n"
            "    Akun ini memakai verifikasi dua langkah lewat surel: kodenya tampil di terminal "
            "ini.\n"
            f"    Daftar akun baru di {base}/akun/daftar/ sebagai salah satu orang ini "
            "(surel apa saja; kodenya tampil di terminal ini):"
        )
        for person in people[1:]:
            self.stdout.write(
                f"      NIK {person.nik}  {person.name.title():<22} "
                f"lahir {person.birth_date:%d-%m-%Y}  ({person.note})"
            )
        self.stdout.write(
            f"    Petugas loket (konfirmasi identitas di {base}/admin/identitas-warga/): "
            "akun petugas.loket di atas.\n"
        )
        self.stdout.write(
            f"  Katalog aplikasi: {base}/aplikasi/ (aplikasi contoh dengan riwayat pemakaian "
            f"rekaan; dasbor dan laporan rasionalisasi di admin, akun kominfo).\n"
            f"  Pelaporan OPD: {base}/admin/pelaporan/ dan dasbor kepatuhan "
            f"{base}/admin/pelaporan/dasbor/ (laporan contoh enam bulan terakhir; akun kominfo).\n"
            f"  Satu Data: katalog {base}/data/; dataset yang menunggu Walidata di "
            f"{base}/admin/satudata/verifikasi/ (akun kominfo); draf Dinkes untuk dilengkapi "
            "operator.dinkes dan diajukan verifikator.dinkes. Panen seperti portal pusat:\n"
            f"    PATH=.venv/bin:$PATH ckanapi dump datasets --all -r {base}\n"
            "  Masuk sekali (OpenID Connect): jalankan contoh aplikasi di terminal lain:\n"
            f"    SATUPINTU_ISSUER={base}/sso SATUPINTU_CLIENT_ID={client_id} "
            f"SATUPINTU_CLIENT_SECRET={client_secret} "
            ".venv/bin/python examples/oidc-client/app.py\n"
            f"    lalu buka {seed.EXAMPLE_BASE_URL}/ dan masuk sebagai warga di atas.\n"
        )
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
