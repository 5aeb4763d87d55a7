"""Versions of the data behind campaign figures, kept by the database itself.

Campaign progress and league tables (campaigns/progress.py, ranking/league.py) are cached; a
cached figure may be shown only while nothing it was computed from has changed. Rather than
trusting every writer (pages, the admin, the API, imports, bulk loads, restores, raw SQL) to say
so, triggers installed in the database draw a new random number (a row of dashboard_mark) on
every write to the tables of a group:

- "version:reports": weekly reports and their values;
- "version:structure": campaigns, targets, indicators and org units;
- "version:ledger": the ledgers some indicators take their figures from (households, graves,
  enterprises, projects, monthly investment, openings of the year, milestones), on update or delete — and on insert on
  PostgreSQL. Inserts into them also raise each table's highest id, which is part of the
  version: SQLite has no statement-level triggers, a row trigger on every household would slow a
  100,000-row roster import, and on SQLite (one writer at a time) a new row always has a higher id;
- "version:screen": task lists, coordination problems and economic figures, which the big screen
  counts.

A random number rather than a counter: a write rolled back (a failed request, every test) leaves
the old number, and the next write draws a new one, so a number never names two states of the
data. The trigger writes within the writer's transaction: readers see the new number exactly when
they see the new data. Triggers are (re)installed after every `migrate` (dashboard/apps.py): a
migration that rebuilds a SQLite table drops the table's triggers.
"""

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.db import connection as default_connection
from django.db import connections, router

REPORTS = "version:reports"
STRUCTURE = "version:structure"
LEDGER = "version:ledger"
SCREEN = "version:screen"
GROUPS = {
    REPORTS: ("reports.WeeklyReport", "reports.ReportValue"),
    STRUCTURE: ("campaigns.Campaign", "campaigns.Target", "campaigns.Indicator", "org.OrgUnit"),
    LEDGER: (
        "requisition.Household",
        "requisition.Grave",
        "requisition.Enterprise",
        "projects.Project",
        "projects.MonthlyInvestment",
        "projects.YearOpening",
        "projects.Milestone",
        "land.LandBatch",
        "land.Parcel",
    ),
    SCREEN: ("campaigns.Task", "problems.Problem", "economy.MonthlyFigure"),
}
ALL_EVENTS = ("insert", "update", "delete")
SQLITE_EVENTS = {REPORTS: ALL_EVENTS, STRUCTURE: ALL_EVENTS, LEDGER: ("update", "delete"), SCREEN: ALL_EVENTS}
PREFIX = "duban_version"


@dataclass(frozen=True)
class Version:
    reports: int | None  # None: no number yet (a database just flushed): then nothing is cached
    structure: int | None
    ledger: tuple  # the ledger number and each ledger table's highest id

    def stamp(self, reports=True, ledger=False):
        """The part of the version some cached data depends on: campaigns, targets and the org
        tree always; weekly reports and the ledgers when asked. None when it cannot be told."""
        if self.structure is None or (reports and self.reports is None):
            return None
        return (self.structure, self.reports if reports else None, self.ledger if ledger else None)


def _tables(group, present=None):
    tables = [apps.get_model(label)._meta.db_table for label in GROUPS[group]]
    return tables if present is None else [t for t in tables if t in present]


def read(connection=None):
    """The current Version, in one statement, read where this request reads its data (the
    replica for the reads that may lag, duban/db_router.py): a stamp and the figures cached under
    it must come from the same database, or figures a little behind would be kept under a newer
    stamp."""
    connection = connection or connections[router.db_for_read(apps.get_model("dashboard", "Mark"))]
    quote = connection.ops.quote_name
    mark = quote(apps.get_model("dashboard", "Mark")._meta.db_table)
    parts = [f"(SELECT {quote('value')} FROM {mark} WHERE {quote('name')} = %s)"] * 3
    for label in GROUPS[LEDGER]:
        model = apps.get_model(label)
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [REPORTS, STRUCTURE, LEDGER])
        row = cursor.fetchone()
    return Version(row[0], row[1], tuple(row[2:]))


# Triggers ---------------------------------------------------------------------------------------


def _name(table, event=None):
    return f"{PREFIX}_{table}" + (f"_{event}" if event else "")


def _sqlite_statements(mark, present):
    statements = []
    for group, events in SQLITE_EVENTS.items():
        upsert = (
            f"INSERT INTO {mark} (name, value, text, changed_at) "
            f"VALUES ('{group}', random(), '', strftime('%Y-%m-%d %H:%M:%f', 'now')) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at;"
        )
        for table in _tables(group, present):
            for event in events:
                name = _name(table, event)
                statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
                statements.append(f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON "{table}" BEGIN {upsert} END')
    return statements


def _postgresql_statements(mark, present):
    statements = []
    for group in GROUPS:
        function = f"{PREFIX}_{group.split(':')[1]}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {mark} (name, value, text, changed_at) "
            f"VALUES ('{group}', (random() * 9e18)::bigint, '', now()) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, changed_at = EXCLUDED.changed_at; "
            "RETURN NULL; END $$"
        )
        for table in _tables(group, present):
            statements.append(
                f'CREATE OR REPLACE TRIGGER "{_name(table)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {function}()'
            )
    return statements


def install_triggers(connection=None):
    """Create the triggers that keep the versions, on the tables there are (idempotent), then
    draw new numbers. Other databases get none: their version reads None and nothing is cached."""
    connection = connection or default_connection
    mark = apps.get_model("dashboard", "Mark")._meta.db_table
    present = set(connection.introspection.table_names())
    if mark not in present:
        return
    if connection.vendor == "sqlite":
        statements = _sqlite_statements(mark, present)
    elif connection.vendor == "postgresql":
        statements = _postgresql_statements(mark, present)
    else:
        return
    with connection.cursor() as cursor:
        for name, table in _installed(connection).items():
            if name not in expected_triggers(connection):  # a table no longer followed
                cursor.execute(
                    f'DROP TRIGGER IF EXISTS "{name}"' + (f' ON "{table}"' if connection.vendor != "sqlite" else "")
                )
        for statement in statements:
            cursor.execute(statement)
    bump(connection)


def bump(connection=None):
    """Draw new numbers for every group: whatever was cached is no longer current (as after the
    triggers are installed on a database that already held data, whose state no number names)."""
    Mark = apps.get_model("dashboard", "Mark")  # looked up by name: the table is the screen app's
    connection = connection or default_connection
    for group in GROUPS:
        Mark.objects.using(connection.alias).update_or_create(name=group, defaults={"value": secrets.randbits(62)})


def expected_triggers(connection=None):
    """The names of the triggers install_triggers makes on this database."""
    connection = connection or default_connection
    if connection.vendor == "sqlite":
        return {
            _name(table, event)
            for group, events in SQLITE_EVENTS.items()
            for table in _tables(group)
            for event in events
        }
    return {_name(table) for group in GROUPS for table in _tables(group)}


def installed_triggers(connection=None):
    """The names of this module's triggers present in the database."""
    return set(_installed(connection or default_connection))


def _installed(connection):
    """{trigger name: table} of this module's triggers in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"]
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                [PREFIX + "%"],
            )
        else:
            return {}
        return dict(cursor.fetchall())
