from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, migrations, models
from django.test import override_settings

from satupintu.operations.management.commands import upgrade


@pytest.mark.django_db
def test_an_up_to_date_installation_upgrades_as_a_no_op(capsys):
    call_command("upgrade", "--no-static")
    out = capsys.readouterr().out
    assert "Migrasi tertunda: 0" in out and "Selesai" in out


def _fake_migration(*operations):
    migration = type("Migration", (migrations.Migration,), {"operations": list(operations)})
    return migration("0099_fake", "news")


@pytest.mark.django_db
def test_unsafe_migrations_need_yes_and_a_backup_needs_its_settings(monkeypatch, capsys):
    unsafe = _fake_migration(migrations.RemoveField("newspage", "intro"))
    monkeypatch.setattr(upgrade, "pending", lambda: [(unsafe, ["RemoveField newspage"], "")])
    with pytest.raises(CommandError, match="tidak aman"):
        call_command("upgrade", "--no-static")
    assert "RemoveField newspage" in capsys.readouterr().out
    with (
        override_settings(SATUPINTU_BACKUP_RECIPIENTS=[]),
        pytest.raises(CommandError, match="--no-backup"),
    ):
        call_command("upgrade", "--no-static", "--yes")


@pytest.mark.django_db
def test_a_migration_stuck_behind_a_lock_is_retried(monkeypatch, capsys):
    harmless = _fake_migration(migrations.AddField("newspage", "x", models.IntegerField(null=True)))
    monkeypatch.setattr(upgrade, "pending", lambda: [(harmless, [], "")])
    monkeypatch.setattr(upgrade.time, "sleep", lambda seconds: None)
    calls = []
    real = upgrade.call_command

    def fake_call(name, *args, **kwargs):
        if name == "migrate":
            calls.append(name)
            if len(calls) < 3:
                raise OperationalError("canceling statement due to lock timeout")
            return None
        return real(name, *args, **kwargs)

    with mock.patch.object(upgrade, "call_command", fake_call):
        call_command("upgrade", "--no-static", "--no-backup")
    assert len(calls) == 3
    assert capsys.readouterr().out.count("coba lagi") == 2


@pytest.mark.django_db
def test_other_database_errors_are_not_retried(monkeypatch):
    harmless = _fake_migration(migrations.AddField("newspage", "x", models.IntegerField(null=True)))
    monkeypatch.setattr(upgrade, "pending", lambda: [(harmless, [], "")])

    def broken(name, *args, **kwargs):
        raise OperationalError("disk full")

    with mock.patch.object(upgrade, "call_command", broken), pytest.raises(OperationalError):
        call_command("upgrade", "--no-static", "--no-backup")


@pytest.mark.django_db
def test_the_lock_timeout_is_set_for_the_migration_and_reset_after(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's")
    harmless = _fake_migration()
    monkeypatch.setattr(upgrade, "pending", lambda: [(harmless, [], "")])
    seen = []

    def record(name, *args, **kwargs):
        if name == "migrate":
            with connection.cursor() as cursor:
                cursor.execute("SHOW lock_timeout")
                seen.append(cursor.fetchone()[0])

    with mock.patch.object(upgrade, "call_command", record):
        call_command("upgrade", "--no-static", "--no-backup", "--lock-timeout", "3")
    assert seen == ["3s"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"
