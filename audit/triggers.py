"""Database triggers that write the audit trail, for PostgreSQL and for SQLite.

PostgreSQL: one statement-level trigger per table and operation, reading the statement's
transition tables, so a COPY of 100,000 members costs one INSERT … SELECT rather than
100,000 trigger calls. An UPDATE records only the columns that changed (before and after);
a statement that changes nothing records nothing.

SQLite (the embedded `make run` database): row-level TEMP triggers, created on every new
connection, because a trigger stored in the database file could not read the per-connection
table that holds the acting user. TEMP triggers may write to the main database.

Which tables are tracked, and how each event is filed (whose history tab shows it, which
organization it belongs to), is the TRACKED list below: the one place to change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tracked:
    model: str  # "app_label.ModelName"
    subject: str  # whose history tab shows the event
    subject_key: str  # the column holding that subject's id
    scope: tuple[str, ...] = ()  # columns naming the organization; the first that is set wins
    ignored: tuple[str, ...] = ()  # bookkeeping columns: not recorded, and a change to them alone is no event


TRACKED = (
    # treebeard keeps a child count on the parent: adding a branch is not an edit of its district.
    Tracked("organizations.Organization", "organization", "id", ("id",), ("numchild",)),
    Tracked("organizations.Assignment", "organization", "organization_id", ("organization_id",)),
    Tracked("organizations.Workplace", "workplace", "id", ("branch_id", "upper_union_id"), ("updated_at",)),
    Tracked("members.Member", "member", "id", ("branch_id",), ("updated_at",)),
    Tracked("members.MemberRole", "member", "member_id", ("branch_id",)),
    Tracked("members.Training", "member", "member_id"),
    # Membership periods are not tracked: they are themselves the dated history of a member,
    # written only together with a change of the member row, which is tracked.
    Tracked("indicators.DataValue", "datavalue", "id", ("organization_id",), ("version", "updated_at")),
    # A body's record of a qualitative task and its evidence files: in the body's history.
    Tracked("indicators.TaskReport", "taskreport", "id", ("organization_id",), ("version", "updated_at")),
    Tracked("indicators.TaskEvidence", "taskreport", "report_id"),
    # A confirmation of a data-quality warning: who vouched for a flagged figure, and why.
    Tracked("indicators.QualityConfirmation", "organization", "organization_id", ("organization_id",)),
    # A submission's moves (submitted, returned, accepted, reopened), in the body's history: through the
    # pages or the API (the context says which, and the API's token by name).
    Tracked("indicators.Submission", "organization", "organization_id", ("organization_id",), ("updated_at",)),
    Tracked("indicators.Target", "indicator", "indicator_id", ("organization_id",)),
    Tracked("indicators.Indicator", "program", "program_id"),
    Tracked("programs.Program", "program", "id", ("issuer_id",)),
    Tracked("reports.ReportNarrative", "narrative", "id", ("organization_id",)),
    # A reminder sent with "Nhắc": in the history of the body reminded.
    Tracked("notifications.Reminder", "organization", "organization_id", ("organization_id",)),
    # A webhook set up or changed by the administrator, in the history of its body. The secret is
    # never copied into the trail: a change of it alone is no event (the delivery log shows its use).
    Tracked("notifications.Webhook", "organization", "organization_id", ("organization_id",), ("secret",)),
    # A report's file asked for (on the page or through the API, whose token the context names): in the
    # body's history. Its making (status, progress, path, size) is the job's bookkeeping, no event.
    Tracked(
        "reports.ReportFile",
        "organization",
        "organization_id",
        ("organization_id",),
        ("status", "path", "size", "message", "finished_at", "queued_at", "heartbeat_at"),
    ),
    Tracked("reports.EditedSection", "report_section", "id", ("organization_id",), ("version", "draft", "edited_at")),
)

EVENT_TABLE = "audit_auditevent"
EVENT_COLUMNS = "at, actor_id, context, table_name, action, row_id, subject, subject_id, organization_id, before, after"


def tracked_tables() -> dict[str, Tracked]:
    return {apps.get_model(item.model)._meta.db_table: item for item in TRACKED}


# --- PostgreSQL -----------------------------------------------------------------------------

# The SQL below is built from constants of this module and model metadata, never from input.
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_actor bigint := NULLIF(current_setting('unionportal.actor', true), '')::bigint;
    v_context text := COALESCE(current_setting('unionportal.context', true), '');
    v_subject text := TG_ARGV[0];
    v_subject_key text := TG_ARGV[1];
    v_scope text[] := string_to_array(TG_ARGV[2], ',');
    v_ignored text[] := string_to_array(TG_ARGV[3], ',');
BEGIN
    IF current_setting('unionportal.audit', true) = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {EVENT_TABLE} ({EVENT_COLUMNS})
        SELECT now(), v_actor, v_context, TG_TABLE_NAME, 'create', (r->>'id')::bigint, v_subject,
               (r->>v_subject_key)::bigint, COALESCE((r->>v_scope[1])::bigint, (r->>v_scope[2])::bigint),
               NULL, r
        FROM (SELECT to_jsonb(n) - v_ignored AS r FROM new_rows n OFFSET 0) AS rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {EVENT_TABLE} ({EVENT_COLUMNS})
        SELECT now(), v_actor, v_context, TG_TABLE_NAME, 'update', (n->>'id')::bigint, v_subject,
               (n->>v_subject_key)::bigint, COALESCE((n->>v_scope[1])::bigint, (n->>v_scope[2])::bigint),
               (SELECT jsonb_object_agg(key, value) FROM jsonb_each(o) WHERE n->key IS DISTINCT FROM value),
               (SELECT jsonb_object_agg(key, value) FROM jsonb_each(n) WHERE o->key IS DISTINCT FROM value)
        FROM (
            SELECT to_jsonb(ot) - v_ignored AS o, to_jsonb(nt) - v_ignored AS n
            FROM old_rows ot JOIN new_rows nt ON nt.id = ot.id
            OFFSET 0
        ) AS pairs
        WHERE o IS DISTINCT FROM n;
    ELSE
        INSERT INTO {EVENT_TABLE} ({EVENT_COLUMNS})
        SELECT now(), v_actor, v_context, TG_TABLE_NAME, 'delete', (r->>'id')::bigint, v_subject,
               (r->>v_subject_key)::bigint, COALESCE((r->>v_scope[1])::bigint, (r->>v_scope[2])::bigint),
               r, NULL
        FROM (SELECT to_jsonb(o) - v_ignored AS r FROM old_rows o OFFSET 0) AS rows;
    END IF;
    RETURN NULL;
END
$$;
"""  # noqa: S608

# OFFSET 0 keeps each subquery from being inlined: inlined, to_jsonb() ran once for every
# reference to its result (four times a row), which doubled the cost of a 100,000-row import.

PG_TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_postgresql(connection) -> None:
    existing = set(connection.introspection.table_names())
    if EVENT_TABLE not in existing:
        return
    statements = [PG_FUNCTION]
    for table, item in tracked_tables().items():
        if table not in existing:
            continue
        arguments = ", ".join(
            _pg_literal(value)
            for value in (item.subject, item.subject_key, ",".join(item.scope), ",".join(item.ignored))
        )
        for operation, transition in PG_TRANSITIONS.items():
            statements.append(
                f"CREATE OR REPLACE TRIGGER audit_{operation} AFTER {operation.upper()} ON {table} "
                f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION audit_capture({arguments})"
            )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- SQLite ---------------------------------------------------------------------------------

SQLITE_CONTEXT = """
CREATE TEMP TABLE IF NOT EXISTS audit_context_ (
    k INTEGER PRIMARY KEY CHECK (k = 1), actor INTEGER, context TEXT NOT NULL DEFAULT '', paused INTEGER NOT NULL DEFAULT 0
)
"""


def _sqlite_row(prefix: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{column}', {prefix}.\"{column}\"" for column in columns) + ")"


def _sqlite_changed(this: str, other: str, columns: list[str]) -> str:
    """The columns of the row `this` whose value differs in `other`, as a JSON object: what PostgreSQL's
    trigger records of an update (the values before, or after), not the whole row."""
    return (
        f"(SELECT json_group_object(a.key, a.value) FROM json_each({_sqlite_row(this, columns)}) a "  # noqa: S608 - model metadata only
        f"JOIN json_each({_sqlite_row(other, columns)}) b ON b.key = a.key WHERE a.value IS NOT b.value)"
    )


def _sqlite_triggers(table: str, item: Tracked) -> list[str]:
    model = apps.get_model(item.model)
    columns = [field.column for field in model._meta.concrete_fields if field.column not in item.ignored]

    def scope(prefix: str) -> str:
        if not item.scope:
            return "NULL"
        return "COALESCE(" + ", ".join(f'{prefix}."{column}"' for column in item.scope) + ", NULL)"

    def insert(action: str, prefix: str, before: str, after: str) -> str:
        return (
            f"INSERT INTO {EVENT_TABLE} ({EVENT_COLUMNS}) "  # noqa: S608 - constants and model metadata only
            f"SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), actor, context, '{table}', '{action}', {prefix}.id, "
            f"'{item.subject}', {prefix}.\"{item.subject_key}\", {scope(prefix)}, {before}, {after} "
            "FROM audit_context_ WHERE k = 1;"
        )

    active = "(SELECT paused FROM audit_context_ WHERE k = 1) = 0"
    changed = " OR ".join(f'OLD."{column}" IS NOT NEW."{column}"' for column in columns)
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS audit_{table}_insert AFTER INSERT ON {table} WHEN {active} "
        f"BEGIN {insert('create', 'NEW', 'NULL', _sqlite_row('NEW', columns))} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS audit_{table}_update AFTER UPDATE ON {table} WHEN {active} AND ({changed}) "
        f"BEGIN {insert('update', 'NEW', _sqlite_changed('OLD', 'NEW', columns), _sqlite_changed('NEW', 'OLD', columns))} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS audit_{table}_delete AFTER DELETE ON {table} WHEN {active} "
        f"BEGIN {insert('delete', 'OLD', _sqlite_row('OLD', columns), 'NULL')} END",
    ]


def install_sqlite(connection, *, replace: bool = False) -> None:
    existing = set(connection.introspection.table_names())
    tables = {table: item for table, item in tracked_tables().items() if table in existing}
    if EVENT_TABLE not in existing or not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_CONTEXT)
        cursor.execute("INSERT OR IGNORE INTO audit_context_ (k) VALUES (1)")
        for table, item in tables.items():
            for statement in _sqlite_triggers(table, item):
                if replace:
                    name = statement.split(" IF NOT EXISTS ", 1)[1].split(" ", 1)[0]
                    cursor.execute(f"DROP TRIGGER IF EXISTS temp.{name}")
                cursor.execute(statement)
    connection.audit_ready = True


# --- Signals --------------------------------------------------------------------------------


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    try:
        install_sqlite(connection)
    except DatabaseError:
        # A database in the middle of its migrations: post_migrate installs them afterwards.
        logger.warning("The audit triggers could not be installed on this connection yet", exc_info=True)


def on_pre_migrate(sender, using="default", **kwargs) -> None:
    """SQLite alters a table by copying it under a new name: a TEMP trigger that writes to the
    audit table would make that rename fail. Migrations run without them; post_migrate puts
    them back."""
    if sender.name != "audit":
        return
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'audit_%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS temp."{name}"')
    connection.audit_ready = False


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if sender.name != "audit":
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        install_postgresql(connection)
    elif connection.vendor == "sqlite":
        # Migrations may have rebuilt tracked tables (SQLite alters by copying): refresh the columns.
        install_sqlite(connection, replace=True)
