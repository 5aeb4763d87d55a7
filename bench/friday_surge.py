"""The Friday surge: a load script (not a test).

500 reporters submit their weekly report through the web form within 10 minutes while 50 leaders
keep the campaign page and the big screen's data open, against gunicorn on 127.0.0.1 and
PostgreSQL. It prints, per kind of request, the count, p50, p95 and max latency and the server
errors, then checks the database: every report there exactly once with the figures that were
posted — zero lost, zero duplicated.

    .venv/bin/python bench/friday_surge.py                      # 500 reporters, 50 leaders, 10 minutes
    .venv/bin/python bench/friday_surge.py --minutes 2          # the same load squeezed into 2 minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_surge .venv/bin/python bench/friday_surge.py

Everyone logs in before the surge (as on a Friday morning: sessions last the day); the log-ins
are timed and printed apart, since a password check costs ~0.3 s by design. Each reporter then,
at a random moment of the window, opens this week's report page and submits it (GET, then POST
with the form's CSRF token and version). Each leader, every 5–15 s, opens the campaign page and
asks for /screen/data.json with the ETag of the previous answer. The client is bounded asyncio
with httpx over loopback only. The script works on its own units (a zone named 负载测试区),
removes what an earlier run left, and leaves its data for inspection unless --clean.
"""

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent
ZONE_NAME = "负载测试区"
PASSWORD = "Surge-Pass-2026"
TARGET_P95_MS = 500
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FIELD = re.compile(r'name="(v_\d+)"')


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    setup()


def make_world(n_reporters, n_leaders):
    """A zone with n command posts in one campaign (two indicators), a reporter for each post and
    n leaders; returns (campaign, [(unit, username)], [leader usernames])."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from campaigns.models import Campaign, Indicator, Target
    from org.models import Membership, OrgUnit

    User = get_user_model()
    old = OrgUnit.objects.filter(name=ZONE_NAME, parent=None).first()
    if old is not None:
        clean(old)
    zone = OrgUnit.objects.create(name=ZONE_NAME, kind=OrgUnit.Kind.ZONE)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="负载测试攻坚行动", owner=zone, start=today - timedelta(days=30), end=today + timedelta(days=60)
    )
    indicators = [
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "unit_of_measure": uom})[0]
        for code, name, uom in (("surge-land", "负载交地", "亩"), ("surge-households", "负载签约", "户"))
    ]
    units = [
        OrgUnit(name=f"负载{i + 1:03d}号指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=zone, sort_order=i)
        for i in range(n_reporters)
    ]
    for unit in units:  # save() sets the materialised path
        unit.save()
    Target.objects.bulk_create(
        [Target(campaign=campaign, unit=u, indicator=ind, amount=1000) for u in units for ind in indicators]
    )
    hashed = make_password(PASSWORD)  # one hash for all: creating 550 users should not take minutes
    reporters = [User(username=f"surge-r{i + 1:03d}", password=hashed) for i in range(n_reporters)]
    leaders = [User(username=f"surge-l{i + 1:02d}", password=hashed) for i in range(n_leaders)]
    User.objects.bulk_create(reporters + leaders)
    by_name = {u.username: u for u in User.objects.filter(username__startswith="surge-")}
    Membership.objects.bulk_create(
        [
            Membership(user=by_name[r.username], unit=u, role=Membership.Role.REPORTER)
            for r, u in zip(reporters, units, strict=True)
        ]
        + [Membership(user=by_name[u.username], unit=zone, role=Membership.Role.LEADER) for u in leaders]
    )
    return campaign, list(zip(units, [r.username for r in reporters], strict=True)), [u.username for u in leaders]


def clean(zone):
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from org.models import OrgUnit
    from reports.models import WeeklyReport

    units = OrgUnit.objects.filter(path__startswith=zone.path)
    WeeklyReport.objects.filter(unit__in=units).delete()
    Campaign.objects.filter(owner__in=units).delete()
    get_user_model().objects.filter(username__startswith="surge-").delete()
    for unit in sorted(units, key=lambda u: -u.depth):
        unit.delete()


def start_server(port, workers, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "DB_CONN_MAX_AGE": "60"}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "duban.wsgi:application",
        f"--workers={workers}",
        "--threads=2",
        f"--bind=127.0.0.1:{port}",
        "--timeout=60",
        # longer than a leader's pause between requests: a browser retries a GET on a keep-alive
        # connection the server has just closed, httpx does not
        "--keep-alive=20",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


async def wait_until_up(client):
    for _ in range(100):
        try:
            if (await client.get("/login/")).status_code == 200:
                return
        except Exception:  # noqa: BLE001 - not listening yet
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


class Stats:
    def __init__(self):
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.statuses = defaultdict(lambda: defaultdict(int))

    async def timed(self, kind, call):
        start = time.perf_counter()
        try:
            response = await call
        except Exception as err:  # noqa: BLE001 - counted and reported
            self.errors[kind] += 1
            self.statuses[kind][type(err).__name__] += 1
            return None
        self.times[kind].append((time.perf_counter() - start) * 1000)
        self.statuses[kind][response.status_code] += 1
        if response.status_code >= 500:
            self.errors[kind] += 1
        return response

    def print(self, kinds):
        print(f"{'request':<28}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'5xx/fail':>10}  statuses")
        for kind in kinds:
            t = sorted(self.times[kind])
            if not t:
                print(f"{kind:<28}{0:>7}")
                continue
            p95 = t[min(len(t) - 1, int(len(t) * 0.95))]
            statuses = ", ".join(f"{k}×{v}" for k, v in sorted(self.statuses[kind].items(), key=str))
            print(
                f"{kind:<28}{len(t):>7}{statistics.median(t):>9.0f}{p95:>9.0f}{t[-1]:>9.0f}{self.errors[kind]:>10}"
                f"  {statuses}"
            )


async def log_in(httpx, base, username, stats):
    client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False)
    page = await stats.timed("log-in page (GET)", client.get("/login/"))
    token = CSRF.search(page.text).group(1)
    response = await stats.timed(
        "log-in (POST)",
        client.post("/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}),
    )
    if response is None or response.status_code != 302:
        raise SystemExit(f"{username} could not log in: {response and response.status_code}")
    return client


async def reporter(client, unit, week, delay, stats, posted):
    await asyncio.sleep(delay)
    url = f"/reports/{unit.pk}/{week.label}/"
    page = await stats.timed("report page (GET)", client.get(url))
    if page is None or page.status_code != 200:
        return
    fields = sorted(set(FIELD.findall(page.text)))
    values = {name: str(Decimal(random.randrange(1, 5000)) / 100) for name in fields}
    data = {
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "version": VERSION.search(page.text).group(1),
        "progress_text": f"{unit.name}本周完成交地和签约任务。",
        "submit": "1",
        **values,
    }
    response = await stats.timed("report submit (POST)", client.post(url, data=data))
    if response is not None and response.status_code == 302:
        posted[unit.pk] = values


async def leader(client, campaign_url, screen_url, until, stats):
    etag = None
    while time.monotonic() < until:
        await stats.timed("campaign page (GET)", client.get(campaign_url))
        if screen_url:
            headers = {"If-None-Match": etag} if etag else {}
            response = await stats.timed("screen data.json (GET)", client.get(screen_url, headers=headers))
            if response is not None and response.status_code == 200:
                etag = response.headers.get("ETag")
        await asyncio.sleep(random.uniform(5, 15))


async def run(args, campaign, reporters, leaders):
    import httpx
    from django.urls import NoReverseMatch, reverse

    from duban import periods

    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    async with httpx.AsyncClient(base_url=base) as probe:
        await wait_until_up(probe)
    semaphore = asyncio.Semaphore(args.login_concurrency)

    async def bounded_login(username):
        async with semaphore:
            return await log_in(httpx, base, username, stats)

    start = time.perf_counter()
    reporter_clients = await asyncio.gather(*(bounded_login(u) for _unit, u in reporters))
    leader_clients = await asyncio.gather(*(bounded_login(u) for u in leaders))
    print(f"{len(reporters) + len(leaders)} people logged in in {time.perf_counter() - start:.1f} s (before the surge)")

    week = periods.current_week()
    campaign_url = reverse("campaign_detail", args=[campaign.pk])
    try:
        screen_url = reverse("screen_data")
    except NoReverseMatch:
        screen_url = None
        print("the big screen's data.json is not there; leaders watch the campaign page only")
    window = args.minutes * 60
    posted = {}
    start = time.perf_counter()
    until = time.monotonic() + window
    tasks = [
        reporter(client, unit, week, random.uniform(0, window), stats, posted)
        for client, (unit, _u) in zip(reporter_clients, reporters, strict=True)
    ]
    tasks += [leader(client, campaign_url, screen_url, until, stats) for client in leader_clients]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    for client in reporter_clients + leader_clients:
        await client.aclose()
    return stats, posted, week, elapsed


def check_database(reporters, posted, week):
    from django.db.models import Count

    from reports.models import ReportValue, WeeklyReport

    units = [unit for unit, _u in reporters]
    reports = WeeklyReport.objects.filter(unit__in=units, week_end=week.end)
    submitted = reports.filter(status=WeeklyReport.Status.SUBMITTED).count()
    duplicates = reports.values("unit").annotate(n=Count("pk")).filter(n__gt=1).count()
    stored = defaultdict(dict)
    for unit_id, indicator_id, amount in ReportValue.objects.filter(report__in=reports).values_list(
        "report__unit_id", "indicator_id", "amount"
    ):
        stored[unit_id][f"v_{indicator_id}"] = amount
    wrong = sum(
        1 for unit_id, values in posted.items() if {k: Decimal(v) for k, v in values.items()} != stored.get(unit_id)
    )
    lost = len(posted) - submitted
    return submitted, duplicates, wrong, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reporters", type=int, default=500)
    parser.add_argument("--leaders", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (2 threads each)")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--login-concurrency", type=int, default=8)
    parser.add_argument("--clean", action="store_true", help="remove the script's units, users and reports at the end")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_surge")
    if database_url.startswith("postgres"):
        name = database_url.rsplit("/", 1)[1]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    setup_django(database_url)
    random.seed(7)
    campaign, reporters, leaders = make_world(args.reporters, args.leaders)
    server = start_server(args.port, args.workers, database_url)
    try:
        stats, posted, week, elapsed = asyncio.run(run(args, campaign, reporters, leaders))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"surge: {args.reporters} reporters and {args.leaders} leaders over {args.minutes:g} min "
        f"(ran {elapsed:.0f} s), gunicorn {args.workers} workers × 2 threads, {database_url.split('://')[0]}"
    )
    kinds = [
        "log-in page (GET)",
        "log-in (POST)",
        "report page (GET)",
        "report submit (POST)",
        "campaign page (GET)",
        "screen data.json (GET)",
    ]
    stats.print(kinds)
    submitted, duplicates, wrong, lost = check_database(reporters, posted, week)
    surge_kinds = kinds[2:]
    all_times = sorted(t for kind in surge_kinds for t in stats.times[kind])
    p95 = all_times[min(len(all_times) - 1, int(len(all_times) * 0.95))] if all_times else 0
    server_errors = sum(stats.errors[kind] for kind in kinds)
    print(
        f"database: {submitted} of {args.reporters} reports submitted, {lost} lost, {duplicates} duplicated, "
        f"{wrong} with figures other than those posted"
    )
    print(f"during the surge: {len(all_times)} requests, p95 {p95:.0f} ms (target < {TARGET_P95_MS} ms)")
    print(f"server errors or failed requests: {server_errors}")
    ok = submitted == args.reporters and not (lost or duplicates or wrong or server_errors) and p95 < TARGET_P95_MS
    print("RESULT: " + ("all targets met" if ok else "TARGET MISSED"))
    if args.clean:
        from org.models import OrgUnit

        clean(OrgUnit.objects.get(name=ZONE_NAME, parent=None))


if __name__ == "__main__":
    main()
