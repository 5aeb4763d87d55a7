"""The big screen at 1920×1080 in Debian's chromium: charts drawn, headline numbers as in the
database, a newly submitted report picked up by the next refresh without reloading the page,
a 304 when nothing changed, and the last data kept (with a marker) when the server is gone."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.progress import campaign_progress
from dashboard.models import KioskToken, hash_token
from duban import periods
from org.models import OrgUnit
from projects.models import AnnualPlan, MonthlyInvestment, Project
from requisition.models import Household
from tests.conftest import ARTIFACTS, FLAGS, submit

pytestmark = pytest.mark.browser
KEY = "wall-key-for-the-browser-test"


@pytest.fixture
def wall(monkeypatch):
    """A 1920×1080 page, as on the command centre's wall."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        # the site's Content Security Policy forbids eval, which Playwright's wait_for_function uses
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)
        yield page
        browser.close()
        connections.close_all()


def seed(world):
    village = OrgUnit.objects.create(name="甲村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    day = date.today()
    Household.objects.bulk_create(
        Household(
            village=village,
            number=f"H{k}",
            head_name="张三丰",
            legal_area=Decimal("250.00"),
            land_area=Decimal("1.2500"),
            stage="delivered" if k < 4 else "signed" if k < 7 else "none",
            signed_on=day if k < 7 else None,
            demolished_on=day if k < 4 else None,
            delivered_on=day if k < 4 else None,
        )
        for k in range(12)
    )
    year = day.year
    for n in range(3):
        project = Project.objects.create(unit=world.a, name=f"项目{n}", stage="construction", total_investment=10**9)
        AnnualPlan.objects.create(project=project, year=year, amount=Decimal(2 * 10**8))
        MonthlyInvestment.objects.create(project=project, month=date(year, 1, 1), amount=Decimal(5 * 10**7))
    weeks = [w for w in periods.weeks_between(world.campaign.start, world.campaign.end) if w < world.week]
    for week in weeks:
        submit(world.a, week, {world.land: 6, world.households: 2})
        submit(world.b, week, {world.land: 9, world.households: 1})
    token = KioskToken(name="指挥中心大屏", token_hash=hash_token(KEY), hint=KEY[:6])
    token.save()


def tile(page, key):
    return page.inner_text(f'#headline .tile[data-key="{key}"] .value')


def test_the_wall_shows_the_figures_and_picks_up_a_new_report(server, world, wall):
    seed(world)
    responses = []
    wall.on("response", lambda r: responses.append(r.status) if "/screen/data.json" in r.url else None)

    wall.goto(f"{server.url}{reverse('screen')}?kiosk={KEY}&refresh=5&campaign={world.campaign.pk}")
    wall.wait_for_selector("body[data-state=ready]")
    for chart in ("chart-campaigns", "chart-trend", "chart-tasks", "chart-stages", "chart-investment"):
        wall.wait_for_selector(f"#{chart}[data-drawn='1'] canvas")
    assert "login" not in wall.url

    # headline numbers against the database
    assert tile(wall, "campaigns") == "1"  # the pinned campaign's zone runs one
    assert tile(wall, "projects") == str(Project.objects.count())
    assert tile(wall, "investment") == "1.50"  # 3 × 5,000万 = 1.5 亿元
    assert tile(wall, "signed") == str(Household.objects.filter(signed_on__isnull=False).count()) == "7"
    assert tile(wall, "demolished") == "0.10"  # 4 × 250 m² = 0.1 万m²
    assert tile(wall, "delivered") == "5.00"
    assert "年度计划 6.00 亿元" in wall.inner_text('#headline .tile[data-key="investment"] .note')
    assert wall.inner_text('#headline .tile[data-key="signed"] .reach') == "测试区 · 征迁累计"
    assert wall.inner_text("#focus-name") == "测试攻坚行动"
    assert "数据截至" in wall.inner_text(".asof")
    assert wall.locator("#stale").is_hidden()
    before = campaign_progress(world.campaign).totals[world.land.pk].done
    assert f"{before:,.2f}" in wall.inner_text("#focus-indicators")
    ARTIFACTS.mkdir(exist_ok=True)
    wall.screenshot(path=ARTIFACTS / "screen.png")

    # nothing changed: the next refresh is a 304 and the page is not reloaded
    wall.evaluate("window.reloadMarker = 1")
    wall.wait_for_function("window.screenState.notModified >= 1", timeout=15_000)
    assert 304 in responses

    # a reporter submits this week's report: the next refresh shows it, without a reload
    submit(world.a, world.week, {world.land: 40, world.households: 3})
    after = campaign_progress(world.campaign).totals[world.land.pk].done
    assert after == before + 40
    wall.wait_for_function(
        "text => document.querySelector('#focus-indicators').innerText.includes(text)",
        arg=f"{after:,.2f}",
        timeout=15_000,
    )
    assert wall.evaluate("window.reloadMarker") == 1
    assert wall.evaluate("window.screenState.renders") >= 2

    # the connection to the server drops: the last data stays, with a discreet marker
    wall.route("**/screen/data.json*", lambda route: route.abort())
    wall.wait_for_selector("#stale:not([hidden])", timeout=15_000)
    assert f"{after:,.2f}" in wall.inner_text("#focus-indicators")
    assert tile(wall, "signed") == "7"
    wall.screenshot(path=ARTIFACTS / "screen-stale.png")
