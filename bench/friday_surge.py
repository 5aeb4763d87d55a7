"""The Friday surge of a province: a load script (not a test), against the two-server deployment
of ops/cluster.py (PostgreSQL primary and a streaming replica, Redis, two gunicorn servers, a
Celery worker).

A province's Friday: 5,000 reporters submit their weekly report through the web form within
30 minutes, 2,000 wall screens (kiosk keys) refresh /screen/data.json every 60 s, 200 leaders
browse (the campaign page, the league table, the screen's data, one every 10–30 s). That is
about 2.8 submissions a second, 33 screen refreshes a second and 10 leaders' pages a second.

This machine has two cores shared with other work, so the run is compressed in time by --scale
(default 0.1): a tenth of the people, over a tenth of the window, each acting ten times as often
(screens refresh every 6 s, leaders pause 1–3 s). The request *rates* and the mix are the
province's. --scale 1 is the real Friday.

The province is made of zones (county-sized: one per 250 command posts, --zones to change it),
each running its own campaign, with its share of the leaders (who browse their zone's campaign)
and of the walls (showing their zone). --zones 1 puts every post in one campaign: the worst case
for the leaders' pages, which then list 5,000 units each.

    .venv/bin/python bench/friday_surge.py                  # scale 0.1: 500 / 200 / 20 over 3 min
    .venv/bin/python bench/friday_surge.py --kill           # and kill one app server and the replica mid-run
    .venv/bin/python bench/friday_surge.py --scale 1        # 5,000 / 2,000 / 200 over 30 minutes

Each person is sent to one of the two servers (round robin, as a load balancer); when a server
stops answering, its people are sent to the other one (a request that failed on the dead server
is tried once on the other: a GET as is, a POST with the form's version, so it cannot count
twice). It prints, per kind of request, count, p50, p95, max and failures; then checks the
primary: every report there exactly once with the figures posted — zero lost, zero duplicated;
then the screens' staleness: a monitor asks the primary's ETag of the screen every second (pinned
to the primary), and a wall's answer is as stale as the time since the primary moved past the
ETag it got (never more than one refresh is the target).

Everyone is logged in before the surge (as on a Friday morning: sessions last the day): the
sessions are made in the session store directly, and a few real log-ins are timed apart (a
password check costs ~0.3 s by design). The script works on its own units (a zone named
负载测试区) in its own database, and leaves its data for inspection unless --clean.
"""

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops import cluster  # noqa: E402 - after the path

ZONE_NAME = "负载测试区"
PASSWORD = "Surge-Pass-2026"
TARGET_P95_MS = 1000
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FIELD = re.compile(r'name="(v_\d+)"')
POSTS_PER_ZONE = 250  # a county-sized zone: its campaign's command posts and working groups
PROVINCE = {"reporters": 5000, "screens": 2000, "leaders": 200, "minutes": 30, "refresh": 60, "pause": (10, 30)}
KINDS = [
    "report page (GET)",
    "report submit (POST)",
    "screen data.json (GET)",
    "leader: campaign page",
    "leader: league table",
    "leader: screen data.json",
]


def setup_django(env):
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DUBAN_", "DATABASE_URL", "DEBUG"))})
    os.environ.pop("DUBAN_REPLICA_URL", None)  # the script reads and checks the primary
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()


class Zone:
    """One zone of the surge: its campaign, its command posts and their reporters, its leaders
    and its walls' kiosk keys."""

    def __init__(self, unit, campaign):
        self.unit, self.campaign = unit, campaign
        self.reporters, self.leaders, self.keys = [], [], []


def make_world(n_reporters, n_leaders, n_tokens, n_zones=1):
    """`n_zones` zones, each running one campaign (two indicators) over its share of the n command
    posts, a reporter for each post, its share of the leaders and kiosk keys; returns the Zones."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from campaigns.models import Campaign, Indicator, Target
    from dashboard.models import KioskToken
    from org.models import Membership, OrgUnit

    User = get_user_model()
    for old in OrgUnit.objects.filter(name__startswith=ZONE_NAME, parent=None):
        clean(old)
    get_user_model().objects.filter(username__startswith="surge-").delete()
    today = timezone.localdate()
    indicators = [
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "unit_of_measure": uom})[0]
        for code, name, uom in (("surge-land", "负载交地", "亩"), ("surge-households", "负载签约", "户"))
    ]
    zones = []
    for z in range(n_zones):
        name = ZONE_NAME if n_zones == 1 else f"{ZONE_NAME}{z + 1:02d}"
        unit = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.ZONE)
        campaign = Campaign.objects.create(
            name=f"负载测试攻坚行动{z + 1:02d}",
            owner=unit,
            start=today - timedelta(days=30),
            end=today + timedelta(days=60),
        )
        zones.append(Zone(unit, campaign))
    posts = []
    for i in range(n_reporters):
        zone = zones[i % n_zones]
        post = OrgUnit(name=f"负载{i + 1:04d}号指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=zone.unit, sort_order=i)
        post.save()  # save() sets the materialised path
        posts.append((zone, post))
    Target.objects.bulk_create(
        [Target(campaign=z.campaign, unit=u, indicator=ind, amount=1000) for z, u in posts for ind in indicators]
    )
    hashed = make_password(PASSWORD)  # one hash for all
    reporters = [User(username=f"surge-r{i + 1:04d}", password=hashed) for i in range(n_reporters)]
    leaders = [User(username=f"surge-l{i + 1:03d}", password=hashed) for i in range(n_leaders)]
    User.objects.bulk_create(reporters + leaders)
    by_name = {u.username: u for u in User.objects.filter(username__startswith="surge-")}
    Membership.objects.bulk_create(
        [
            Membership(user=by_name[r.username], unit=u, role=Membership.Role.REPORTER)
            for r, (_z, u) in zip(reporters, posts, strict=True)
        ]
        + [
            Membership(user=by_name[u.username], unit=zones[i % n_zones].unit, role=Membership.Role.LEADER)
            for i, u in enumerate(leaders)
        ]
    )
    for r, (zone, post) in zip(reporters, posts, strict=True):
        zone.reporters.append((post, by_name[r.username]))
    for i, u in enumerate(leaders):
        zones[i % n_zones].leaders.append(by_name[u.username])
    for zone in zones:
        for i in range(max(1, n_tokens // n_zones)):
            token = KioskToken(unit=zone.unit, name=f"负载大屏{i + 1:02d}")
            zone.keys.append(token.new_key())
            token.save()
    return zones


def clean(zone):
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from dashboard.models import KioskToken
    from org.models import OrgUnit
    from reports.models import WeeklyReport

    units = OrgUnit.objects.filter(path__startswith=zone.path)
    WeeklyReport.objects.filter(unit__in=units).delete()
    Campaign.objects.filter(owner__in=units).delete()
    KioskToken.objects.filter(unit__in=units).delete()
    get_user_model().objects.filter(username__startswith="surge-").delete()
    for unit in sorted(units, key=lambda u: -u.depth):
        unit.delete()


def sessions_for(users, seconds):
    """{user pk: cookie header} of a logged-in session each, made in the session store (the
    servers' own: the database, and Redis when the cluster has it), with a CSRF cookie; each
    lasts `seconds` (a reporter who reports at the end of a 30-minute window on a busy server
    would otherwise find the site's 32-minute session gone)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(seconds)
        session.create()
        csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret the form's token is masked from
        cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookies


class Stats:
    def __init__(self):
        self.times = defaultdict(list)
        self.failures = defaultdict(int)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.by_server = defaultdict(lambda: defaultdict(int))
        self.failovers = 0

    def record(self, kind, ms, status, port):
        self.times[kind].append(ms)
        self.statuses[kind][status] += 1
        self.by_server[port][status] += 1
        if not isinstance(status, int) or status >= 500:
            self.failures[kind] += 1

    def print(self):
        print(f"{'request':<26}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'failed':>8}  statuses")
        for kind in KINDS:
            t = sorted(self.times[kind])
            if not t:
                print(f"{kind:<26}{0:>7}")
                continue
            statuses = ", ".join(f"{k}×{v}" for k, v in sorted(self.statuses[kind].items(), key=str))
            print(
                f"{kind:<26}{len(t):>7}{statistics.median(t):>9.0f}{p95(t):>9.0f}{t[-1]:>9.0f}"
                f"{self.failures[kind]:>8}  {statuses}"
            )


def p95(sorted_times):
    return sorted_times[min(len(sorted_times) - 1, int(len(sorted_times) * 0.95))] if sorted_times else 0


class Balancer:
    """Two servers; a person keeps theirs while it answers, else goes to the other one."""

    def __init__(self, httpx, ports, stats):
        # a connection for each person in flight, as their own browsers would have: requests wait
        # in the servers' queues, not in this script's pool (whose bookkeeping grows with it)
        limits = httpx.Limits(max_connections=2000, max_keepalive_connections=500)
        self.clients = {
            p: httpx.AsyncClient(base_url=f"http://127.0.0.1:{p}", timeout=60, limits=limits) for p in ports
        }
        self.ports = list(ports)
        self.dead = set()
        self.stats = stats
        self.httpx = httpx

    def pick(self, preferred):
        if preferred not in self.dead:
            return preferred
        alive = [p for p in self.ports if p not in self.dead]
        return alive[0] if alive else preferred

    async def request(self, kind, preferred, method, url, **kwargs):
        for attempt in range(2):
            port = self.pick(preferred)
            start = time.perf_counter()
            try:
                response = await self.clients[port].request(method, url, **kwargs)
            except (self.httpx.ConnectError, self.httpx.RemoteProtocolError, self.httpx.ReadError) as err:
                self.stats.record(kind, (time.perf_counter() - start) * 1000, type(err).__name__, port)
                self.dead.add(port)
                if attempt == 0 and len(self.dead) < len(self.ports):
                    self.stats.failovers += 1
                    continue
                return None
            except self.httpx.HTTPError as err:
                self.stats.record(kind, (time.perf_counter() - start) * 1000, type(err).__name__, port)
                return None
            self.stats.record(kind, (time.perf_counter() - start) * 1000, response.status_code, port)
            # Each person is a browser of their own: the cookies a response sets (the primary pin
            # after a POST) are not sent by everybody else's later requests.
            self.clients[port].cookies.clear()
            return response
        return None

    async def close(self):
        for client in self.clients.values():
            await client.aclose()


async def reporter(lb, port, cookie, unit, week, delay, posted):
    await asyncio.sleep(delay)
    url = f"/reports/{unit.pk}/{week.label}/"
    headers = {"Cookie": cookie}
    page = await lb.request("report page (GET)", port, "GET", url, headers=headers)
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
    posted[unit.pk] = values  # what this reporter sent; the database says whether it arrived
    await lb.request("report submit (POST)", port, "POST", url, data=data, headers=headers)


def done_pct(response):
    """The first campaign's progress on the screen: it only grows while reports come in."""
    try:
        return float(response.json()["campaigns"][0]["done_pct"] or 0)
    except (ValueError, KeyError, IndexError, TypeError):
        return None


async def screen(lb, port, key, refresh, until, seen):
    await asyncio.sleep(random.uniform(0, refresh))
    etag, shown = None, None
    url = f"/screen/data.json?kiosk={key}"
    while time.monotonic() < until:
        headers = {"If-None-Match": etag} if etag else {}
        start = time.monotonic()
        response = await lb.request("screen data.json (GET)", port, "GET", url, headers=headers)
        if response is not None and response.status_code == 200:
            etag, shown = response.headers.get("ETag"), done_pct(response)
        if response is not None and response.status_code in (200, 304) and shown is not None:
            seen.append((start, shown))  # a 304: the wall still shows, rightly, what it had
        await asyncio.sleep(max(0.0, refresh - (time.monotonic() - start)))


async def leader(lb, port, cookie, pages, pause, until):
    headers = {"Cookie": cookie}
    i = random.randrange(len(pages))
    while time.monotonic() < until:
        kind, url = pages[i % len(pages)]
        await lb.request(kind, port, "GET", url, headers=headers)
        i += 1
        await asyncio.sleep(random.uniform(*pause))


async def monitor(lb, port, key, until, samples, every):
    """A zone's figure on the primary's screen, every `every` s (the pin cookie keeps it off the
    replica)."""
    await asyncio.sleep(random.uniform(0, every))
    while time.monotonic() < until + 2:
        target = lb.pick(port)
        try:
            response = await lb.clients[target].get(
                f"/screen/data.json?kiosk={key}", headers={"Cookie": "duban_primary=1"}, timeout=30
            )
            if response.status_code == 200 and done_pct(response) is not None:
                # by the time the answer is back the primary showed at least this figure
                samples.append((time.monotonic(), done_pct(response)))
        except lb.httpx.HTTPError:
            pass
        await asyncio.sleep(every)


def staleness(seen, samples):
    """For each wall answer (asked at, figure shown): how long before the wall asked the primary
    had already been seen showing more (0 when no primary answer before the question was ahead).
    The primary's figure only grows during the surge, so this is a lower bound, exact to the
    monitor's interval (a tenth of the walls' refresh, at least a second, plus its own answer
    time under load)."""
    out = []
    for asked, shown in seen:
        ahead = next((t for t, value in samples if value > shown + 1e-9), None)
        out.append(max(0.0, asked - ahead) if ahead is not None and ahead < asked else 0.0)
    return out


async def run(args, plan, ports, zones, cookies):
    import httpx
    from django.urls import reverse

    from duban import periods

    stats = Stats()
    lb = Balancer(httpx, ports, stats)
    week = periods.current_week()
    window = plan["minutes"] * 60
    posted = {}
    seen = {z.unit.pk: [] for z in zones}  # per zone: (asked at, figure shown) of its walls
    samples = {z.unit.pk: [] for z in zones}  # per zone: (at, figure) of the primary
    until = time.monotonic() + window
    kill_at = window / 2 if args.kill else None
    tasks = []
    for zone in zones:
        pages = [
            ("leader: campaign page", reverse("campaign_detail", args=[zone.campaign.pk])),
            ("leader: league table", reverse("league", args=[zone.campaign.pk])),
            ("leader: screen data.json", reverse("screen_data")),
        ]
        tasks += [
            leader(lb, ports[i % 2], cookies[user.pk], pages, plan["pause"], until)
            for i, user in enumerate(zone.leaders)
        ]
        every = max(1.0, plan["refresh"] / 10)
        tasks.append(monitor(lb, ports[0], zone.keys[0], until, samples[zone.unit.pk], every))
    tasks += [
        reporter(lb, ports[i % 2], cookies[user.pk], unit, week, random.uniform(0, window), posted)
        for i, (unit, user) in enumerate(r for z in zones for r in z.reporters)
    ]
    for i in range(plan["screens"]):
        zone = zones[i % len(zones)]
        key = zone.keys[(i // len(zones)) % len(zone.keys)]
        tasks.append(screen(lb, ports[i % 2], key, plan["refresh"], until, seen[zone.unit.pk]))
    kill_report = {}
    if kill_at is not None:
        tasks.append(killer(args, ports, kill_at, kill_report, stats))
    start = time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    after = {}
    if kill_at is not None:  # what the surviving server says of itself and the replica now
        response = await lb.clients[ports[0]].get("/healthz")
        after = response.json()
    await lb.close()
    return stats, posted, week, elapsed, seen, samples, kill_report, after


async def killer(args, ports, at, report, stats):
    await asyncio.sleep(at)
    server = args.servers[1]
    report["before"] = {p: dict(stats.by_server[p]) for p in ports}
    report["at"] = time.strftime("%H:%M:%S")
    os.killpg(server.pid, signal.SIGKILL)  # the whole gunicorn of the second server, at once
    cluster.kill_replica(args.replica_port, signal.SIGQUIT)  # an immediate shutdown: as a crash
    report["killed"] = f"gunicorn :{ports[1]} (SIGKILL) and the replica :{args.replica_port} (SIGQUIT)"


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
    arrived = {u for u, values in posted.items() if {k: Decimal(v) for k, v in values.items()} == stored.get(u)}
    lost = len(posted) - len(arrived)
    return submitted, duplicates, lost


def plan_for(args):
    s = args.scale
    plan = {
        "reporters": args.reporters or max(2, round(PROVINCE["reporters"] * s)),
        "screens": args.screens or max(2, round(PROVINCE["screens"] * s)),
        "leaders": args.leaders or max(2, round(PROVINCE["leaders"] * s)),
        "minutes": args.minutes or PROVINCE["minutes"] * s,
        "refresh": args.refresh or PROVINCE["refresh"] * s,
        "pause": tuple(p * s for p in PROVINCE["pause"]),
    }
    plan["zones"] = args.zones or max(1, round(plan["reporters"] / POSTS_PER_ZONE))
    return plan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="people and window × scale, actions ÷ scale")
    parser.add_argument("--reporters", type=int, default=0)
    parser.add_argument("--screens", type=int, default=0)
    parser.add_argument("--leaders", type=int, default=0)
    parser.add_argument("--minutes", type=float, default=0)
    parser.add_argument(
        "--zones",
        type=int,
        default=0,
        help=f"zones the posts are spread over, each with its campaign, leaders and walls "
        f"(default: one per {POSTS_PER_ZONE} posts)",
    )
    parser.add_argument("--refresh", type=float, default=0, help="the walls' refresh, seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server (2 threads each)")
    parser.add_argument("--ports", default="8111,8112")
    parser.add_argument("--replica-port", type=int, default=cluster.REPLICA_PORT)
    parser.add_argument("--database", default="duban_surge_province")
    parser.add_argument("--kill", action="store_true", help="kill the second server and the replica half-way")
    parser.add_argument("--keep-replica", action="store_true", help="leave the replica running at the end")
    parser.add_argument(
        "--settle",
        type=int,
        default=-1,
        help="DUBAN_SCREEN_SETTLE_SECONDS of the servers (default: 5 s of the province's time, at least 1)",
    )
    parser.add_argument("--clean", action="store_true")
    args = parser.parse_args(argv)
    if args.settle < 0:
        args.settle = max(1, round(5 * args.scale))
    plan = plan_for(args)
    ports = [int(p) for p in args.ports.split(",")]
    reason = cluster.available()
    if reason:
        raise SystemExit(f"cannot run: {reason}")
    cluster.ensure_database(args.database)
    env = cluster.service_env(
        args.database,
        args.replica_port,
        prefix=f"duban-surge-{args.database}",
        extra={"DUBAN_SCREEN_SETTLE_SECONDS": str(args.settle)},
    )
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    random.seed(7)
    began = time.monotonic()
    zones = make_world(plan["reporters"], plan["leaders"], max(1, plan["screens"] // 100), plan["zones"])
    reporters = [r for z in zones for r in z.reporters]
    leaders = [u for z in zones for u in z.leaders]
    cookies = sessions_for([u for _unit, u in reporters] + leaders, round(plan["minutes"] * 60 * 2 + 3600))
    from duban import figure_cache

    figure_cache.clear()
    print(f"world made in {time.monotonic() - began:.0f} s; starting the replica and two app servers")
    cluster.start_replica(args.replica_port)  # after the world: the base backup carries it
    args.replica_port = args.replica_port
    args.servers = [cluster.start_app_server(port, env, workers=args.workers) for port in ports]
    worker = cluster.start_worker(env)
    try:
        for port in ports:
            cluster.wait_http(port)
        timed_logins(ports[0], [u.username for u in leaders[:10]])
        result = asyncio.run(run(args, plan, ports, zones, cookies))
    finally:
        for server in args.servers:
            cluster.stop(server)
        cluster.stop(worker)
        if not args.keep_replica:
            cluster.kill_replica(args.replica_port, signal.SIGINT)
    report(args, plan, ports, reporters, *result)
    if args.clean:
        from org.models import OrgUnit

        for zone in OrgUnit.objects.filter(name__startswith=ZONE_NAME, parent=None):
            clean(zone)


def timed_logins(port, usernames):
    """A few real log-ins (page, then the form), timed apart from the surge."""
    import httpx

    times = []
    for username in usernames:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            start = time.perf_counter()
            page = client.get("/login/")
            token = CSRF.search(page.text).group(1)
            response = client.post(
                "/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
            )
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"{username} could not log in: {response.status_code}")
    print(
        f"{len(times)} real log-ins before the surge: median {statistics.median(times):.0f} ms "
        "(a password check by design)"
    )


def report(args, plan, ports, reporters, stats, posted, week, elapsed, seen, samples, kill_report, after):
    s = args.scale
    print()
    print(
        f"surge: {plan['reporters']} reporters over {plan['minutes']:g} min, {plan['screens']} walls every "
        f"{plan['refresh']:g} s, {plan['leaders']} leaders pausing {plan['pause'][0]:g}–{plan['pause'][1]:g} s "
        f"(ran {elapsed:.0f} s); two gunicorn servers × {args.workers} workers × 2 threads, PostgreSQL primary "
        f"+ streaming replica, Redis; {plan['zones']} zones of {plan['reporters'] // plan['zones']} command posts, "
        f"each with its campaign, leaders and walls; the screen settles {args.settle} s"
    )
    if s != 1:
        print(
            f"compressed in time ×{1 / s:g}: {s:g} of a province's people acting {1 / s:g}× as often, so the "
            "request rates and mix are a province's Friday"
        )
    rate = len(stats.times["report submit (POST)"]) / max(elapsed, 1)
    screens = len(stats.times["screen data.json (GET)"]) / max(elapsed, 1)
    print(f"rates: {rate:.2f} submissions/s (province: 2.78), {screens:.1f} wall refreshes/s (province: 33.3)")
    stats.print()
    for port in ports:
        print(f"  server :{port}: " + ", ".join(f"{k}×{v}" for k, v in sorted(stats.by_server[port].items(), key=str)))
    submitted, duplicates, lost = check_database(reporters, posted, week)
    print(
        f"primary: {submitted} of {len(posted)} sent reports submitted, {lost} lost (absent or other figures), "
        f"{duplicates} duplicated"
    )
    stale = [x for zone in seen for x in staleness(seen[zone], samples[zone])]
    n_samples = sum(len(v) for v in samples.values())
    behind = sum(1 for x in stale if x > plan["refresh"])
    if stale:
        print(
            f"walls: {len(stale)} answers, staleness against the primary p50 {statistics.median(stale):.1f} s, "
            f"p95 {p95(sorted(stale)):.1f} s, max {max(stale):.1f} s; {behind} more than one refresh "
            f"({plan['refresh']:g} s) behind ({n_samples} samples of the primary over the run)"
        )
    if kill_report:
        print(f"kill test at {kill_report['at']}: {kill_report['killed']}")
        print(f"  requests failed over to the other server: {stats.failovers}")
        alive = ports[0]
        before = kill_report["before"].get(alive, {})
        now = stats.by_server[alive]
        answered = sum(v - before.get(k, 0) for k, v in now.items() if isinstance(k, int) and k < 500)
        failed_after = sum(v - before.get(k, 0) for k, v in now.items() if not isinstance(k, int) or k >= 500)
        print(f"  after the kill: server :{alive} answered {answered} requests, {failed_after} failed there")
        print(f"  the surviving server's /healthz after the run: {after.get('status')}, replica {after.get('replica')}")
    surge_times = sorted(t for kind in KINDS for t in stats.times[kind])
    worst = max((p95(sorted(stats.times[k])) for k in KINDS if stats.times[k]), default=0)
    failed = sum(stats.failures.values())
    print(
        f"all requests: {len(surge_times)}, p95 {p95(surge_times):.0f} ms; "
        f"worst kind's p95 {worst:.0f} ms (target < {TARGET_P95_MS})"
    )
    print(f"failed requests (5xx or no answer, before a fail-over retry): {failed}")
    ok = not lost and not duplicates and worst < TARGET_P95_MS and not behind
    print("RESULT: " + ("all targets met" if ok else "TARGET MISSED"))
    return ok


if __name__ == "__main__":
    main()
