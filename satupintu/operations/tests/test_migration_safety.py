"""Every new migration of ours must be safe on a live, full database (migration_safety.py)."""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from satupintu.operations import migration_safety

# Unsafe by today's rules, written before the rules existed and applied everywhere already
# (each installation ran them on a new, empty database). Never add to this list: give the
# migration a `reviewed_unsafe = "why"` attribute instead.
GRANDFATHERED = {
    ("citizens", "0003_counter_codes"),
    ("citizens", "0004_longer_identity_source"),
    ("news", "0003_newspage_date_index"),
    ("opd", "0002_opd_uuid"),
    ("regency", "0002_region_boundary"),
    ("registry", "0002_transaction_id_not_unique"),
}


def _our_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key, migration in sorted(loader.disk_migrations.items()):
        if migration.__module__.startswith("satupintu."):
            yield key, migration, loader


@pytest.mark.parametrize("key", [key for key, _m, _l in _our_migrations()], ids=str)
def test_each_migration_is_safe_on_a_live_database(key):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.disk_migrations[key]
    found = migration_safety.problems(migration, loader.project_state(key, at_end=False))
    if key in GRANDFATHERED:
        assert found, f"{key} is safe now: remove it from GRANDFATHERED"
        return
    assert not found or migration_safety.reviewed(migration), found


def _migration(*operations, **attrs):
    body = {"operations": list(operations), **attrs}
    migration = type("Migration", (migrations.Migration,), body)
    return migration("0099_test", "news")


def test_the_rules_catch_what_locks_or_breaks_running_code():
    unsafe = _migration(
        migrations.AddIndex("newspage", models.Index(fields=["title"], name="t_idx")),
        migrations.AddField("newspage", "rank", models.IntegerField()),
        migrations.RemoveField("newspage", "intro"),
        migrations.RenameField("newspage", "body", "text"),
    )
    found = migration_safety.problems(unsafe)
    assert len(found) == 4
    assert "AddIndexConcurrently" in found[0] and "NOT NULL" in found[1]


def test_the_safe_forms_pass():
    from django.contrib.postgres.operations import AddIndexConcurrently

    safe = _migration(
        AddIndexConcurrently("newspage", models.Index(fields=["title"], name="t_idx")),
        migrations.AddField("newspage", "rank", models.IntegerField(null=True)),
        migrations.AddField("newspage", "level", models.IntegerField(default=0)),
        migrations.CreateModel("Brand", [("id", models.AutoField(primary_key=True))]),
        migrations.AddIndex("brand", models.Index(fields=["id"], name="b_idx")),
        atomic=False,
    )
    assert migration_safety.problems(safe) == []


def test_a_label_change_is_not_a_table_rewrite():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state(("news", "0003_newspage_date_index"), at_end=True)
    field = state.models["news", "newspage"].fields["author_name"].clone()
    field.verbose_name = "Penulis"
    relabel = _migration(migrations.AlterField("newspage", "author_name", field))
    assert migration_safety.problems(relabel, state) == []
    field.max_length = 7
    shorter = _migration(migrations.AlterField("newspage", "author_name", field))
    assert migration_safety.problems(shorter, state)
