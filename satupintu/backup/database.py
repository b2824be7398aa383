"""Dumping and restoring the database, each engine its own way.

PostgreSQL goes through pg_dump/pg_restore (custom format: compressed, restorable without our
code); SQLite through the online backup API, which copies a consistent snapshot while the site
keeps serving (WAL readers never block the writer).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from .errors import BackupError

POSTGRES_DUMP = "database/postgresql.dump"
SQLITE_DUMP = "database/sqlite3.db"

# libpq reads these from the environment; settings' OPTIONS names map onto them.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

# Before the archive's own DROP/CREATE statements, inside the same transaction: remove every
# table the archive may not know (a datastore table made after the backup, or a table that
# newer code's `migrate` created), so the restored schema is exactly the archive's and a later
# `migrate` does not trip over leftovers. Objects that belong to an extension stay.
_DROP_EVERYTHING = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT c.oid::regclass::text AS name, c.relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('public', 'datastore')
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY c.relkind = 'S'
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
      CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
        WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
      item.name);
  END LOOP;
END $$;
"""


def vendor() -> str:
    return connection.vendor


def dump_name() -> str:
    return POSTGRES_DUMP if vendor() == "postgresql" else SQLITE_DUMP


def server_version() -> str:
    if vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    return sqlite3.sqlite_version


def _program(name: str) -> str:
    """pg_dump and friends from SATUPINTU_PG_BINDIR (e.g. /usr/lib/postgresql/15/bin) when the
    server is newer than the client on PATH, else from PATH."""
    bindir = os.environ.get("SATUPINTU_PG_BINDIR", "")
    path = str(Path(bindir) / name) if bindir else shutil.which(name)
    if not path or not Path(path).is_file():
        raise BackupError(
            _(
                "Program %(name)s tidak ditemukan: pasang klien PostgreSQL "
                "(paket postgresql-client)."
            )
            % {"name": name}
        )
    return path


def libpq_environment() -> dict[str, str]:
    """The connection of the running site as libpq variables: the password travels in
    PGPASSWORD, never on a command line that `ps` shows to every user of the machine."""
    params = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            env[name] = str(params[key])
    for option, name in _LIBPQ_OPTIONS.items():
        value = (params.get("OPTIONS") or {}).get(option)
        if value:
            env[name] = str(value)
    env["PGAPPNAME"] = "satupintu-backup"
    return env


def _failed(what: str, stderr: bytes) -> BackupError:
    detail = stderr.decode("utf-8", "replace").strip()[-2000:]
    return BackupError(_("%(what)s gagal: %(detail)s") % {"what": what, "detail": detail})


def dump(target: Path) -> None:
    """Write a consistent snapshot of the whole database to `target`."""
    if vendor() == "postgresql":
        result = subprocess.run(  # noqa: S603 (fixed program, no shell, no user input)
            [_program("pg_dump"), "--format=custom", "--file", str(target)],
            env=libpq_environment(),
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise _failed("pg_dump", result.stderr)
        return
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        # Only reachable through Django's own connection (tests); SQLite refuses to copy from
        # a connection that is itself writing, and would retry forever.
        if connection.in_atomic_block:
            raise BackupError(_("Cadangan tidak boleh berjalan di dalam transaksi."))
        connection.ensure_connection()
        source = connection.connection
    else:
        # A connection of our own: whatever the caller's connection is doing cannot block it.
        source = sqlite3.connect(_read_only(name), uri=True, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        if source is not connection.connection:
            source.close()


def check_dump(path: Path) -> None:
    """Refuse a dump the engine cannot read before anything of the installation is touched."""
    if vendor() == "postgresql":
        result = subprocess.run(  # noqa: S603
            [_program("pg_restore"), "--list", str(path)],
            env=libpq_environment(),
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise _failed("pg_restore --list", result.stderr)
        return
    try:
        copy = sqlite3.connect(_read_only(path), uri=True)
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("Salinan basis data SQLite rusak: %(error)s") % {"error": error}
        ) from None
    if verdict != "ok":
        raise BackupError(_("Salinan basis data SQLite rusak: %(error)s") % {"error": verdict})


def restore(path: Path) -> None:
    """Replace the whole database with the dump, in one transaction: on any error the database
    is as it was."""
    if vendor() == "postgresql":
        _restore_postgresql(path)
    else:
        _restore_sqlite(path)


def _restore_postgresql(path: Path) -> None:
    # pg_restore renders the archive as SQL (--clean --if-exists --no-owner) and psql runs
    # it with --single-transaction after _DROP_EVERYTHING, so the drop of leftovers and the
    # restore commit together or not at all.
    connection.close()  # our own idle session must not hold locks the drops wait for
    env = libpq_environment()
    renderer = subprocess.Popen(  # noqa: S603
        [
            _program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file",
            "-",
            str(path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    runner = subprocess.Popen(  # noqa: S603
        [
            _program("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--file",
            "-",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        runner.stdin.write(_DROP_EVERYTHING.encode())
        shutil.copyfileobj(renderer.stdout, runner.stdin, 1 << 20)
        runner.stdin.close()
    except BrokenPipeError:
        pass  # psql stopped on an error: its stderr says which
    finally:
        renderer.stdout.close()
    render_error = renderer.stderr.read()
    renderer.wait()
    run_error = runner.stderr.read()
    runner.wait()
    if renderer.returncode != 0:
        runner.kill()
        raise _failed("pg_restore", render_error)
    if runner.returncode != 0:
        raise _failed("psql", run_error)


def _restore_sqlite(path: Path) -> None:
    if connection.is_in_memory_db():
        if connection.in_atomic_block:
            raise BackupError(_("Pemulihan tidak boleh berjalan di dalam transaksi."))
        connection.ensure_connection()
        target = connection.connection
    else:
        connection.close()
        target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60)
    source = sqlite3.connect(_read_only(path), uri=True)
    try:
        # One step (pages=-1): the destination is written under one lock, so readers see the
        # old database or the new one, never a mix; an error leaves the old one.
        source.backup(target)
    finally:
        source.close()
        if target is not connection.connection:
            target.close()


def _read_only(path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"
