"""The database side of an import: lookups that hand many values at once to the driver, and the
writes (COPY on PostgreSQL, multi-row INSERTs on SQLite)."""

import sqlite3
from contextlib import contextmanager
from operator import itemgetter

from django.db import connections, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from duban.spreadsheet import (
    PREVIEW_LIMIT,
    QUERY_CHUNK,
    Change,
)
from requisition.models import Household
from requisition.roster.columns import CHANGEABLE, COLUMNS, FIELD_COLUMNS, STORED

BATCH = 1000
ARRAY_CHUNK = 10_000  # values per = ANY(array) lookup on PostgreSQL
SQLITE_CACHE_KIB = 128 * 1024


def _chunks(items, size=QUERY_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def connection_for_write():
    return connections[router.db_for_write(Household)]


def _id_numbers_in(numbers):
    """`id_number IN (numbers)` as a filter that hands the numbers to the database driver as
    they are (checked ID numbers: digits and X).

    filter(id_number__in=…) prepares each value in Python (~4 µs each: 0.4 s for the ID numbers
    of a 100,000-row roster). PostgreSQL gets them as one text parameter split by the server
    (= ANY(string_to_array(…))): planning an IN list of 900 parameters costs it ten times more
    than the lookups, and a Python list is turned into an array value by Python code."""
    connection = connection_for_write()
    column = connection.ops.quote_name(Household._meta.get_field("id_number").column)
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(string_to_array(%s, ','))", [",".join(numbers)], output_field=BooleanField())
    sql = f"{column} IN ({', '.join(['%s'] * len(numbers))})"
    return RawSQL(sql, list(numbers), output_field=BooleanField())


def _pairs_in(pairs):
    """`(village, number) IN (pairs)`, a lookup on the (village, number) index."""
    connection = connection_for_write()
    quote = connection.ops.quote_name
    left = (
        f"({quote(Household._meta.get_field('village').column)}, {quote(Household._meta.get_field('number').column)})"
    )
    if connection.vendor == "postgresql":
        sql = f"{left} IN (SELECT * FROM unnest(%s::bigint[], %s::text[]))"
        return RawSQL(sql, [[v for v, _n in pairs], [n for _v, n in pairs]], output_field=BooleanField())
    sql = f"{left} IN (VALUES {', '.join(['(%s, %s)'] * len(pairs))})"
    return RawSQL(sql, [value for pair in pairs for value in pair], output_field=BooleanField())


def insert_fields():
    """The columns a new household is inserted with, and their defaults."""
    return [(f.attname, f.get_default()) for f in Household._meta.concrete_fields if not f.primary_key]


def _base_type(field, connection):
    """The column's type without its modifiers, as COPY's binary format names it: numeric(12, 2) → numeric."""
    return field.db_type(connection).partition("(")[0]


GROUP_TO_BE_MADE = 0  # no unit has the id 0


def _wanted(row):
    """The model values the row sets (None: leave as it is)."""
    wanted = dict(row.values)
    wanted["head_name"] = row.name
    if row.number:
        wanted["number"] = row.number
    if row.id_number:
        wanted["id_number"] = row.id_number
    if row.phone is not None:
        wanted["phone"] = row.phone
        wanted["phone_typed"] = row.phone_typed
    if row.group_id is not None:
        wanted["group_id"] = row.group_id
    elif row.group_number is not None:
        # a group to be made (in a dry run: never written): the household changes group
        wanted["group_id"] = GROUP_TO_BE_MADE
    if row.address is not None:
        wanted["address"] = row.address
    return wanted


class Writes:
    """Importer's writes (mixed into requisition.roster.importing.Importer)."""

    def _create(self, row):
        """The row's insert line (made by prepare()), counted as new."""
        result = self.result
        result.created += 1
        if len(result.changes) < PREVIEW_LIMIT:
            result.changes.append(Change(row.line, f"{row.label()}({row.number})", True, []))
        return row.insert_line

    def _line(self, row, number):
        """The row as a tuple of database-ready values, in insert_fields() order."""
        line, position = list(self.defaults), self.position
        line[position["village_id"]] = row.village_id
        line[position["number"]] = number
        line[position["head_name"]] = row.name
        if row.id_number:
            line[position["id_number"]] = row.id_number
        if row.phone is not None:
            line[position["phone"]] = row.phone
            line[position["phone_typed"]] = row.phone_typed
        if row.group_id is not None:
            line[position["group_id"]] = row.group_id
        if row.address is not None:
            line[position["address"]] = row.address
        for field, value in row.values.items():
            line[position[field]] = value
        return tuple(line)

    def _update(self, row):
        stored = dict(zip(STORED, row.existing, strict=True))
        wanted = _wanted(row)
        changed = [field for field in CHANGEABLE if field in wanted and stored[field] != wanted[field]]
        if not changed:  # as result.count counts it, without making the label it would not use
            self.result.unchanged += 1
            return
        stored.update((field, wanted[field]) for field in changed)
        pk = stored.pop("pk")
        self.changed.append(Household(pk=pk, **stored))
        self.changed_fields.update(changed)
        labels = list(dict.fromkeys(COLUMNS[FIELD_COLUMNS[field]].label for field in changed))
        self.result.count(row.line, f"{row.label()}({stored['number']})", False, labels)

    def _insert(self, rows):
        """New households, as tuples of database-ready values (str, int, Decimal, None, the time
        adapted once): COPY on PostgreSQL, multi-row INSERTs on SQLite, bulk_create elsewhere.

        Django's bulk_create prepares every value of every row through its field (24 per
        household): measured at ~9,000 rows/s on SQLite, less than half the import's target, so the
        values are prepared once here, by the import's own checks. Each statement hands the
        database many rows at once: while it works through them it holds no lock on Python, and
        the parser's thread runs (an executemany would take the lock back after every row, and
        wait for it each time)."""
        self.new += len(rows)
        connection = self.connection
        names = list(self.position)
        if connection.vendor not in ("sqlite", "postgresql"):
            Household.objects.bulk_create(
                [Household(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH
            )
            return
        # in the order of the (village, number) index: a new household then lands next to the
        # previous one in the index's pages, not on a random page
        rows.sort(key=itemgetter(self.position["village_id"], self.position["number"]))
        table = connection.ops.quote_name(Household._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(Household._meta.get_field(n).column) for n in names)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # binary: the server reads numbers, dates and times without parsing text (~25 % faster)
                sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types([_base_type(Household._meta.get_field(n), connection) for n in names])
                    for row in rows:
                        copy.write_row(row)
                return
            limit = cursor.cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            per_statement = max(1, limit // len(names))
            one = f"({', '.join(['%s'] * len(names))})"
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}"
                cursor.execute(sql, [value for row in part for value in row])

    @contextmanager
    def writing(self):
        """The database set up for the writes: on PostgreSQL the foreign-key checks of each COPY
        run as it ends (not all at commit, where nothing else could run beside them); on SQLite
        a bigger page cache (the ID-number index of a million households is ~35 MB, and a new ID
        lands on a random page of it)."""
        if self.dry_run or self.connection.vendor not in ("sqlite", "postgresql"):
            yield
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                try:
                    yield
                finally:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                return
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
            try:
                yield
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")
