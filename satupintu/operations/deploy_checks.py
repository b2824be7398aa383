"""What `satupintu check-deploy` looks at: every setting and every piece a safe production
installation needs, each reported with what to do about it.

Django's own `check --deploy` covers the HTTP security settings; this adds what is specific to
Satu Pintu (keys for NIKs and ID tokens, Redis layout, the worker, backups, the demo's
accounts) and what only a running installation can tell (the database is reachable and
migrated, the static files are collected, Redis answers).
"""

import dataclasses
import datetime
import os
import stat
from pathlib import Path

from django.conf import settings
from django.core import checks as django_checks
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signing_key

ERROR, WARNING, OK = "error", "warning", "ok"


@dataclasses.dataclass
class Finding:
    level: str
    topic: str
    message: str


def _settings_module():
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if module != "satupintu.settings.production":
        yield Finding(
            ERROR,
            "settings",
            _(
                "DJANGO_SETTINGS_MODULE adalah %(module)s; server publik harus memakai "
                "satupintu.settings.production."
            )
            % {"module": module or "-"},
        )
    for problem in getattr(settings, "SATUPINTU_DEPLOY_PROBLEMS", []):
        if problem.startswith(signing_key.NOT_A_KEY):
            continue  # said in Indonesian, with what to do, by _signing_key
        yield Finding(ERROR, "settings", problem)


def _signing_key():
    """The ID-token signing key must load: an env-file value whose `\\n` lost their
    backslashes (unquoted in a systemd EnvironmentFile) still looks like a PEM key."""
    key = getattr(settings, "SATUPINTU_OIDC_PRIVATE_KEY", "")
    if not key.strip():
        return  # "not set" or "cannot be read": the settings problems say so
    if signing_key.loads(key):
        yield Finding(OK, "oidc", _("Kunci penanda tangan token ID terbaca."))
        return
    path = getattr(settings, "SATUPINTU_OIDC_PRIVATE_KEY_FILE", "")
    if path and not os.environ.get("SATUPINTU_OIDC_PRIVATE_KEY"):  # both: the inline one is used
        message = _(
            "Berkas %(path)s (SATUPINTU_OIDC_PRIVATE_KEY_FILE) tidak berisi kunci privat RSA "
            "dalam format PEM (buat dengan `openssl genrsa 2048`)."
        ) % {"path": path}
    else:
        message = _(
            "SATUPINTU_OIDC_PRIVATE_KEY tidak terbaca sebagai kunci privat RSA dalam format "
            "PEM. Di berkas lingkungan, tulis nilainya dalam satu baris di antara tanda kutip "
            "tunggal, dengan setiap ganti baris ditulis \\n (tanpa kutip, systemd membuang "
            "garis miring terbaliknya); atau simpan kunci di berkas PEM dan isi "
            "SATUPINTU_OIDC_PRIVATE_KEY_FILE (mis. /etc/satupintu/oidc-signing-key.pem, mode "
            "640, pemilik root:satupintu)."
        )
    yield Finding(ERROR, "oidc", message)


def _django_deploy_checks():
    for message in django_checks.run_checks(include_deployment_checks=True):
        if message.is_silenced():
            continue  # SILENCED_SYSTEM_CHECKS: reviewed, with the reason beside the setting
        if message.level >= django_checks.WARNING:
            level = ERROR if message.level >= django_checks.ERROR else WARNING
            yield Finding(level, message.id or "django", str(message.msg))


def _database():
    try:
        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001
        message = _("Basis data tidak dapat dihubungi: %s") % type(error).__name__
        yield Finding(ERROR, "database", message)
        return
    if connection.vendor == "postgresql":
        major = connection.pg_version // 10000
        if major < 15:
            yield Finding(
                WARNING, "database", _("PostgreSQL %s; Satu Pintu diuji dengan versi 15.") % major
            )
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        yield Finding(
            ERROR,
            "database",
            _("%d migrasi belum dijalankan: jalankan `satupintu upgrade`.") % len(plan),
        )
    else:
        yield Finding(OK, "database", _("Basis data terhubung dan mutakhir."))


def _caches():
    from .cache import ResilientRedisCache

    locations = {}
    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, ResilientRedisCache):
            yield Finding(
                WARNING,
                "cache",
                _("Cache '%s' bukan Redis: tiap proses punya cache sendiri dan sesi tidak berbagi.")
                % alias,
            )
            continue
        locations.setdefault(str(settings.CACHES[alias]["LOCATION"]), []).append(alias)
        if not cache.ping():
            yield Finding(ERROR, "cache", _("Redis untuk cache '%s' tidak menjawab.") % alias)
    for aliases in locations.values():
        if len(aliases) > 1:
            yield Finding(
                ERROR,
                "cache",
                _(
                    "Cache %s memakai basis data Redis yang sama; cache halaman dikosongkan "
                    "(FLUSHDB) setiap terbit dan akan ikut menghapus sesi. Pakai REDIS_PAGES_URL."
                )
                % ", ".join(aliases),
            )
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache":
        yield Finding(
            WARNING,
            "sessions",
            _("Sesi hanya di cache: Redis dimulai ulang berarti semua pengguna keluar."),
        )


def _worker():
    from . import worker_state

    if not worker_state.uses_queue():
        yield Finding(
            WARNING,
            "worker",
            _("Pekerjaan latar dijalankan di dalam permintaan web (TASKS tanpa antrean)."),
        )
        return
    try:
        state = worker_state.snapshot()
    except Exception:  # noqa: BLE001
        return  # the database finding already says why
    if state.workers_alive == 0:
        yield Finding(
            WARNING,
            "worker",
            _("Tidak ada pekerja latar yang hidup: jalankan satupintu-worker.service."),
        )
    else:
        yield Finding(OK, "worker", _("%d pekerja latar hidup.") % state.workers_alive)


def _files():
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"] and not manifest.exists():
        yield Finding(
            ERROR, "static", _("Berkas statis belum dikumpulkan: jalankan `satupintu upgrade`.")
        )
    media = Path(settings.MEDIA_ROOT).resolve()
    for name in ("reporting_files", "datacatalog_files"):
        location = Path(settings.STORAGES[name]["OPTIONS"]["location"]).resolve()
        if location == media or media in location.parents:
            yield Finding(
                ERROR,
                "files",
                _("Penyimpanan privat %s berada di dalam MEDIA_ROOT yang dilayani publik.") % name,
            )
        if location.exists() and stat.S_IMODE(location.stat().st_mode) & 0o007:
            yield Finding(
                WARNING,
                "files",
                _("Folder %s dapat dibaca pengguna lain di server (chmod o-rwx).") % location,
            )
    for folder in (media, *(Path(settings.STORAGES[n]["OPTIONS"]["location"]) for n in (
        "reporting_files", "datacatalog_files"
    ))):
        if folder.exists() and not os.access(folder, os.W_OK):
            yield Finding(ERROR, "files", _("Folder %s tidak dapat ditulisi.") % folder)
    credentials = Path(settings.DATA_DIR) / "demo-credentials.json"
    if credentials.exists():
        yield Finding(
            ERROR,
            "demo",
            _(
                "Data demo dengan kata sandi yang diketahui ada di server ini (%s): pasang ulang "
                "tanpa demo."
            )
            % credentials,
        )
    if getattr(settings, "SATUPINTU_DEMO", False):
        yield Finding(WARNING, "demo", _("SATUPINTU_DEMO=1 di server produksi."))


def _backups():
    if not getattr(settings, "SATUPINTU_BACKUP_RECIPIENTS", None):
        yield Finding(
            WARNING,
            "backup",
            _(
                "SATUPINTU_BACKUP_RECIPIENTS belum diisi: cadangan terenkripsi tidak dapat dibuat "
                "(lihat README, 'Backups and restore')."
            ),
        )
    folder = settings.SATUPINTU_BACKUP_DIR
    if folder:
        archives = sorted(Path(folder).glob("*.age"), key=lambda p: p.stat().st_mtime)
        if not archives:
            yield Finding(WARNING, "backup", _("Belum ada cadangan di %s.") % folder)
        else:
            age = timezone.now() - datetime.datetime.fromtimestamp(
                archives[-1].stat().st_mtime, tz=datetime.UTC
            )
            if age > datetime.timedelta(hours=26):
                yield Finding(
                    WARNING,
                    "backup",
                    _("Cadangan terakhir berumur %d jam.") % (age.total_seconds() // 3600),
                )
            else:
                yield Finding(OK, "backup", _("Cadangan terakhir: %s.") % archives[-1].name)


def _surroundings():
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        yield Finding(
            WARNING,
            "frontend-cache",
            _(
                "SATUPINTU_FRONTEND_CACHE_URL belum diisi: cache mikro nginx tidak dibersihkan "
                "saat terbit (halaman lama tampil sampai kedaluwarsa)."
            ),
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        yield Finding(
            WARNING, "email", _("DEFAULT_FROM_EMAIL masih noreply@localhost: surel akan ditolak.")
        )
    if any(n.prefixlen == 0 for n in settings.SATUPINTU_METRICS_ALLOW):
        yield Finding(ERROR, "metrics", _("SATUPINTU_METRICS_ALLOW membuka /metrics untuk semua."))
    if os.environ.get("LOG_LEVEL", "INFO").upper() == "DEBUG":
        yield Finding(WARNING, "logs", _("LOG_LEVEL=DEBUG menulis terlalu banyak ke log."))


SECTIONS = (
    _settings_module,
    _signing_key,
    _django_deploy_checks,
    _database,
    _caches,
    _worker,
    _files,
    _backups,
    _surroundings,
)


def run() -> list[Finding]:
    findings = []
    for section in SECTIONS:
        findings.extend(section())
    return findings
