"""Backup, wipe, restore: everything an installation holds comes back, byte for byte, and a
damaged or foreign archive changes nothing. Runs on SQLite and on PostgreSQL (pg_dump in its
own connection, hence committed data: transactional tests)."""

import copy
import datetime
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from pyrage import x25519

from satupintu.backup import archive
from satupintu.backup.errors import BackupError

BASE_TIME = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def keys(tmp_path, settings):
    """One recipient configured on the "server", its identity kept elsewhere."""
    identity = x25519.Identity.generate()
    identity_file = tmp_path / "backup-identity.txt"
    identity_file.write_text(f"# test key\n{identity}\n")
    settings.SATUPINTU_BACKUP_RECIPIENTS = str(identity.to_public())
    # Restore stages its work under DATA_DIR: a folder of this test's own, not the repo's var/.
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return identity_file


@pytest.fixture
def built(transactional_db):
    """The portal again: transactional tests flush the database."""
    import conftest

    conftest.build_portal()


def _png(colour=(200, 30, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="tugu-lamongan.png")


def _make_content():
    """Pages live and draft, staff and a citizen, datasets with their datastore tables, reports
    with an attachment, an image and a document: one of each thing a regency keeps."""
    from django.contrib.auth import get_user_model
    from wagtail.documents.models import Document

    from satupintu.citizens.testing import PEOPLE, make_citizen
    from satupintu.core.testing import add_news
    from satupintu.datacatalog.demo import seed_datasets
    from satupintu.media.models import PortalImage
    from satupintu.opd.models import OPD
    from satupintu.reporting.demo import seed_reports
    from satupintu.reporting.models import Attachment, Submission

    a, b = OPD.objects.get(slug="dinkes"), OPD.objects.get(slug="dlh")
    operator = get_user_model().objects.get(username="operator_a")
    add_news(a, "Posyandu lansia di Babat", user=operator)
    add_news(a, "Draf vaksinasi sekolah", publish=False, user=operator)
    edited = add_news(b, "Bersih sungai Bengawan Solo", user=operator)
    edited.title = "Bersih sungai Bengawan Solo (revisi belum terbit)"
    edited.save_revision(user=operator)
    citizen = make_citizen(PEOPLE["siti"], email="siti.cadangan@example.org")
    PortalImage.objects.create(
        title="Tugu", description="Tugu kota", collection=a.collection, file=_png()
    )
    Document.objects.create(
        title="Renstra",
        collection=a.collection,
        file=ContentFile(b"%PDF-1.4\n% renstra\n%%EOF\n", name="renstra.pdf"),
    )
    assert seed_datasets([a, b])
    seed_reports([a, b], today=datetime.date(2026, 5, 20))
    submission = Submission.objects.filter(opd=a).order_by("pk").first()
    content = b"foto kegiatan " * 500
    attachment = Attachment(
        submission=submission,
        field_key="dokumen",
        name="kegiatan.jpg",
        size=len(content),
        content_type="image/jpeg",
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save("kegiatan.jpg", ContentFile(content), save=True)
    return citizen


def _rows(model):
    return [
        {
            key: (str(value) if not isinstance(value, (int, float, bool, type(None))) else value)
            for key, value in row.items()
        }
        for row in model.objects.order_by("pk").values()
    ]


def _datastore():
    from satupintu.datacatalog import datastore
    from satupintu.datacatalog.models import ResourceVersion

    tables = {}
    for version in ResourceVersion.objects.filter(state=ResourceVersion.State.LOADED).order_by(
        "pk"
    ):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {datastore.table_name(version.key)} ORDER BY _id")  # noqa: S608
            tables[version.key] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return tables


def _files():
    found = {}
    for name, root in archive.file_roots().items():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[f"{name}/{path.relative_to(root)}"] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return found


def _snapshot():
    from django.contrib.auth import get_user_model
    from wagtail.documents.models import Document
    from wagtail.models import Page, Revision

    from satupintu.citizens.models import Citizen
    from satupintu.datacatalog.models import Dataset, PublishedDataset, ResourceVersion
    from satupintu.media.models import PortalImage
    from satupintu.reporting.models import Attachment, Submission, SubmissionEvent
    from satupintu.search.models import Entry

    models = [
        Page,
        Revision,
        get_user_model(),
        Citizen,
        Dataset,
        ResourceVersion,
        PublishedDataset,
        Submission,
        SubmissionEvent,
        Attachment,
        PortalImage,
        Document,
        Entry,
    ]
    return {
        "tables": {model._meta.label: _rows(model) for model in models},
        "datastore": _datastore(),
        "files": _files(),
    }


def _wipe():
    call_command("flush", interactive=False, verbosity=0)
    for root in archive.file_roots().values():
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _flip_byte(path: Path, offset: int):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _decrypted_members(path, identity_file):
    identity = x25519.Identity.from_str(identity_file.read_text().split("\n")[1])
    import pyrage

    plain = io.BytesIO()
    with open(path, "rb") as source:
        pyrage.decrypt_io(source, plain, [identity])
    plain.seek(0)
    with tarfile.open(fileobj=plain, mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_brings_everything_back(built, keys, tmp_path, settings):
    from satupintu.citizens.models import Citizen
    from satupintu.citizens.testing import PEOPLE

    citizen = _make_content()
    before = _snapshot()
    assert before["datastore"] and any(k.startswith("reporting/") for k in before["files"])
    assert any(k.startswith("datacatalog/") for k in before["files"])
    assert any(k.startswith("media/") for k in before["files"])

    out = tmp_path / "cadangan"
    call_command("backup", to=str(out), keep=3, stdout=io.StringIO())
    (made,) = out.glob("satupintu-35.24-*.age")
    assert archive.ARCHIVE_NAME.match(made.name)
    checksum = Path(f"{made}.sha256").read_text()
    assert checksum == f"{archive.sha256_file(made)}  {made.name}\n"

    members = _decrypted_members(made, keys)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["regency_code"] == "35.24"
    assert manifest["migrations"] == archive.applied_migrations()
    assert "0001_initial" in manifest["migrations"]["wagtailcore"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    for name, body in members.items():
        if name != "manifest.json":
            assert hashlib.sha256(body).hexdigest() == listed[name]["sha256"]
    # The manifest describes the archive, never the people in it.
    text = members["manifest.json"].decode()
    person = PEOPLE["siti"]
    for personal in (
        person.nik,
        person.name,
        "siti.cadangan@example.org",
        "operator_a",
        citizen.nik_hash,
        citizen.nik_encrypted,
    ):
        assert personal not in text
    # ... and the encrypted file shows nothing at all.
    raw = made.read_bytes()
    for visible in (b"Posyandu lansia", b"SQLite format", b"PGDMP", b"manifest.json"):
        assert visible not in raw

    if shutil.which("age"):  # Debian's `age` and tar open the archive without our code
        opened = subprocess.run(  # noqa: S603
            ["age", "-d", "-i", str(keys), str(made)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        with tarfile.open(fileobj=io.BytesIO(opened.stdout), mode="r:gz") as tar:
            assert tar.getnames()[-1] == "manifest.json"

    # A non-empty installation is not overwritten without --yes.
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(made), identity=str(keys), stdout=io.StringIO())
    assert _snapshot() == before

    _wipe()
    assert not Citizen.objects.exists() and not _files()
    # As on a rebuilt server: into a fresh data folder (no media/, no private/ yet), by the
    # site's user under sudo's umask 022, the root-only identity handed over on stdin.
    fresh = Path(settings.DATA_DIR)
    settings.MEDIA_ROOT = str(fresh / "media")
    moved = copy.deepcopy(settings.STORAGES)
    for name, alias in archive.PRIVATE_STORAGES.items():
        moved[alias]["OPTIONS"]["location"] = str(fresh / "private" / name)
    settings.STORAGES = moved
    output = io.StringIO()
    umask = os.umask(0o022)
    try:
        call_command(
            "restore", str(made), identity="-", stdin=io.StringIO(keys.read_text()), stdout=output
        )
    finally:
        os.umask(umask)
    assert "Selesai dalam" in output.getvalue()
    # The site's own modes (its units run with UMask 0027), not the shell's: check-deploy
    # has nothing to say about private/ being readable by other users.
    modes = {
        path.relative_to(fresh).as_posix(): (path.is_dir(), stat.S_IMODE(path.stat().st_mode))
        for path in fresh.rglob("*")
    }
    assert {"media", "private", "private/reporting", "private/datacatalog"} <= modes.keys()
    assert any(is_dir is False for is_dir, _mode in modes.values())
    wrong = {
        name: oct(mode)
        for name, (is_dir, mode) in modes.items()
        if mode != (archive.FOLDER_MODE if is_dir else archive.FILE_MODE)
    }
    assert wrong == {}

    after = _snapshot()
    for part in ("files", "datastore"):
        assert after[part] == before[part]
    for label, rows in before["tables"].items():
        assert after["tables"][label] == rows, label
    # The NIK keys still open the restored records, and sign-in lookups still find them.
    restored = Citizen.objects.by_nik(person.nik).get()
    assert restored.nik == person.nik


@pytest.mark.django_db(transaction=True)
def test_damaged_foreign_or_newer_archives_change_nothing(built, keys, tmp_path, settings):
    from satupintu.core.testing import add_news
    from satupintu.opd.models import OPD

    data_dir = settings.DATA_DIR  # where restore stages its work: empty after each attempt
    opd = OPD.objects.get(slug="dinkes")
    add_news(opd, "Berita sebelum cadangan")
    (Path(settings.MEDIA_ROOT) / "catatan.txt").write_bytes(b"isi asli\n")
    out = tmp_path / "cadangan"
    result = archive.create_backup(out, keep=5, now=BASE_TIME)
    add_news(opd, "Berita sesudah cadangan")
    before = _snapshot()

    def refused(path, identity_file=keys, match=None):
        with pytest.raises(BackupError, match=match):
            archive.restore_backup(path, archive_identities(identity_file), assume_yes=True)
        assert _snapshot() == before
        for root in archive.file_roots().values():
            assert not list(root.parent.glob(f".{root.name}.restore-*"))
        assert not list(data_dir.iterdir())

    # One flipped byte: the .sha256 no longer matches.
    tampered = tmp_path / "rusak" / result.path.name
    tampered.parent.mkdir()
    shutil.copy(result.path, tampered)
    shutil.copy(f"{result.path}.sha256", f"{tampered}.sha256")
    _flip_byte(tampered, result.size // 2)
    refused(tampered, match="Checksum")
    # The same with a matching .sha256 (someone recomputed it): age's authentication refuses.
    Path(f"{tampered}.sha256").write_text(f"{archive.sha256_file(tampered)}  {tampered.name}\n")
    refused(tampered, match="didekripsi|rusak")
    # The wrong identity opens nothing.
    stranger = tmp_path / "orang-lain.txt"
    stranger.write_text(f"{x25519.Identity.generate()}\n")
    refused(result.path, identity_file=stranger, match="identitas")
    # Without its .sha256 an archive is not trusted.
    lonely = tmp_path / "tanpa-checksum" / result.path.name
    lonely.parent.mkdir()
    shutil.copy(result.path, lonely)
    refused(lonely, match="sha256")
    # An archive made by newer code (a migration this code does not have) is refused.
    newer = _rewritten(
        result.path, keys, tmp_path / "baru", add_migration=("news", "9999_dari_masa_depan")
    )
    refused(newer, match="lebih baru")

    # A database restore that fails after the files were swapped puts the old files back.
    def broken(path):
        raise BackupError("psql gagal: simulasi")

    original_restore = archive.database.restore
    archive.database.restore = broken
    try:
        refused(result.path, match="simulasi")
    finally:
        archive.database.restore = original_restore

    # The intact archive restores the state at backup time.
    archive.restore_backup(result.path, archive_identities(keys), assume_yes=True)
    from satupintu.news.models import NewsPage

    titles = set(NewsPage.objects.values_list("title", flat=True))
    assert "Berita sebelum cadangan" in titles and "Berita sesudah cadangan" not in titles
    assert (Path(settings.MEDIA_ROOT) / "catatan.txt").read_bytes() == b"isi asli\n"


def archive_identities(path):
    from satupintu.backup.keys import read_identities

    return read_identities(path)


def _rewritten(source, identity_file, directory, add_migration):
    """The archive re-packed with one more applied migration in its manifest and re-encrypted
    to the same recipient: what a backup of a newer release would look like."""
    import pyrage

    members = _decrypted_members(source, identity_file)
    manifest = json.loads(members.pop("manifest.json"))
    app, name = add_migration
    manifest["migrations"].setdefault(app, []).append(name)
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w:gz") as tar:
        for member, body in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(member)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    identity = x25519.Identity.from_str(identity_file.read_text().split("\n")[1])
    directory.mkdir()
    target = directory / source.name
    plain.seek(0)
    with open(target, "wb") as out:
        pyrage.encrypt_io(plain, out, [identity.to_public()])
    Path(f"{target}.sha256").write_text(f"{archive.sha256_file(target)}  {target.name}\n")
    return target


@pytest.mark.django_db
def test_generations_beyond_keep_are_pruned_after_the_new_one(keys, tmp_path, monkeypatch):
    """Generations, not dumps, are the subject here: a stand-in dump keeps the test inside its
    rolled-back transaction (SQLite cannot copy a database from a connection that is writing)."""
    monkeypatch.setattr(
        archive.database, "dump", lambda target: Path(target).write_bytes(b"stand-in dump")
    )
    out = tmp_path / "cadangan"
    out.mkdir()
    other = out / "satupintu-35.25-20200101T000000Z.age"  # another regency's: not ours to prune
    other.write_bytes(b"x")
    made = []
    for hours in range(4):
        result = archive.create_backup(out, keep=2, now=BASE_TIME + datetime.timedelta(hours=hours))
        made.append(result.path)
        if hours >= 2:
            assert result.pruned == [made[hours - 2]]
    remaining = sorted(p.name for p in out.iterdir())
    assert remaining == sorted(
        [other.name] + [p.name for p in made[2:]] + [f"{p.name}.sha256" for p in made[2:]]
    )


@pytest.mark.django_db
def test_no_recipient_no_backup(tmp_path, settings, monkeypatch):
    settings.SATUPINTU_BACKUP_RECIPIENTS = ""
    monkeypatch.delenv("SATUPINTU_BACKUP_RECIPIENTS", raising=False)
    with pytest.raises(CommandError, match="SATUPINTU_BACKUP_RECIPIENTS"):
        call_command("backup", to=str(tmp_path / "cadangan"), stdout=io.StringIO())
    assert not (tmp_path / "cadangan").exists() or not any((tmp_path / "cadangan").iterdir())
    settings.SATUPINTU_BACKUP_RECIPIENTS = "age1bukankunci"
    with pytest.raises(CommandError, match="tidak sah"):
        call_command("backup", to=str(tmp_path / "cadangan"), stdout=io.StringIO())


def test_backup_key_writes_a_private_file_the_age_tool_reads(tmp_path, settings):
    out = tmp_path / "kunci-cadangan.txt"
    printed = io.StringIO()
    call_command("backup-key".replace("-", "_"), out=str(out), stdout=printed)
    assert out.stat().st_mode & 0o777 == 0o600
    text = out.read_text()
    public = text.split("# public key: ")[1].split()[0]
    secret = text.strip().splitlines()[-1]
    assert public in printed.getvalue() and secret not in printed.getvalue()
    assert str(x25519.Identity.from_str(secret).to_public()) == public
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("backup_key", out=str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak boleh"):
        call_command("backup_key", out=str(Path(settings.DATA_DIR) / "k.txt"), stdout=io.StringIO())


def test_an_archive_older_than_the_code_is_migrated_a_newer_one_refused():
    applied = {}
    for app, name in sorted(archive.code_migrations()):
        applied.setdefault(app, []).append(name)
    assert archive._check_versions({"migrations": applied}) is False
    older = {app: names[:-1] if app == "news" else names for app, names in applied.items()}
    assert archive._check_versions({"migrations": older}) is True
    newer = {**applied, "news": [*applied["news"], "9999_dari_masa_depan"]}
    with pytest.raises(BackupError, match="Perbarui Satu Pintu dulu"):
        archive._check_versions({"migrations": newer})
    # An app this code no longer has does not block a restore.
    assert (
        archive._check_versions({"migrations": {**applied, "dihapus": ["0001_initial"]}}) is False
    )


# --- The identity on standard input: `--identity - < key.txt` as root, restore as satupintu ----
def test_the_identity_can_come_from_standard_input(keys):
    from satupintu.backup.keys import read_identities

    from_file = read_identities(keys)
    from_stdin = read_identities("-", stdin=io.StringIO(keys.read_text()))
    assert [str(i) for i in from_stdin] == [str(i) for i in from_file]
    with pytest.raises(BackupError, match="masukan standar"):
        read_identities("-", stdin=io.StringIO(""))
    with pytest.raises(BackupError, match="bukan kunci age"):
        read_identities("-", stdin=io.StringIO("kata sandi saya\n"))
    # A path is read as before.
    with pytest.raises(BackupError, match="tidak bisa dibaca"):
        read_identities(keys.parent / "tidak-ada.txt")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_key_may_be_pasted_after_a_prompt(keys, capsys):
    from satupintu.backup.keys import read_identities

    (identity,) = read_identities("-", stdin=_Terminal(keys.read_text()))
    assert str(identity) in keys.read_text()
    assert "AGE-SECRET-KEY-1" in capsys.readouterr().err  # what to paste, on stderr


@pytest.mark.django_db
def test_restore_reads_sys_stdin_for_identity_dash(keys, tmp_path, monkeypatch):
    """The command's own stdin (no stream passed): the identity is read before the archive is
    looked at, so a missing archive is what stops it, not the identity."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(keys.read_text()))
    missing = tmp_path / "satupintu-35.24-20261128T093000Z.age"
    with pytest.raises(CommandError, match="tidak ada") as refused:
        call_command("restore", str(missing), "--identity", "-", stdout=io.StringIO())
    assert "identitas" not in str(refused.value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--identity - < berkas-identitas.txt"):
        call_command("restore", str(missing), "--identity", "-", stdout=io.StringIO())


def test_restored_trees_get_the_sites_modes_whatever_the_umask(tmp_path):
    umask = os.umask(0o022)
    try:
        archive._make_private_dirs(tmp_path / "data" / "private")
        root = tmp_path / "data" / "private" / "reporting"
        (root / "2026" / "05").mkdir(parents=True)
        (root / "2026" / "05" / "lampiran.pdf").write_bytes(b"%PDF")
        (root / "catatan.txt").write_bytes(b"x")
    finally:
        os.umask(umask)
    existing = tmp_path / "data"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o750  # made here: made private
    archive.restrict_modes(root)
    for path in [root, *root.rglob("*")]:
        expected = 0o750 if path.is_dir() else 0o640
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    # A folder that was already there is the operator's: left as it is.
    os.chmod(tmp_path, 0o755)  # noqa: S103 (the point of the test)
    archive._make_private_dirs(tmp_path / "lain")
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
