"""One small world with named people, shared by the tests.

zone 测试区 ── 甲指挥部 (owner reports here) ── 甲一工作组
           └── 乙指挥部 (colleague reports here)
zone 外区 ── 丙指挥部 (outsider reports here, in another campaign)
office and leader (of 测试区) read 测试区; other_office is the office of 外区.
"""

import io
import os
import tarfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target
from duban import periods
from org.models import Membership, OrgUnit
from reports.models import ReportValue, WeeklyReport

PASSWORD = "test-pass-123"


class World:
    pass


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the household search counters live there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production hashing costs ~0.3 s a password; the tests make dozens."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, unit, role):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def submit(unit, week, amounts, user=None, when=None):
    """A submitted report with {indicator: amount}."""
    report = WeeklyReport.objects.create(
        unit=unit,
        week_end=week.end,
        status=WeeklyReport.Status.SUBMITTED,
        submitted_at=when or week.deadline - timedelta(hours=1),
        submitted_by=user,
        progress_text="进展",
    )
    for indicator, amount in amounts.items():
        ReportValue.objects.create(report=report, indicator=indicator, amount=Decimal(amount))
    return report


@pytest.fixture
def world(db):
    w = World()
    w.zone = OrgUnit.objects.create(name="测试区", kind=OrgUnit.Kind.ZONE)
    w.a = OrgUnit.objects.create(name="甲指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=w.zone, sort_order=1)
    w.a1 = OrgUnit.objects.create(name="甲一工作组", kind=OrgUnit.Kind.WORKING_GROUP, parent=w.a)
    w.b = OrgUnit.objects.create(name="乙指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=w.zone, sort_order=2)
    w.other_zone = OrgUnit.objects.create(name="外区", kind=OrgUnit.Kind.ZONE)
    w.c = OrgUnit.objects.create(name="丙指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=w.other_zone)

    w.land = Indicator.objects.create(code="land", name="交地面积", unit_of_measure="亩", sort_order=1)
    w.households = Indicator.objects.create(code="households", name="征迁户数", unit_of_measure="户", sort_order=2)
    w.projects = Indicator.objects.create(
        code="projects",
        name="在建项目",
        unit_of_measure="个",
        kind=Indicator.Kind.STOCK,
        never_decreases=True,
        sort_order=3,
    )

    w.week = periods.current_week()
    today = timezone.localdate()
    w.campaign = Campaign.objects.create(
        name="测试攻坚行动", owner=w.zone, start=today - timedelta(days=70), end=today + timedelta(days=30)
    )
    for unit, land, households in ((w.a, 100, 50), (w.b, 200, 40)):
        Target.objects.create(campaign=w.campaign, unit=unit, indicator=w.land, amount=land)
        Target.objects.create(campaign=w.campaign, unit=unit, indicator=w.households, amount=households)
    Target.objects.create(campaign=w.campaign, unit=w.a, indicator=w.projects, amount=10)
    w.other_campaign = Campaign.objects.create(
        name="外区行动", owner=w.other_zone, start=today - timedelta(days=70), end=today + timedelta(days=30)
    )
    Target.objects.create(campaign=w.other_campaign, unit=w.c, indicator=w.land, amount=300)

    w.owner = make_user("owner", w.a, Membership.Role.REPORTER)
    w.colleague = make_user("colleague", w.b, Membership.Role.REPORTER)
    w.outsider = make_user("outsider", w.c, Membership.Role.REPORTER)
    w.office = make_user("office", w.zone, Membership.Role.OFFICE)
    w.leader = make_user("leader", w.zone, Membership.Role.LEADER)
    w.other_office = make_user("other-office", w.other_zone, Membership.Role.OFFICE)
    return w


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests: Debian's chromium driven by Playwright against a live server ---

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def server(transactional_db):
    """A live server for this test only, stopped (and its database connections closed) before
    the test database is dropped — pytest-django's own is session-wide and outlives it."""
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("localhost")
    yield live
    live.stop()


@pytest.fixture
def page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: run `make system-packages`"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield page
        browser.close()
        # Inside Playwright's event loop the test's ORM calls got a connection of their own
        # (Django's connections are context-local); close it before the test database is dropped.
        connections.close_all()


def log_in(page, server, username):
    """Log in through the login form, as a person would."""
    page.goto(f"{server.url}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Wherever the role lands: home, or the phone page for a field worker.
    login_url = f"{server.url}{reverse('login')}"
    page.wait_for_url(lambda url: not url.startswith(login_url))
    page.wait_for_load_state("load")


def tamper_docx(archive, tampered):
    """A copy of a backup archive at `tampered` whose .docx files have the same length and other
    bytes: what a restore must refuse by the manifest's SHA-256."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith(".docx"):
                data = b"PK\x03\x04 changed!"  # same length, other bytes
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
