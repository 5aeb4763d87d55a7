"""Benchmark (not a test): the weekly bulletin of a campaign with 100 units and four charts.

    .venv/bin/python bench/bulletin.py               # 100 units, 26 weeks of reports, 3 indicators
    .venv/bin/python bench/bulletin.py --units 300
    DATABASE_URL=postgres://… .venv/bin/python bench/bulletin.py

Without DATABASE_URL it runs on a fresh SQLite file under /tmp. On a given database it works on
its own zone (BENCH-通报) and deletes what it made at the end. It prints the time of each step of
one bulletin (content from the data, the four charts, Word, Excel) and the total; the goal is
under 3 s for 100 units. The first document of a process pays for importing matplotlib and
python-docx; that is printed apart ("cold"), then a second build is timed ("warm").
"""

import argparse
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent
ZONE = "BENCH-通报"
GOAL_S = 3.0


def setup_django():
    setup("duban-bench-bulletin.sqlite3")


def make_campaign(n_units, n_weeks):
    from campaigns.models import Campaign, Indicator, Target, Task
    from duban import periods
    from org.models import OrgUnit
    from reports.models import ReportValue, WeeklyReport

    zone = OrgUnit.objects.create(name=ZONE, kind=OrgUnit.Kind.ZONE)
    start = date(2021, 1, 4)
    campaign = Campaign.objects.create(name="BENCH-百日攻坚", owner=zone, start=start, end=start + timedelta(days=180))
    indicators = [
        Indicator.objects.get_or_create(code=f"bench-{code}", defaults={"name": name, "unit_of_measure": uom})[0]
        for code, name, uom in (
            ("land", "交地面积", "亩"),
            ("households", "征迁户数", "户"),
            ("area", "拆除面积", "m²"),
        )
    ]
    units = [
        OrgUnit(name=f"第{n + 1}指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=zone, sort_order=n + 1)
        for n in range(n_units)
    ]
    for unit in units:
        unit.save()  # the path needs the id
    Target.objects.bulk_create(
        [
            Target(campaign=campaign, unit=u, indicator=i, amount=Decimal(1000 + 37 * n + 11 * k))
            for n, u in enumerate(units)
            for k, i in enumerate(indicators)
        ]
    )
    Task.objects.bulk_create(
        [
            Task(campaign=campaign, unit=u, title=f"任务{n}", deadline=start + timedelta(days=30))
            for n, u in enumerate(units)
        ]
    )
    weeks = periods.weeks_between(campaign.start, campaign.end)[:n_weeks]
    reports = WeeklyReport.objects.bulk_create(
        [
            WeeklyReport(
                unit=u,
                week_end=w.end,
                status=WeeklyReport.Status.SUBMITTED,
                submitted_at=w.deadline - timedelta(hours=1 + (n % 3) * 20),
                progress_text="本周推进顺利。",
            )
            for n, u in enumerate(units)
            for w in weeks
        ]
    )
    ReportValue.objects.bulk_create(
        [
            ReportValue(report=r, indicator=i, amount=Decimal(20 + (r.unit_id * 7 + k * 3 + r.week_end.day) % 40))
            for r in reports
            for k, i in enumerate(indicators)
        ],
        batch_size=5000,
    )
    return campaign, weeks[-1], indicators


def timed(label, fn, results):
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    results.append((label, elapsed))
    return value


def build_once(campaign, week):
    from bulletins import content as contents
    from bulletins import layout, render
    from bulletins.documents import weekly_document

    steps = []
    data = timed("content from the data", lambda: contents.weekly_content(campaign, week), steps)
    blocks = timed("four charts (layout)", lambda: layout.weekly_blocks(data), steps)
    heading = render.Heading("督查通报", "第1期", ZONE, date.today(), "bench")
    timed("Word", lambda: render.to_docx(heading, blocks), steps)
    timed("Excel", lambda: render.to_xlsx(heading, blocks, layout.excel_only_tables(data)), steps)
    start = time.perf_counter()
    doc = weekly_document(campaign, week)
    total = time.perf_counter() - start
    return steps, total, doc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=26)
    args = parser.parse_args()
    setup_django()
    from django.utils import translation

    from campaigns.models import Campaign, Indicator
    from org.models import OrgUnit

    translation.activate("zh-hans")
    created = time.perf_counter()
    campaign, week, indicators = make_campaign(args.units, args.weeks)
    print(f"set-up: {args.units} units × {args.weeks} weeks × 3 indicators in {time.perf_counter() - created:.1f} s")
    try:
        cold_start = time.perf_counter()
        from bulletins.documents import weekly_document

        doc = weekly_document(campaign, week)
        print(f"cold (imports of matplotlib, python-docx, openpyxl included): {time.perf_counter() - cold_start:.2f} s")
        steps, total, doc = build_once(campaign, week)
        for label, elapsed in steps:
            print(f"  {label}: {elapsed:.3f} s")
        import io

        from docx import Document

        charts = len(Document(io.BytesIO(doc.docx)).inline_shapes)
        print(
            f"bulletin for {args.units} units with {charts} charts: {total:.2f} s "
            f"(Word {len(doc.docx) // 1024} KB, Excel {len(doc.xlsx) // 1024} KB) — goal < {GOAL_S:.0f} s: "
            f"{'met' if total < GOAL_S else 'NOT met'}"
        )
    finally:
        from campaigns.models import Target, Task
        from reports.models import ReportValue, WeeklyReport

        zone = OrgUnit.objects.get(name=ZONE)
        units = zone.subtree()
        ReportValue.objects.filter(report__unit__in=units).delete()
        WeeklyReport.objects.filter(unit__in=units).delete()
        Task.objects.filter(campaign=campaign).delete()
        Target.objects.filter(campaign=campaign).delete()
        Campaign.objects.filter(pk=campaign.pk).delete()
        Indicator.objects.filter(pk__in=[i.pk for i in indicators]).delete()
        for unit in sorted(units, key=lambda u: -len(u.path)):
            unit.delete()


if __name__ == "__main__":
    main()
