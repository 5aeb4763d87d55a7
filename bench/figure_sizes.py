"""How big the cached figures are (duban/figure_cache.py), pickled as the shared cache stores them:
a benchmark, not a test. Fills a SQLite database with generate_scale_data (the province's 2,000
units; fewer projects and households by default, which the figures' size does not depend on: they
hold units, targets and indicators), asks for the big screen, and for the campaign page and
league table of the campaign with the most targets, then prints each cached entry's pickle
size, its zlib size, and the time to encode and decode it.

    .venv/bin/python bench/figure_sizes.py
    .venv/bin/python bench/figure_sizes.py --households 1000000 --projects 50000 --weeks 260
"""

import argparse
import pickle
import time
import zlib

from django_setup import setup


def province_wide_campaign():
    """A campaign with a target on every command post and village of the province, for every
    indicator of the scale data (the biggest figures a campaign can have), with a report per unit."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from campaigns.models import Campaign, Indicator, Target
    from duban import periods
    from org.models import OrgUnit
    from reports.models import ReportValue, WeeklyReport

    today = timezone.localdate()
    zone = OrgUnit.objects.filter(parent=None).order_by("pk").first()
    units = list(OrgUnit.objects.exclude(kind=OrgUnit.Kind.ZONE))
    indicators = list(Indicator.objects.all()[:3])
    campaign = Campaign.objects.create(
        name="全省攻坚行动", owner=zone, start=today - timedelta(days=60), end=today + timedelta(days=60)
    )
    Target.objects.bulk_create(
        [Target(campaign=campaign, unit=u, indicator=i, amount=100) for u in units for i in indicators]
    )
    week = periods.current_week()
    have = set(WeeklyReport.objects.filter(week_end=week.end).values_list("unit_id", flat=True))
    reports = WeeklyReport.objects.bulk_create(
        [
            WeeklyReport(unit=u, week_end=week.end, status=WeeklyReport.Status.SUBMITTED, progress_text="进展")
            for u in units
            if u.pk not in have
        ]
    )
    ReportValue.objects.bulk_create(
        [ReportValue(report=r, indicator=i, amount=Decimal(7)) for r in reports for i in indicators],
        ignore_conflicts=True,
    )
    return campaign


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=26)
    args = parser.parse_args()
    setup("duban-figure-sizes.sqlite3")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from campaigns.models import Campaign
    from duban import figure_cache

    started = time.perf_counter()
    call_command(
        "generate_scale_data",
        units=args.units,
        projects=args.projects,
        households=args.households,
        weeks=args.weeks,
    )
    print(f"generate_scale_data {vars(args)}: {time.perf_counter() - started:.0f} s")
    wide = province_wide_campaign()
    print(f"a province-wide campaign added: {wide.targets.count()} targets")
    figure_cache.clear()
    client = Client()
    client.force_login(get_user_model().objects.get(username="scale-office"))
    biggest = Campaign.objects.annotate(n=Count("targets")).order_by("-n").first()
    from django.db import DatabaseError

    from campaigns.progress import campaign_progress
    from ranking.league import league_table

    progress = campaign_progress(biggest)  # what the pages cache, asked for directly
    league_table(biggest, progress.week)
    for url in ("/screen/data.json", f"/campaigns/{biggest.pk}/", f"/campaigns/{biggest.pk}/league/"):
        try:
            status = client.get(url).status_code
        except DatabaseError as err:
            status = f"failed: {err}"
        print(f"GET {url}: {status}")
    print(f"the biggest campaign: {biggest.n} targets; {len(figure_cache._entries)} cached entries")
    print(f"{'entry':<34}{'pickle KB':>10}{'zlib KB':>9}{'ratio':>7}{'encode ms':>10}{'decode ms':>10}")
    total = packed = 0
    for key, (_stamp, value) in figure_cache._entries.items():
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        t0 = time.perf_counter()
        data = figure_cache.encode(value)
        t1 = time.perf_counter()
        figure_cache.decode(data)
        t2 = time.perf_counter()
        small = len(zlib.compress(blob, 1))
        total, packed = total + len(blob), packed + len(data)
        print(
            f"{str(key)[:33]:<34}{len(blob) / 1024:>10.1f}{small / 1024:>9.1f}{len(blob) / small:>7.1f}"
            f"{(t1 - t0) * 1000:>10.1f}{(t2 - t1) * 1000:>10.1f}"
        )
    print(f"all entries: {total / 1024:.0f} KB pickled, {packed / 1024:.0f} KB as stored (compressed above 32 KB)")


if __name__ == "__main__":
    main()
