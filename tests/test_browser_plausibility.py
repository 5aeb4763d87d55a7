"""A reporter types a figure far above the week's bound: it is held back (not in the league), the
office sees it flagged, the reporter confirms it with a reason and the league counts it — in
Debian's chromium driven by Playwright, against the live server."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import HeldFigure, ReportValue
from tests.conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.browser


def rank_of(page, unit):
    return page.locator(f'#league tr[data-unit="{unit.pk}"] td.rank').inner_text()


def test_a_held_back_figure_counts_once_the_reporter_confirms_it(server, world, page):
    from tests.conftest import submit

    submit(world.b, world.week, {world.land: 60, world.households: 5})  # 乙 leads with 30 %
    league_url = f"{server.url}{reverse('league', args=[world.campaign.pk])}?week={world.week.label}&indicator=land"
    report_url = f"{server.url}{reverse('report', args=[world.a.pk, world.week.label])}"

    log_in(page, server, "owner")
    page.goto(report_url)
    page.fill(f"input[name=v_{world.land.pk}]", "150")  # the whole target is 100 亩
    page.fill(f"input[name=v_{world.projects.pk}]", "2")
    page.fill("textarea[name=progress_text]", "本周集中交地150亩。")
    page.click("button[name=submit]")
    page.wait_for_selector(".msg-success")
    assert "已暂缓" in page.inner_text(".messages") and "100 亩" in page.inner_text(".messages")
    assert page.locator(f"#confirm-{world.land.pk}").is_visible()
    page.screenshot(path=ARTIFACTS / "report-held.png", full_page=True)
    assert not ReportValue.objects.filter(indicator=world.land, report__unit=world.a).exists()

    page.goto(league_url)
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert rank_of(page, world.b) == "1"  # the held 150 亩 does not count

    page.context.clear_cookies()
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('office_week', args=[world.week.label])}")
    assert "甲指挥部" in page.inner_text("#held-figures")
    page.screenshot(path=ARTIFACTS / "office-held.png", full_page=True)

    page.context.clear_cookies()
    log_in(page, server, "owner")
    page.goto(report_url)
    page.fill(f"#confirm-{world.land.pk} textarea[name=reason]", "两个地块同日完成交付,有交地确认书。")
    page.click(f"#confirm-{world.land.pk} button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert "已确认" in page.inner_text(".messages")
    assert page.locator(f"#confirm-{world.land.pk}").count() == 0
    held = HeldFigure.objects.get(indicator=world.land)
    assert held.confirmed_by == world.owner and held.reason.startswith("两个地块")
    assert ReportValue.objects.get(indicator=world.land, report__unit=world.a).amount == Decimal(150)

    page.goto(league_url)
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert rank_of(page, world.a) == "1"  # 150 % now counts
    page.screenshot(path=ARTIFACTS / "league-confirmed.png", full_page=True)
