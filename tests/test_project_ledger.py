"""Figures a key-project ledger holds reach weekly reports and campaign progress untyped."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Indicator, Target
from campaigns.progress import campaign_progress
from duban import periods
from projects.models import Milestone, MonthlyInvestment, Project
from reports.models import ReportValue

WAN = Decimal(10_000)


@pytest.fixture
def ledger(world):
    investment = Indicator.objects.create(
        code="inv", name="完成投资", unit_of_measure="万元", source=Indicator.Source.PROJECT_INVESTMENT
    )
    starts = Indicator.objects.create(
        code="starts", name="新开工项目", unit_of_measure="个", source=Indicator.Source.PROJECTS_STARTED
    )
    campaign = Campaign.objects.create(
        name="2021年项目攻坚", owner=world.zone, start=date(2021, 1, 1), end=date(2021, 12, 31)
    )
    for unit in (world.a, world.b):
        Target.objects.create(campaign=campaign, unit=unit, indicator=investment, amount=1000)
        Target.objects.create(campaign=campaign, unit=unit, indicator=starts, amount=4)
    a1 = Project.objects.create(unit=world.a1, name="甲一项目", total_investment=5000 * WAN)  # in 甲's subtree
    a2 = Project.objects.create(unit=world.a, name="甲二项目", total_investment=5000 * WAN)
    b1 = Project.objects.create(unit=world.b, name="乙项目", total_investment=5000 * WAN)
    for project, amounts in ((a1, (100, 50)), (a2, (30, 20)), (b1, (200, 0))):
        for month, amount in enumerate(amounts, start=1):
            MonthlyInvestment.objects.create(project=project, month=date(2021, month, 1), amount=amount * WAN)
    Milestone.objects.create(project=a1, kind="start", planned=date(2021, 2, 1), actual=date(2021, 1, 20))
    Milestone.objects.create(project=a2, kind="start", planned=date(2021, 2, 1), actual=date(2021, 2, 25))
    Milestone.objects.create(project=b1, kind="start", planned=date(2021, 2, 1))
    return campaign, investment, starts


def test_monthly_investment_counts_in_the_week_of_the_months_end(world, ledger):
    campaign, investment, starts = ledger
    jan_week = periods.week_of(date(2021, 1, 31))
    progress = campaign_progress(campaign, week=jan_week)
    assert progress.rows[(world.a.pk, investment.pk)].done == 130  # 甲 includes its working group
    assert progress.rows[(world.b.pk, investment.pk)].done == 200
    assert progress.rows[(world.a.pk, starts.pk)].done == 1
    progress = campaign_progress(campaign, week=jan_week.prev())
    assert progress.rows[(world.a.pk, investment.pk)].done == 0
    feb_week = periods.week_of(date(2021, 2, 28))
    progress = campaign_progress(campaign, week=feb_week)
    assert progress.rows[(world.a.pk, investment.pk)].done == 200
    assert progress.rows[(world.a.pk, investment.pk)].this_week == 70
    assert progress.rows[(world.a.pk, starts.pk)].done == 2
    assert progress.totals[investment.pk].done == 400


def test_the_weekly_report_shows_ledger_figures_and_does_not_take_them(world, ledger, login):
    campaign, investment, _ = ledger
    week = periods.week_of(date(2021, 2, 28))
    client = login(world.owner)
    url = reverse("report", args=[world.a.pk, week.label])
    html = client.get(url).content.decode()
    assert f'name="v_{investment.pk}"' not in html
    assert "70.00" in html  # February's 70 万元, from the ledger
    client.post(url, {f"v_{investment.pk}": "999", "progress_text": "x", "submit": "1"})
    assert not ReportValue.objects.filter(indicator=investment).exists()
    assert campaign_progress(campaign, week=week).rows[(world.a.pk, investment.pk)].done == 200


def test_the_unit_history_and_rollups_include_the_ledger(world, ledger, login):
    campaign, investment, _ = ledger
    response = login(world.office).get(reverse("rollup", args=[world.a.pk]), {"kind": "quarter", "key": "2021-Q1"})
    index = response.context["indicators"].index(investment)
    rows = {r["unit"]: r for r in response.context["rows"]}
    assert rows[world.a]["cells"][index][0] == 200
    response = login(world.office).get(reverse("unit", args=[world.a.pk]), {"campaign": campaign.pk})
    history = next(h for h in response.context["histories"] if h["indicator"] == investment)
    assert max(history["chart"]["cumulative"]) == 200.0


def test_a_ledger_indicator_must_be_a_flow():
    from django.core.exceptions import ValidationError

    indicator = Indicator(code="x", name="x", unit_of_measure="个", kind="stock", source="projects_started")
    with pytest.raises(ValidationError):
        indicator.clean()
