"""`satupintu upgrade`: the steps after installing new code, in order, on a live site.

1. Say what will change: the pending migrations, and any that are unsafe on a live database
   (operations/migration_safety.py). Unsafe steps need --yes. A new database (the first
   install) is not live: all its migrations run without that judgement.
2. Take an encrypted backup (`satupintu backup`) unless --no-backup.
3. Migrate with a short lock timeout (PostgreSQL): a migration that would wait behind a long
   query gives up after a few seconds and is retried, instead of queueing every page view
   behind its lock request.
4. Collect static files, empty the page cache (templates may have changed).
5. Run `check-deploy` and say which services to reload.
"""

import os
import time

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from satupintu.operations import migration_safety


def pending(executor=None):
    """[(migration, problems, reviewed)] in the order they will run.

    On a new database (no migration ever applied) nothing is live: no table has rows, no old
    code reads it. Every migration is then safe, including the historical ones of Django and
    Wagtail that rename or alter tables, so none is judged.
    """
    executor = executor or MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    migrations = [migration for migration, backwards in plan if not backwards]
    if not executor.loader.applied_migrations:
        return [(migration, [], "") for migration in migrations]
    result = []
    for migration in migrations:
        key = (migration.app_label, migration.name)
        state = executor.loader.project_state(key, at_end=False)
        problems = migration_safety.problems(migration, state)
        result.append((migration, problems, migration_safety.reviewed(migration)))
    return result


def new_database() -> bool:
    """No migration has ever been applied here (`pending()` judges none of them)."""
    return not MigrationRecorder(connection).applied_migrations()


def _is_lock_timeout(error) -> bool:
    cause = getattr(error, "__cause__", None)
    return "lock timeout" in str(error).lower() or type(cause).__name__ == "LockNotAvailable"


class Command(BaseCommand):
    help = "Upgrade a live installation: backup, safe migrations, static files, checks."

    def add_arguments(self, parser):
        parser.add_argument("--no-backup", action="store_true", help="Skip the backup first.")
        parser.add_argument(
            "--yes", action="store_true", help="Run migrations flagged unsafe on a live database."
        )
        parser.add_argument("--lock-timeout", type=int, default=5, help="Seconds (PostgreSQL).")
        parser.add_argument("--retries", type=int, default=10)
        parser.add_argument("--no-static", action="store_true", help="Skip collectstatic.")

    def handle(self, no_backup, yes, lock_timeout, retries, no_static, **options):
        started = time.monotonic()
        steps = pending()
        self.stdout.write(_("Migrasi tertunda: %d") % len(steps))
        fresh = bool(steps) and new_database()
        if fresh:
            self.stdout.write(
                _(
                    "Basis data baru (belum pernah dimigrasi): semua migrasi dijalankan; "
                    "pemeriksaan keamanan untuk situs yang sedang melayani tidak diperlukan."
                )
            )
        unsafe = False
        for migration, problems, reviewed in steps:
            self.stdout.write(f"  {migration.app_label}.{migration.name}")
            for problem in problems:
                if reviewed:
                    self.stdout.write(self.style.WARNING(f"    ! {problem} ({reviewed})"))
                else:
                    unsafe = True
                    self.stdout.write(self.style.ERROR(f"    ! {problem}"))
        if unsafe and not yes:
            raise CommandError(
                _(
                    "Ada migrasi yang tidak aman pada basis data yang sedang melayani. Jalankan "
                    "saat sepi dengan --yes, atau pakai bentuk aman (lihat README, 'Upgrade')."
                )
            )

        if steps and not no_backup and not fresh:  # a new database holds nothing to keep
            self._backup()

        if steps:
            self._migrate(lock_timeout, retries)
        if not no_static:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(_("Berkas statis dikumpulkan."))
        for alias in settings.CACHES:
            if alias != "default":  # sessions and throttling live in default
                caches[alias].clear()
        self.stdout.write(_("Cache halaman dikosongkan."))

        if os.environ.get("DJANGO_SETTINGS_MODULE") == "satupintu.settings.production":
            try:
                call_command("check_deploy", quiet=True, stdout=self.stdout)
            except CommandError as error:
                self.stdout.write(self.style.WARNING(str(error)))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Selesai dalam %(seconds).1f detik. Muat ulang layanan: systemctl reload "
                    "satupintu-web satupintu-web-accounts && systemctl restart satupintu-worker"
                )
                % {"seconds": time.monotonic() - started}
            )
        )

    def _backup(self):
        folder = settings.SATUPINTU_BACKUP_DIR
        if not folder or not settings.SATUPINTU_BACKUP_RECIPIENTS:
            raise CommandError(
                _(
                    "Cadangan sebelum pembaruan butuh SATUPINTU_BACKUP_DIR dan "
                    "SATUPINTU_BACKUP_RECIPIENTS; atau jalankan dengan --no-backup."
                )
            )
        call_command("backup", to=folder, stdout=self.stdout)

    def _migrate(self, lock_timeout, retries):
        postgres = connection.vendor == "postgresql"
        for attempt in range(1, retries + 1):
            try:
                if postgres:
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET lock_timeout = '{int(lock_timeout)}s'")
                call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
                break
            except OperationalError as error:
                if not _is_lock_timeout(error) or attempt == retries:
                    raise
                wait = min(30, 2**attempt)
                self.stdout.write(
                    self.style.WARNING(
                        _("Tabel sedang dipakai (batas kunci %(s)d detik); coba lagi dalam "
                          "%(wait)d detik (%(n)d/%(max)d).")
                        % {"s": lock_timeout, "wait": wait, "n": attempt, "max": retries}
                    )
                )
                time.sleep(wait)
            finally:
                if postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET lock_timeout")
