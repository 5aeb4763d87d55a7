"""The economic indicators in a browser: the office opens the zone's first quarter, the growth
tiles show the seed's 比增 and the ECharts charts are drawn (canvas); the per-indicator page
draws this year against last year; the monthly form refuses a growth rate typed as a value and
keeps nothing. Screenshots go to /work/wt/shots/economy/ (and test-artifacts/)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from economy.models import MonthlyFigure
from tests.conftest import ARTIFACTS, log_in
from tests.economy_helpers import load_raw

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/economy")


def shot(page, name):
    for folder in (ARTIFACTS, SHOTS):
        if folder.parent.is_dir():
            folder.mkdir(exist_ok=True)
            page.screenshot(path=str(folder / name), full_page=True)


def test_the_office_reads_the_first_quarter_with_charts_and_the_form_refuses_a_rate(server, world, page):
    found = load_raw(world.zone)
    log_in(page, server, "office")

    page.goto(f"{server.url}{reverse('economy')}?unit={world.zone.pk}&period=2021-Q1")
    page.wait_for_selector('div.chart[data-econ-chart="growth"][data-drawn="1"] canvas')
    page.wait_for_selector('div.chart[data-econ-chart="years"][data-drawn="1"] canvas')
    tiles = page.inner_text("#growth-tiles")
    for text in ("固投", "60.3", "比增 46.7%", "工业固投", "比增 163.7%", "比增 28.41%", "3,392", "上年同期无数据"):
        assert text in tiles
    assert page.locator('div.chart[data-econ-chart="years"] canvas').count() >= 8
    shot(page, "economy-overview.png")

    page.click("#growth-tiles a:has-text('固投') >> nth=0")
    page.wait_for_selector('div.chart[data-drawn="1"] canvas')
    assert "1-3月" in page.inner_text("#months") and "46.7" in page.inner_text("#months")
    shot(page, "economy-indicator.png")

    page.goto(f"{server.url}{reverse('economy_entry', args=[world.zone.pk])}?year=2021&month=4")
    before = list(MonthlyFigure.objects.order_by("pk").values_list("pk", "month_value", "cumulative"))
    page.fill(f"input[name=month_value_{found['industrial_output'].pk}]", "46.7%")
    page.fill(f"input[name=month_value_{found['budget_revenue'].pk}]", "3.3")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#entry-errors")
    assert "是增长率，不是数值" in page.inner_text("#entry-errors")
    assert list(MonthlyFigure.objects.order_by("pk").values_list("pk", "month_value", "cumulative")) == before
    shot(page, "economy-form-refused.png")

    page.fill(f"input[name=month_value_{found['industrial_output'].pk}]", "16")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    figure = MonthlyFigure.objects.get(unit=world.zone, indicator=found["industrial_output"], year=2021, month=4)
    assert figure.month_value == Decimal("16")


def test_the_big_screen_shows_the_strip_of_economic_tiles(server, world, page):
    load_raw(world.zone)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('screen')}")
    page.wait_for_selector("#economy-strip .econ")
    strip = page.inner_text("#economy-strip")
    assert "测试区" in strip and "2021年1-3月" in strip
    for text in ("固投", "60.3", "比增 46.7%", "实际利用外资", "3,392", "上年同期无数据", "比增 28.41%"):
        assert text in strip
    # the strip takes its row from the panels: the screen still fits 1920×1080
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    shot(page, "economy-screen.png")
