"""A reporter logs in, submits this week's report and sees the league table change —
in Debian's chromium driven by Playwright, against the live server."""

import pytest
from django.urls import reverse

from tests.conftest import ARTIFACTS, log_in, submit

pytestmark = pytest.mark.browser


def rank_of(page, unit):
    return page.locator(f'#league tr[data-unit="{unit.pk}"] td.rank').inner_text()


def test_a_reporter_submits_and_the_league_table_changes(server, world, page):
    submit(world.b, world.week, {world.land: 60, world.households: 5})  # 乙 leads with 30 %
    league_url = f"{server.url}{reverse('league', args=[world.campaign.pk])}?week={world.week.label}&indicator=land"

    log_in(page, server, "owner")

    page.goto(league_url)
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert rank_of(page, world.b) == "1"
    assert rank_of(page, world.a) == "2"

    page.goto(f"{server.url}{reverse('report', args=[world.a.pk, world.week.label])}")
    page.fill(f"input[name=v_{world.land.pk}]", "45")
    page.fill(f"input[name=v_{world.households.pk}]", "6")
    page.fill(f"input[name=v_{world.projects.pk}]", "2")
    page.fill("textarea[name=progress_text]", "本周完成交地45亩,征迁6户。")
    page.fill("textarea[name=problems_text]", "个别户对安置方案有分歧。")
    page.screenshot(path=ARTIFACTS / "report-filled.png", full_page=True)
    page.click("button[name=submit]")
    page.wait_for_selector(".msg-success")
    assert "周报已提交" in page.inner_text(".messages")
    assert "已提交" in page.inner_text("#report-status")
    assert page.locator(f"input[name=v_{world.land.pk}]").count() == 0  # locked after submitting
    page.screenshot(path=ARTIFACTS / "report-submitted.png", full_page=True)

    page.goto(league_url)
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert rank_of(page, world.a) == "1"
    assert rank_of(page, world.b) == "2"
    page.screenshot(path=ARTIFACTS / "league.png", full_page=True)

    page.goto(f"{server.url}{reverse('campaign_detail', args=[world.campaign.pk])}")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    page.screenshot(path=ARTIFACTS / "campaign.png", full_page=True)

    # the home page draws the campaign and names the league's leader
    page.goto(f"{server.url}{reverse('home')}")
    card = page.locator(f"#board-{world.campaign.pk}-card")
    card.locator("div.chart[data-drawn='1'] canvas").wait_for()
    assert card.locator("ol.podium li").first.inner_text().startswith("甲指挥部")
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_the_office_filters_the_project_list_and_opens_a_project(server, world, page):
    from datetime import date
    from decimal import Decimal

    from projects.models import AnnualPlan, MonthlyInvestment, Project

    for n, (unit, level) in enumerate([(world.a, "municipal"), (world.b, "municipal"), (world.b, "county")]):
        project = Project.objects.create(
            unit=unit, name=f"浏览器项目{n}", level=level, total_investment=Decimal(10**8), progress_text="主体施工"
        )
        AnnualPlan.objects.create(project=project, year=2021, amount=Decimal(2 * 10**7))
        MonthlyInvestment.objects.create(project=project, month=date(2021, 5, 1), amount=Decimal(10**7))

    log_in(page, server, "office")

    page.goto(f"{server.url}{reverse('project_list')}?year=2021&month=5")
    assert page.locator("#projects tbody tr").count() == 3
    page.select_option("select[name=level]", "municipal")
    page.click("form.filters button")
    page.wait_for_url("**level=municipal**")
    assert page.locator("#projects tbody tr").count() == 2
    assert "2" in page.inner_text("#projects tfoot")
    page.screenshot(path=ARTIFACTS / "projects.png", full_page=True)

    page.click("text=浏览器项目0")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert page.inner_text("#ytd") == "1,000.00"  # 10 million yuan = 1,000 万元
    page.screenshot(path=ARTIFACTS / "project.png", full_page=True)


def test_a_field_worker_records_a_step_on_a_phone_through_a_dropped_connection(server, world, page):
    from datetime import timedelta

    from django.utils import timezone

    from org.models import Membership, OrgUnit
    from requisition.models import Household, Stage, StageEvent
    from tests.conftest import make_user

    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    make_user("field", village, Membership.Role.REPORTER)
    h = Household.objects.create(
        village=village,
        number="01-0001",
        head_name="林阿水",
        legal_area=100,
        stage=Stage.VISITED,
        visited_on=timezone.localdate() - timedelta(days=2),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, server, "field")

    page.goto(f"{server.url}{reverse('requisition_unit', args=[village.pk])}")
    assert page.inner_text("#tally .counter:first-child b") == "1"
    page.goto(f"{server.url}{reverse('requisition_field')}")
    page.fill("input[name=q]", "林阿水")
    page.click("form.field-search button")
    page.wait_for_selector(f"#hh-{h.pk}")
    page.fill(f"#hh-{h.pk} input[name=measured_area]", "96.5")

    page.context.set_offline(True)  # the connection drops as the worker taps the button
    page.click(f"#hh-{h.pk} button")
    page.wait_for_selector("#field-message .msg-warning")
    assert not page.locator("#queue").is_hidden()
    assert StageEvent.objects.count() == 0
    page.screenshot(path=ARTIFACTS / "field-offline.png", full_page=True)

    page.context.set_offline(False)  # back online: the queued step goes out by itself
    page.wait_for_selector("#field-message .msg-success", timeout=20000)
    assert page.locator("#queue").is_hidden()
    h.refresh_from_db()
    assert h.stage == Stage.MEASURED and h.measured_area == 96.5
    assert StageEvent.objects.filter(household=h).count() == 1
    page.screenshot(path=ARTIFACTS / "field-sent.png", full_page=True)

    page.goto(f"{server.url}{reverse('requisition_field')}")
    assert "1" in page.inner_text("#day-summary")
    page.goto(f"{server.url}{reverse('requisition_unit', args=[village.pk])}")
    assert h.head_name in page.inner_text("#households")
    assert page.inner_text("#households tbody tr td:last-child") != "入户摸底"
