"""Which migration operations are unsafe on a live database, and why.

An upgrade runs migrations while the old code still serves requests (gunicorn reloads its
workers only afterwards) and while the tables are full: the search index holds a row per
published item, the datastore a row per data record. An operation is unsafe when it

- takes a lock that blocks readers for as long as it rewrites or scans a large table
  (a plain CREATE INDEX, a new unique or check constraint, a column type change), or
- breaks the old code still running (a column or table removed or renamed, a NOT NULL
  column added without a default, which the old code's INSERTs would violate).

The safe forms: `AddIndexConcurrently` in a migration with `atomic = False`; a new column
nullable or with a default; removals and renames in two releases (stop using it, then drop
it). A migration that really needs an unsafe step says why in a `reviewed_unsafe`
attribute, and `satupintu upgrade` prints it before running.
"""

from django.db import migrations, models

try:  # PostgreSQL only; SQLite installations never have large live tables to lock
    from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
except ImportError:  # pragma: no cover (psycopg is a dependency)
    AddIndexConcurrently = RemoveIndexConcurrently = ()


def _field_without_default(field) -> bool:
    return (
        not field.null
        and field.default is models.NOT_PROVIDED
        and getattr(field, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
        and not isinstance(field, models.ManyToManyField)
    )


# Field options that live only in Python: changing them alters nothing in the database.
_PYTHON_ONLY = {
    "verbose_name", "help_text", "choices", "validators", "blank", "editable", "default",
    "error_messages", "related_name", "related_query_name", "limit_choices_to", "on_delete",
    "upload_to", "storage", "to_field_name", "auto_now", "auto_now_add", "serialize",
}


def _changes_database(old, new) -> bool:
    old_path, old_args, old_kwargs = old.deconstruct()[1:]
    new_path, new_args, new_kwargs = new.deconstruct()[1:]
    if old_path != new_path:
        return True
    keys = (set(old_kwargs) | set(new_kwargs)) - _PYTHON_ONLY
    return any(old_kwargs.get(k) != new_kwargs.get(k) for k in keys)


def problems(migration, state_before=None) -> list[str]:
    """Unsafe operations of one migration, as sentences for the operator.

    `state_before` (the project state the migration starts from) lets an AlterField that
    changes only Python-side options (a label, the choices) pass as the no-op it is. The state
    is walked forward operation by operation (on a copy), so an operation sees what the earlier
    ones of the same migration made: wagtailcore.0070 renames PageRevision to Revision, then
    alters a field of `revision`, a model the state before the migration does not have. A model
    the state does not know is judged as unknown: flagged, never a crash.
    """
    if getattr(migration, "initial", False):
        return []  # it creates its tables: nothing to lock, nothing old code reads
    found = []
    created = set()
    state = state_before.clone() if state_before is not None else None
    for operation in migration.operations:
        found.extend(_judge(operation, migration.app_label, state, created))
        if state is not None:
            try:
                operation.state_forwards(migration.app_label, state)
            except Exception:  # noqa: BLE001 - judging must not stop an upgrade
                state = None  # the rest of the migration is judged without a state
    return found


def _judge(operation, app_label, state, created) -> list[str]:
    name = type(operation).__name__
    if isinstance(operation, migrations.CreateModel):
        created.add(operation.name_lower)
        return []
    model = getattr(operation, "model_name", None) or getattr(operation, "name", "")
    if str(model).lower() in created:
        return []  # a table made in this same migration is empty
    if isinstance(operation, AddIndexConcurrently | RemoveIndexConcurrently):
        return []
    if isinstance(operation, migrations.AddIndex):
        return [f"{name} {operation.index.name}: use AddIndexConcurrently (atomic=False)"]
    if isinstance(operation, migrations.AddConstraint):
        return [f"{name} {operation.constraint.name}: validates the table under lock"]
    if isinstance(operation, migrations.AddField):
        found = []
        if _field_without_default(operation.field):
            found.append(f"{name} {model}.{operation.name}: NOT NULL without a default")
        if operation.field.db_index or operation.field.unique:
            found.append(f"{name} {model}.{operation.name}: builds an index under lock")
        return found
    if isinstance(operation, migrations.AlterField):
        model_state = state.models.get((app_label, operation.model_name_lower)) if state else None
        old = model_state.fields.get(operation.name) if model_state is not None else None
        if old is not None and not _changes_database(old, operation.field):
            return []
        return [f"{name} {model}.{operation.name}: may rewrite the table or take a long lock"]
    if isinstance(
        operation,
        migrations.RemoveField
        | migrations.DeleteModel
        | migrations.RenameField
        | migrations.RenameModel
        | migrations.AlterModelTable,
    ):
        return [f"{name} {model}: breaks the code still running during the upgrade"]
    return []


def reviewed(migration) -> str:
    return getattr(migration, "reviewed_unsafe", "")
