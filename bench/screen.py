"""Benchmark (not a test) of the big screen, the campaign page and the league table at province
scale: p50 and p95 over N requests each, beside the raw SQL floor of the same requests.

    DATABASE_URL=sqlite:////tmp/duban-scale.sqlite3 .venv/bin/python bench/screen.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_scale .venv/bin/python bench/screen.py
    ... bench/screen.py --generate      # first fill an empty database (generate_scale_data's defaults)

The database must hold the data of `python manage.py generate_scale_data --units 2000
--projects 50000 --households 1000000 --weeks 260` (or use --generate). Requests go through
Django's test Client in-process, logged in as the generated office user (who reads the whole
province), with DEBUG off as in production.

- data.json 200: an unconditional request with unchanged data (the parts built from the same
  data are reused: dashboard/screen_data.py); the first request after a write, which rebuilds
  them, is timed separately.
- data.json 304: what an unchanged wall costs (If-None-Match).
- campaign page, league table: a running campaign of the first zone (8 command posts).

The raw SQL floor: every SQL statement one request ran (captured), run again straight on a
cursor, without Django — the database time the request cannot go below. The figures without
the roll-ups (the tallies of a million households, the investment of fifty thousand projects,
computed by requisition/tallies.py and projects/investment.py on every request) are timed too.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150


def setup_django():
    setup(migrate=False)


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def time_requests(client, url, n, headers=None, expect=200):
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    return percentiles(samples)


def sql_floor(client, url, headers=None, runs=10):
    """The SQL one request runs, run again on a bare cursor: median total over `runs`, and
    the number of statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers=headers or {})
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    totals = []
    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        for _ in range(runs):
            started = time.perf_counter()
            for sql in statements:
                raw.execute(sql)
                if raw.description:
                    raw.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
    return statistics.median(totals), len(statements)


def naive(runs=3):
    """The headline figures computed from the ledgers on every request (what the roll-ups spare)."""
    from datetime import date

    from dashboard.rollups import investment_period
    from org.models import OrgUnit
    from projects import investment
    from projects.models import Project
    from requisition.tallies import tally_unit

    root = OrgUnit.objects.get(name="规模测试省", parent__isnull=True)
    year, month = investment_period()
    results = {}
    for name, job in (
        ("tally of 1M households (requisition/tallies.py)", lambda: tally_unit(root, date(9999, 12, 31))),
        (
            "investment of all projects (projects/investment.py)",
            lambda: investment.total(Project.objects.all(), year, month),
        ),
    ):
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            job()
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = statistics.median(samples)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--generate", action="store_true", help="run generate_scale_data first")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from campaigns.models import Campaign
    from requisition.models import Household

    call_command("migrate", verbosity=0)
    if args.generate:
        started = time.perf_counter()
        call_command("generate_scale_data")
        print(f"generate_scale_data: {time.perf_counter() - started:.0f} s")
    today = timezone.localdate()
    campaign = (
        Campaign.objects.filter(owner__name="第1开发区", start__lte=today, end__gte=today).order_by("start").first()
    )
    if campaign is None:
        sys.exit("No scale data here: run `python manage.py generate_scale_data` (or pass --generate).")
    client = Client()
    client.force_login(get_user_model().objects.get(username="scale-office"))
    print(
        f"{connection.vendor}: {Household.objects.count():,} households; campaign {campaign.pk} "
        f"({campaign.targets.count()} targets); {args.requests} requests each, after one warm-up"
    )
    first = client.get("/screen/data.json")  # warm-up: catch-up of the roll-ups, templates
    etag = first["ETag"]
    cases = [
        ("/screen/data.json (200)", "/screen/data.json", None, 200),
        ("/screen/data.json (304)", "/screen/data.json", {"If-None-Match": etag}, 304),
        ("campaign page", f"/campaigns/{campaign.pk}/", None, 200),
        ("league table", f"/campaigns/{campaign.pk}/league/", None, 200),
    ]
    print(f"{'request':28} {'p50 ms':>8} {'p95 ms':>8} {'SQL floor ms':>13} {'queries':>8} {'p50/floor':>10}")
    for label, url, headers, expect in cases:
        client.get(url, headers=headers or {})
        p50, p95 = time_requests(client, url, args.requests, headers, expect)
        floor, n = sql_floor(client, url, headers)
        verdict = "ok" if p50 < TARGET_MS and p50 <= 2 * floor else "over target"
        print(f"{label:28} {p50:8.1f} {p95:8.1f} {floor:13.1f} {n:8d} {p50 / floor:9.2f}x  {verdict}")
    from dashboard import hooks

    cold = []
    for _ in range(3):
        hooks.reports_changed()  # as when a report is submitted: every built part is stale
        started = time.perf_counter()
        assert client.get("/screen/data.json").status_code == 200
        cold.append((time.perf_counter() - started) * 1000)
    cold_ms = statistics.median(cold)
    print(f"/screen/data.json, first request after a write (rebuilds its parts, median of 3): {cold_ms:.0f} ms")
    print("without the roll-ups (median of 3):")
    for label, ms in naive().items():
        print(f"  {label:55} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
