"""Fast inserts of many rows for generated data: COPY on PostgreSQL, big executemany batches on
SQLite, bulk_create elsewhere. Rows are tuples of database-ready values in `columns` order."""

from datetime import date, datetime
from decimal import Decimal

from django.db import connection

BATCH = 50_000


def insert_rows(model, columns, rows):
    """Insert the rows (any iterable, consumed once); returns how many were written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    if connection.vendor == "sqlite":
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=5_000)
    return len(objects)


def _sqlite_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
