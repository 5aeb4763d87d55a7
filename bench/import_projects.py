"""Benchmark (not a test): import 50,000 project-month rows with projects.excel and with
django-import-export, from the same .xlsx and the same starting state (projects present, no
monthly rows), and print rows/s and the ratio.

    .venv/bin/python bench/import_projects.py                    # 5,000 projects × 10 months
    .venv/bin/python bench/import_projects.py --projects 500     # quicker
    DATABASE_URL=postgres://… .venv/bin/python bench/import_projects.py

Without DATABASE_URL it runs on a fresh SQLite file under /tmp. On a given database it migrates,
works only on its own units and projects (codes BENCH-…) and deletes them at the end.
"""

import argparse
import random
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent
WAN = Decimal(10_000)
CENT = Decimal("0.01")


def setup_django():
    setup("duban-bench.sqlite3")


def make_projects(n_projects):
    from org.models import OrgUnit
    from projects.models import Project

    zone = OrgUnit.objects.create(name="基准测试区", kind=OrgUnit.Kind.ZONE)
    units = [
        OrgUnit.objects.create(name=f"基准{i}号指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=zone) for i in range(10)
    ]
    Project.objects.bulk_create(
        Project(
            code=f"BENCH-{i:05d}",
            name=f"基准项目{i}",
            unit=units[i % len(units)],
            total_investment=Decimal(500_000_000),
        )
        for i in range(n_projects)
    )
    return zone, units


def write_file(path, n_projects, n_months, seed=1):
    """The monthly layout, written in openpyxl's write-only mode; returns (rows, total yuan)."""
    from projects.excel import monthly_workbook

    rng = random.Random(seed)
    rows = [
        (
            f"BENCH-{i:05d}",
            f"基准项目{i}",
            f"基准{i % 10}号指挥部",
            date(2021, m, 1),
            Decimal(rng.randrange(1, 500_000_000)),
        )
        for i in range(n_projects)
        for m in range(1, n_months + 1)
    ]
    monthly_workbook(rows).save(path)
    return len(rows), sum(row[-1] for row in rows)


def reset():
    from projects.models import MonthlyInvestment

    MonthlyInvestment.objects.filter(project__code__startswith="BENCH-").delete()


def check(rows, total):
    from django.db.models import Sum

    from projects.models import MonthlyInvestment

    qs = MonthlyInvestment.objects.filter(project__code__startswith="BENCH-")
    got_rows, got_total = qs.count(), qs.aggregate(s=Sum("amount"))["s"]
    assert (got_rows, got_total) == (rows, total), (got_rows, got_total, rows, total)


def run_ours(path):
    from projects import excel

    result = excel.import_file(path, layout=excel.MONTHLY)
    assert result.ok, result.errors[:5]
    return result


def import_export_resource(bulk):
    from import_export import fields, resources, widgets

    from projects.models import MonthlyInvestment, Project

    class WanWidget(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):
            amount = super().clean(value, row, **kwargs)
            return None if amount is None else (amount * WAN).quantize(CENT)

    class MonthlyInvestmentResource(resources.ModelResource):
        project = fields.Field(
            attribute="project", column_name="项目编号", widget=widgets.ForeignKeyWidget(Project, field="code")
        )
        month = fields.Field(attribute="month", column_name="月份", widget=widgets.DateWidget(format="%Y-%m"))
        amount = fields.Field(attribute="amount", column_name="本月完成(万元)", widget=WanWidget())

        class Meta:
            model = MonthlyInvestment
            fields = ("project", "month", "amount")
            import_id_fields = ("project", "month")
            skip_unchanged = True
            use_bulk = bulk
            batch_size = 1000

    return MonthlyInvestmentResource()


def run_import_export(path, bulk):
    import tablib

    with open(path, "rb") as f:
        dataset = tablib.Dataset().load(f.read(), format="xlsx")
    result = import_export_resource(bulk).import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return result


def timed(label, fn, rows, total, results):
    reset()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    check(rows, total)
    results.append((label, seconds))
    print(f"  {label:<46} {seconds:8.2f} s {rows / seconds:10,.0f} rows/s", flush=True)
    return seconds


def cleanup(zone, units):
    from projects.models import Project

    reset()
    Project.objects.filter(code__startswith="BENCH-").delete()
    for unit in units:
        unit.delete()
    zone.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--months", type=int, default=10)
    parser.add_argument("--skip-plain", action="store_true", help="skip django-import-export without use_bulk")
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    zone, units = make_projects(args.projects)
    try:
        path = Path(tempfile.gettempdir()) / "duban-bench-monthly.xlsx"
        start = time.perf_counter()
        rows, total = write_file(path, args.projects, args.months)
        print(
            f"file: {rows:,} rows ({args.projects:,} projects × {args.months} months), {path.stat().st_size:,} bytes,"
        )
        print(f"      written in {time.perf_counter() - start:.1f} s")

        results = []
        ours = timed("projects.excel (calamine + bulk_create)", lambda: run_ours(path), rows, total, results)
        start = time.perf_counter()
        again = run_ours(path)
        print(
            f"  {'projects.excel, same file again (no change)':<46} {time.perf_counter() - start:8.2f} s"
            f"  ({again.created} created, {again.updated} updated, {again.unchanged:,} unchanged)"
        )
        bulk = timed("django-import-export, use_bulk=True", lambda: run_import_export(path, True), rows, total, results)
        plain = None
        if not args.skip_plain:
            plain = timed(
                "django-import-export, row by row", lambda: run_import_export(path, False), rows, total, results
            )

        print(f"\nours is {bulk / ours:.1f}× faster than django-import-export with use_bulk=True", end="")
        print(f", {plain / ours:.1f}× faster than row by row" if plain else "")
    finally:
        cleanup(zone, units)


if __name__ == "__main__":
    main()
