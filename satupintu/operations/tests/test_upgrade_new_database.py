"""`satupintu upgrade` on the real migration graph: a first install (an empty database) and a
live database whose pending migration renames a model and alters it in the same migration
(wagtailcore.0070), which once crashed the safety judgement with a KeyError."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from satupintu.operations import migration_safety
from satupintu.operations.management.commands import upgrade

WAGTAIL_RENAME = ("wagtailcore", "0070_rename_pagerevision_revision")


def _executor_of_a_new_database():
    """An executor on the test database that sees no migration applied: what `upgrade`
    finds on a first install, before `migrate` has created even django_migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.applied_migrations = {}
    return executor


@pytest.mark.django_db
def test_a_new_database_runs_every_migration_without_refusing():
    executor = _executor_of_a_new_database()
    steps = upgrade.pending(executor)
    keys = [(migration.app_label, migration.name) for migration, _p, _r in steps]
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    assert keys == [(m.app_label, m.name) for m, backwards in plan if not backwards]
    assert WAGTAIL_RENAME in keys and len(keys) > 100
    assert [problems for _m, problems, _r in steps if problems] == []


@pytest.mark.django_db
def test_upgrade_says_a_new_database_is_migrated_whole(monkeypatch, capsys):
    executor = _executor_of_a_new_database()
    real_pending = upgrade.pending
    monkeypatch.setattr(upgrade, "pending", lambda: real_pending(executor))
    monkeypatch.setattr(upgrade, "new_database", lambda: True)
    migrated = []
    real = upgrade.call_command

    def fake_call(name, *args, **kwargs):
        if name == "migrate":
            migrated.append(name)
            return None
        return real(name, *args, **kwargs)

    backups = []
    with (
        mock.patch.object(upgrade, "call_command", fake_call),
        mock.patch.object(upgrade.Command, "_backup", lambda self: backups.append(1)),
    ):
        call_command("upgrade", "--no-static", "--no-backup")  # no --yes: nothing is live
        out = capsys.readouterr().out
        assert "Basis data baru" in out and "Selesai" in out
        assert migrated == ["migrate"]
        # Without --no-backup either: a new database holds nothing to back up.
        call_command("upgrade", "--no-static")
    assert migrated == ["migrate", "migrate"] and backups == []


@pytest.mark.django_db
def test_an_installed_database_is_not_new():
    assert upgrade.new_database() is False


@pytest.mark.django_db
def test_a_live_database_behind_the_wagtail_rename_is_judged_and_refused():
    """The test database as it would be before a Wagtail upgrade to 3.0: wagtailcore.0070
    and everything that depends on it still to run, the rest applied."""
    executor = MigrationExecutor(connection)
    later = set(executor.loader.graph.backwards_plan(WAGTAIL_RENAME))
    executor.loader.applied_migrations = {
        key: applied
        for key, applied in executor.loader.applied_migrations.items()
        if key not in later
    }
    steps = upgrade.pending(executor)
    judged = {(m.app_label, m.name): (problems, reviewed) for m, problems, reviewed in steps}
    assert set(judged) == later
    problems, reviewed = judged[WAGTAIL_RENAME]
    assert any(p.startswith("RenameModel PageRevision") for p in problems) and not reviewed
    assert any(p.startswith("AlterField revision.page") for p in problems)


def test_every_migration_of_the_graph_is_judged_without_crashing():
    """The live-database judgement, run over the whole plan from zero with the state each
    migration really starts from (the state is carried forward as `migrate` does)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = []
    for target in loader.graph.leaf_nodes():
        plan.extend(n for n in loader.graph.forwards_plan(target) if n not in plan)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    judged = {}
    for key in plan:
        migration = loader.graph.nodes[key]
        judged[key] = migration_safety.problems(migration, state)
        state = migration.mutate_state(state, preserve=False)
    assert len(judged) > 100
    rename = judged[WAGTAIL_RENAME]
    assert any(p.startswith("RenameModel PageRevision") for p in rename), rename
    # Judged against the renamed model (a new column type), not skipped as unknown.
    assert any(p.startswith("AlterField revision.page") for p in rename), rename


def test_the_real_wagtail_rename_migration_is_judged_on_a_live_database():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.get_migration(*WAGTAIL_RENAME)
    before = loader.project_state(WAGTAIL_RENAME, at_end=False)
    assert ("wagtailcore", "revision") not in before.models
    found = migration_safety.problems(migration, before)
    assert any("RenameModel" in p for p in found) and any("AlterField" in p for p in found)
    assert ("wagtailcore", "revision") not in before.models  # the caller's state is untouched


def _migration(*operations):
    migration = type("Migration", (migrations.Migration,), {"operations": list(operations)})
    return migration("0099_rename_and_relabel", "news")


def test_a_rename_then_an_alter_in_one_migration_does_not_crash():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state(("news", "0003_newspage_date_index"), at_end=True)
    relabelled = state.models["news", "newspage"].fields["author_name"].clone()
    relabelled.verbose_name = "Penulis"
    rename_and_relabel = _migration(
        migrations.RenameModel("NewsPage", "Article"),
        migrations.AlterField("article", "author_name", relabelled),
    )
    found = migration_safety.problems(rename_and_relabel, state)
    # The rename breaks running code; the label change, judged on the renamed model, is free.
    assert found == ["RenameModel NewsPage: breaks the code still running during the upgrade"]
    shorter = relabelled.clone()
    shorter.max_length = 7
    rename_and_shorten = _migration(
        migrations.RenameModel("NewsPage", "Article"),
        migrations.AlterField("article", "author_name", shorter),
    )
    assert len(migration_safety.problems(rename_and_shorten, state)) == 2


def test_a_model_the_state_does_not_know_is_flagged_not_a_crash():
    alter_unknown = _migration(
        migrations.AlterField("nosuchmodel", "title", models.CharField(max_length=5))
    )
    found = migration_safety.problems(alter_unknown, ProjectState())
    assert found == ["AlterField nosuchmodel.title: may rewrite the table or take a long lock"]
