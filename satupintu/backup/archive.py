"""One backup is one file: tar (manifest, database dump, files, embedded-mode secrets),
gzip-compressed, age-encrypted to the configured recipients.

The layout is plain on purpose: `age -d -i key.txt ARCHIVE | tar -xz` opens it with standard
tools on any machine, without this code. Everything streams (tar -> gzip -> age -> disk and
back through a pipe), so memory stays small whatever the size of the uploads.

Inside the tar, in this order:
    database/postgresql.dump or database/sqlite3.db
    files/media/..., files/reporting/..., files/datacatalog/...
    secrets/identity-keys.json, secrets/oidc-signing-key.pem, secrets/oidc-pairwise-key
        (embedded mode only: the files the running site reads its keys from)
    manifest.json (last: it holds the sha256 of everything above, computed while writing)
"""

import datetime
import gzip
import hashlib
import json
import os
import platform
import re
import secrets as random_tokens
import shutil
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from . import database
from .errors import BackupError

FORMAT = "satupintu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
CHUNK = 1 << 20
# Modes of the restored uploads and private files (see restrict_modes).
FOLDER_MODE = 0o750
FILE_MODE = 0o640
# The storages a backup carries, by their name inside the archive.
PRIVATE_STORAGES = {"reporting": "reporting_files", "datacatalog": "datacatalog_files"}
SECRET_FILES = ("identity-keys.json", "oidc-signing-key.pem", "oidc-pairwise-key")
ARCHIVE_NAME = re.compile(r"^satupintu-(?P<code>[0-9.]+|tanpa-kode)-(?P<stamp>\d{8}T\d{6}Z)\.age$")
_MEMBER = re.compile(
    r"^(?:manifest\.json|database/(?:postgresql\.dump|sqlite3\.db)"
    r"|files/(?:media|reporting|datacatalog)/.+"
    r"|secrets/(?:identity-keys\.json|oidc-signing-key\.pem|oidc-pairwise-key))$",
    re.S,
)


# --- What is backed up -----------------------------------------------------------------------
def file_roots() -> dict[str, Path]:
    """MEDIA_ROOT and the private storages, which must be folders on this machine."""
    roots = {"media": Path(settings.MEDIA_ROOT).resolve()}
    for name, alias in PRIVATE_STORAGES.items():
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            raise BackupError(
                _("Penyimpanan %(alias)s bukan folder lokal; cadangan hanya mendukung folder.")
                % {"alias": alias}
            )
        roots[name] = Path(storage.location).resolve()
    for name, root in roots.items():
        for other_name, other in roots.items():
            if name != other_name and (root == other or other in root.parents):
                raise BackupError(
                    _("Folder %(a)s dan %(b)s bertumpuk; pisahkan di pengaturan.")
                    % {"a": root, "b": other}
                )
    return roots


def secret_files() -> dict[str, Path]:
    """The embedded mode's key files, only those the running site actually reads its keys
    from: in production the keys come from the environment and are escrowed apart."""
    data_dir = Path(settings.DATA_DIR)
    found = {}
    keys = data_dir / "identity-keys.json"
    if keys.is_file():
        try:
            stored = json.loads(keys.read_text())
        except (ValueError, OSError):
            stored = {}
        if isinstance(stored, dict) and stored.get("encrypt") == list(
            settings.SATUPINTU_IDENTITY_KEYS
        ):
            found["identity-keys.json"] = keys
    signing = data_dir / "oidc-signing-key.pem"
    if signing.is_file() and signing.read_text() == settings.SATUPINTU_OIDC_PRIVATE_KEY:
        found["oidc-signing-key.pem"] = signing
    pairwise = data_dir / "oidc-pairwise-key"
    if pairwise.is_file() and pairwise.read_text().strip() == settings.SATUPINTU_OIDC_PAIRWISE_KEY:
        found["oidc-pairwise-key"] = pairwise
    return found


def _walk(root: Path, exclude: list[Path]):
    """Regular files under root in a stable order; symbolic links are not followed."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not (here / name).is_symlink() and (here / name).resolve() not in exclude
        )
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def applied_migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    by_app: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        by_app.setdefault(app, []).append(name)
    return by_app


def regency_code() -> str:
    from satupintu.regency.models import RegencySettings

    code = RegencySettings.load().kemendagri_code or ""
    return code if re.fullmatch(r"[0-9]{2}(\.[0-9]{2})?", code) else "tanpa-kode"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Streams ---------------------------------------------------------------------------------
class _HashingWriter:
    """What pyrage writes, hashed on the way to the disk: the .sha256 costs no second read."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self):
        self.raw.flush()


class _HashingReader:
    """Reads at most `limit` bytes of a file that may still be growing, hashing them."""

    def __init__(self, raw, limit):
        self.raw = raw
        self.remaining = limit
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self.raw.read(size)
        self.remaining -= len(data)
        self.digest.update(data)
        return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- Backup ----------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    files: int
    file_bytes: int
    database_bytes: int
    seconds: float
    pruned: list[Path] = field(default_factory=list)


def archive_name(code: str, created: datetime.datetime) -> str:
    return f"satupintu-{code}-{created:%Y%m%dT%H%M%SZ}.age"


def create_backup(directory, keep: int, now: datetime.datetime | None = None) -> BackupResult:
    started = time.monotonic()
    recipients = _recipients()
    if keep < 1:
        raise BackupError(_("--keep harus paling sedikit 1."))
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    created = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    code = regency_code()
    name = archive_name(code, created)
    final = directory / name
    if final.exists():
        raise BackupError(_("Arsip %(name)s sudah ada.") % {"name": name})
    roots = file_roots()
    # The plaintext dump waits in a private folder beside the archives (where space was planned
    # for backups, unlike a small /tmp) and is deleted as soon as it is in the archive.
    work = Path(tempfile.mkdtemp(prefix=".satupintu-backup-", dir=directory))
    partial = directory / f".{name}.{random_tokens.token_hex(4)}.partial"
    try:
        dump_path = work / "database"
        database.dump(dump_path)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "regency_code": code,
            "satupintu_version": _version("satupintu"),
            "python_version": platform.python_version(),
            "django_version": _version("django"),
            "wagtail_version": _version("wagtail"),
            "database": {
                "vendor": database.vendor(),
                "server_version": database.server_version(),
                "dump": database.dump_name(),
            },
            "migrations": applied_migrations(),
            "storages": sorted(roots),
            "files": [],
        }
        counts = {"files": 0, "file_bytes": 0}

        def produce(tar):
            _add(tar, dump_path, database.dump_name(), manifest, mode=0o600)
            for storage, root in roots.items():
                for path, relative in _walk(root, exclude=[directory, work]):
                    entry = _add(tar, path, f"files/{storage}/{relative}", manifest)
                    if entry:
                        counts["files"] += 1
                        counts["file_bytes"] += entry["size"]
            for secret, path in secret_files().items():
                _add(tar, path, f"secrets/{secret}", manifest, mode=0o600)
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(created.timestamp()), 0o600
            tar.addfile(info, _BytesReader(body))

        with open(partial, "xb") as raw:
            os.fchmod(raw.fileno(), 0o600)
            writer = _HashingWriter(raw)
            _encrypt(produce, writer, recipients)
            raw.flush()
            os.fsync(raw.fileno())
        database_bytes = dump_path.stat().st_size
        if final.exists():
            raise BackupError(_("Arsip %(name)s sudah ada.") % {"name": name})
        os.rename(partial, final)
        digest = writer.digest.hexdigest()
        checksum = directory / f"{name}.sha256"
        partial_sum = directory / f".{name}.sha256.partial"
        with open(partial_sum, "w") as handle:
            handle.write(f"{digest}  {name}\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial_sum, checksum)
        _fsync_dir(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    # What is on the disk now is what was written: only then may older generations go.
    if sha256_file(final) != digest or final.stat().st_size != writer.size:
        raise BackupError(
            _("Arsip yang baru ditulis tidak cocok dengan checksum-nya: %(path)s") % {"path": final}
        )
    pruned = prune(directory, code, keep)
    return BackupResult(
        path=final,
        size=writer.size,
        sha256=digest,
        files=counts["files"],
        file_bytes=counts["file_bytes"],
        database_bytes=database_bytes,
        seconds=time.monotonic() - started,
        pruned=pruned,
    )


def _recipients():
    from .keys import configured_recipients

    return configured_recipients()


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _add(tar, path: Path, name: str, manifest, mode=0o644):
    """One file into the tar and the manifest. A file that vanished since the walk is left
    out (an editor deleted it meanwhile); one that shrank makes tarfile raise."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return None
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), mode
        reader = _HashingReader(handle, stat.st_size)
        tar.addfile(info, reader)
    entry = {"path": name, "size": stat.st_size, "sha256": reader.digest.hexdigest()}
    manifest["files"].append(entry)
    return entry


def _encrypt(produce, writer, recipients) -> None:
    """tar -> gzip -> pipe in a thread; age reads the pipe and writes `writer` here."""
    read_fd, write_fd = os.pipe()
    failures = []

    def run():
        try:
            with (
                os.fdopen(write_fd, "wb") as pipe,
                gzip.GzipFile(fileobj=pipe, mode="wb", compresslevel=6, mtime=0) as compressed,
                tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                produce(tar)
        except BaseException as error:  # noqa: BLE001 (handed to the main thread)
            failures.append(error)

    thread = threading.Thread(target=run, name="satupintu-backup-tar", daemon=True)
    reader = os.fdopen(read_fd, "rb")
    thread.start()
    try:
        pyrage.encrypt_io(reader, writer, recipients)
    except pyrage.EncryptError as error:
        raise BackupError(_("Enkripsi gagal: %(error)s") % {"error": error}) from None
    finally:
        reader.close()  # a producer still writing gets BrokenPipeError and stops
        thread.join()
    if failures:
        error = failures[0]
        if isinstance(error, BackupError):
            raise error
        raise BackupError(_("Cadangan gagal: %(error)s") % {"error": error}) from error


def prune(directory: Path, code: str, keep: int) -> list[Path]:
    """Delete the oldest archives of this regency beyond `keep` (names sort by time)."""
    archives = sorted(
        path
        for path in directory.iterdir()
        if (match := ARCHIVE_NAME.match(path.name)) and match["code"] == code and path.is_file()
    )
    removed = []
    for path in archives[:-keep]:
        path.unlink()
        Path(f"{path}.sha256").unlink(missing_ok=True)
        removed.append(path)
    if removed:
        _fsync_dir(directory)
    return removed


# --- Restore ---------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    manifest: dict
    files: dict[str, int]
    file_bytes: int
    secrets: list[str]
    migrated: bool
    seconds: float


def check_checksum(archive: Path) -> str:
    checksum = Path(f"{archive}.sha256")
    if not checksum.is_file():
        raise BackupError(
            _("Berkas checksum %(path)s tidak ada: salin juga berkas .sha256 di samping arsip.")
            % {"path": checksum}
        )
    expected = checksum.read_text(encoding="ascii", errors="replace").split()
    digest = sha256_file(archive)
    if not expected or expected[0].lower() != digest:
        raise BackupError(
            _("Checksum arsip tidak cocok: arsip rusak atau diubah. Tidak ada yang dipulihkan.")
        )
    return digest


def target_contents() -> list[str]:
    """What the installation already holds that a restore would overwrite."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from satupintu.citizens.models import Citizen

    found = []
    tables = set(connection.introspection.table_names())
    user_model = get_user_model()
    if user_model._meta.db_table in tables and user_model.objects.exists():
        found.append(_("akun staf"))
    if Citizen._meta.db_table in tables and Citizen.objects.exists():
        found.append(_("akun warga"))
    # A fresh `migrate` leaves Wagtail's root and welcome page: those are not content.
    if Page._meta.db_table in tables and Page.objects.count() > 2:
        found.append(_("halaman"))
    for root in file_roots().values():
        if next(_walk(root, exclude=[]), None) is not None:
            found.append(_("berkas di %(root)s") % {"root": root})
    return found


def restore_backup(archive, identities, *, assume_yes=False, progress=None) -> RestoreResult:
    started = time.monotonic()
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BackupError(_("Arsip %(path)s tidak ada.") % {"path": archive})
    say = progress or (lambda text: None)
    check_checksum(archive)
    say(_("Checksum arsip cocok."))
    if not assume_yes:
        present = target_contents()
        if present:
            raise BackupError(
                _(
                    "Instalasi ini tidak kosong (%(what)s). Pemulihan menimpa semuanya; ulangi "
                    "dengan --yes bila memang itu maksudnya."
                )
                % {"what": ", ".join(present)}
            )
    roots = file_roots()
    token = random_tokens.token_hex(4)
    staging = {
        name: root.parent / f".{root.name}.restore-new-{token}" for name, root in roots.items()
    }
    work = Path(tempfile.mkdtemp(prefix=".satupintu-restore-", dir=Path(settings.DATA_DIR)))
    swapped: list[tuple[Path, Path | None]] = []
    try:
        for path in staging.values():
            _make_private_dirs(path.parent)
            path.mkdir(mode=FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)
        extracted = _decrypt_and_extract(archive, identities, work, staging)
        for path in staging.values():
            restrict_modes(path)
        manifest = _verify(work, extracted)
        needs_migrate = _check_versions(manifest)
        dump_path = work / manifest["database"]["dump"]
        if manifest["database"]["vendor"] != database.vendor():
            raise BackupError(
                _("Arsip berisi basis data %(archive)s, instalasi ini memakai %(here)s.")
                % {"archive": manifest["database"]["vendor"], "here": database.vendor()}
            )
        database.check_dump(dump_path)
        say(_("Arsip utuh: %(count)d berkas cocok dengan manifest.") % {"count": len(extracted)})
        # Files first, by renames that can be undone; then the database in one transaction;
        # if that fails the renames are undone and nothing has changed.
        for name, root in roots.items():
            old = root.parent / f".{root.name}.restore-old-{token}"
            if root.exists():
                os.rename(root, old)
                swapped.append((root, old))
            else:
                swapped.append((root, None))
            os.rename(staging[name], root)
        try:
            database.restore(dump_path)
        except BaseException:
            _undo(swapped)
            swapped = []
            raise
        restored_secrets = _install_secrets(work, token)
        for _root, old in swapped:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        swapped = []
        if needs_migrate:
            say(_("Arsip dari versi lebih lama: menjalankan migrate."))
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
        clear_caches()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for path in staging.values():
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
    files: dict[str, int] = dict.fromkeys(roots, 0)
    file_bytes = 0
    for entry in manifest["files"]:
        parts = entry["path"].split("/", 2)
        if parts[0] == "files":
            files[parts[1]] += 1
            file_bytes += entry["size"]
    return RestoreResult(
        manifest=manifest,
        files=files,
        file_bytes=file_bytes,
        secrets=restored_secrets,
        migrated=needs_migrate,
        seconds=time.monotonic() - started,
    )


def _make_private_dirs(path: Path) -> None:
    """The missing folders on the way to a storage (a fresh DATA_DIR has no private/), made
    FOLDER_MODE whatever the operator's umask; folders that exist are theirs and left as
    they are."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)


def restrict_modes(root: Path) -> None:
    """Restored trees get the modes the site itself gives its files (the units' UMask 0027),
    not those of the shell that ran the restore (sudo's 022 would leave the private files
    readable by every user of the server): folders 0750, files 0640. The group (nginx joins
    it to serve /media/) reads; others get nothing."""
    os.chmod(root, FOLDER_MODE)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), FOLDER_MODE)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), FILE_MODE)


def _undo(swapped):
    for root, old in reversed(swapped):
        if root.exists():
            shutil.rmtree(root, ignore_errors=True)
        if old is not None:
            os.rename(old, root)


def _destination(name: str, work: Path, staging: dict[str, Path]) -> Path:
    if not _MEMBER.match(name):
        raise BackupError(_("Arsip berisi entri tak dikenal: %(name)s") % {"name": name[:200]})
    parts = name.split("/")
    if any(part in ("", ".", "..") or "\x00" in part for part in parts):
        raise BackupError(_("Arsip berisi jalur berkas tidak sah: %(name)s") % {"name": name[:200]})
    if parts[0] == "files":
        return staging[parts[1]].joinpath(*parts[2:])
    return work.joinpath(*parts)


def _decrypt_and_extract(archive, identities, work, staging) -> dict[str, tuple[int, str]]:
    """age -> pipe in a thread; gunzip + untar here, each regular file written and hashed.
    Entries are checked by name and type: the archive is input like any other."""
    read_fd, write_fd = os.pipe()
    failures = []

    def run():
        try:
            with open(archive, "rb") as source, os.fdopen(write_fd, "wb") as pipe:
                pyrage.decrypt_io(source, pipe, identities)
        except BrokenPipeError:
            pass  # the reader stopped first; its error is the one to show
        except BaseException as error:  # noqa: BLE001 (handed to the main thread)
            failures.append(error)

    thread = threading.Thread(target=run, name="satupintu-restore-age", daemon=True)
    thread.start()
    extracted: dict[str, tuple[int, str]] = {}
    problem = None
    pipe = os.fdopen(read_fd, "rb")
    try:
        _untar(pipe, work, staging, extracted)
    except (OSError, EOFError, tarfile.TarError, gzip.BadGzipFile, ValueError) as error:
        problem = error
    finally:
        pipe.close()  # a decryption still writing gets BrokenPipeError and stops
        thread.join()
    if failures:
        raise _decrypt_error(failures[0])
    if problem is not None:
        raise BackupError(_("Arsip rusak: %(error)s") % {"error": problem})
    return extracted


def _decrypt_error(error) -> BackupError:
    if isinstance(error, pyrage.DecryptError):
        return BackupError(
            _("Arsip tidak bisa didekripsi: identitas age salah, atau arsip rusak (%(error)s).")
            % {"error": error}
        )
    # age authenticates every 64 KiB chunk: a changed byte past the header surfaces here.
    return BackupError(
        _("Arsip tidak bisa didekripsi: arsip rusak atau diubah (%(error)s).") % {"error": error}
    )


def _untar(pipe, work, staging, extracted):
    with (
        gzip.GzipFile(fileobj=pipe, mode="rb") as compressed,
        tarfile.open(fileobj=compressed, mode="r|") as tar,
    ):
        for member in tar:
            if member.isdir():
                continue
            if not member.isfile():
                raise BackupError(
                    _("Arsip berisi entri yang bukan berkas biasa: %(name)s")
                    % {"name": member.name[:200]}
                )
            if member.name in extracted:
                raise BackupError(
                    _("Arsip berisi entri ganda: %(name)s") % {"name": member.name[:200]}
                )
            if member.name == MANIFEST and member.size > MAX_MANIFEST_BYTES:
                raise BackupError(_("Manifest terlalu besar."))
            target = _destination(member.name, work, staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            digest = hashlib.sha256()
            with open(target, "xb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if member.name.startswith(("secrets/", "database/")) or member.name == MANIFEST:
                os.chmod(target, 0o600)
            os.utime(target, (member.mtime, member.mtime))
            extracted[member.name] = (member.size, digest.hexdigest())


def _verify(work: Path, extracted) -> dict:
    if MANIFEST not in extracted:
        raise BackupError(_("Arsip tidak berisi manifest.json."))
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except ValueError:
        raise BackupError(_("manifest.json tidak bisa dibaca.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Ini bukan arsip cadangan Satu Pintu."))
    if (
        not isinstance(manifest.get("format_version"), int)
        or manifest["format_version"] > FORMAT_VERSION
    ):
        raise BackupError(
            _("Arsip memakai format lebih baru (%(version)s): perbarui Satu Pintu dulu.")
            % {"version": manifest.get("format_version")}
        )
    listed = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
    present = {name: value for name, value in extracted.items() if name != MANIFEST}
    if listed.keys() != present.keys():
        raise BackupError(_("Isi arsip tidak sama dengan daftar di manifest."))
    for name, expected in listed.items():
        if present[name] != tuple(expected):
            raise BackupError(
                _("Berkas %(name)s tidak cocok dengan manifest.") % {"name": name[:200]}
            )
    if manifest.get("database", {}).get("dump") not in present:
        raise BackupError(_("Arsip tidak berisi salinan basis data."))
    return manifest


def code_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    return known


def _check_versions(manifest) -> bool:
    """Refuse an archive of newer code (its schema has migrations this code lacks); tell
    whether `migrate` must run after the restore (the archive is older)."""
    from django.apps import apps

    known = code_migrations()
    labels = {config.label for config in apps.get_app_configs()}
    archived = {
        (app, name) for app, names in manifest.get("migrations", {}).items() for name in names
    }
    unknown = sorted(
        f"{app}.{name}" for app, name in archived if app in labels and (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "Arsip dibuat oleh versi Satu Pintu yang lebih baru (%(version)s); versi ini tidak "
                "mengenal migrasi %(migrations)s. Perbarui Satu Pintu dulu, lalu pulihkan lagi."
            )
            % {"version": manifest.get("satupintu_version"), "migrations": ", ".join(unknown[:5])}
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    # Only leaf-reachable migrations of installed apps count; replaced ones are covered by
    # their squashed migration.
    needed = {key for key in loader.graph.nodes if key[0] in labels}
    return bool(needed - archived)


def _install_secrets(work: Path, token: str) -> list[str]:
    """The embedded mode's key files back into DATA_DIR. A different file already there is
    kept beside it: a key is never thrown away by a restore."""
    installed = []
    data_dir = Path(settings.DATA_DIR)
    for name in SECRET_FILES:
        source = work / "secrets" / name
        if not source.is_file():
            continue
        target = data_dir / name
        if target.exists():
            if target.read_bytes() == source.read_bytes():
                installed.append(name)
                continue
            os.rename(target, data_dir / f"{name}.before-restore-{token}")
        shutil.copyfile(source, data_dir / f".{name}.{token}")
        os.chmod(data_dir / f".{name}.{token}", 0o600)
        os.rename(data_dir / f".{name}.{token}", target)
        installed.append(name)
    return installed


def clear_caches() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    ContentType.objects.clear_cache()
