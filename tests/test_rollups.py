from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Target
from duban import periods
from reports.figures import period_amounts
from tests.conftest import submit


@pytest.fixture
def history(world):
    """Weeks of 2021 for 甲 (and its working group) and 乙, in a year-long campaign."""
    campaign = Campaign.objects.create(
        name="2021年行动", owner=world.zone, start=date(2021, 1, 1), end=date(2021, 12, 31)
    )
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.land, amount=1000)
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.projects, amount=10)
    Target.objects.create(campaign=campaign, unit=world.b, indicator=world.land, amount=1000)
    for week in periods.weeks_between(date(2021, 1, 1), date(2021, 12, 31)):
        submit(world.a, week, {world.land: 2, world.projects: week.end.month})
        submit(world.a1, week, {world.land: 1})
        submit(world.b, week, {world.land: 5})
    return campaign


def hand_count(unit_weekly, kind, key):
    period = periods.parse_period(kind, key)
    return unit_weekly * len([w for w in periods.weeks_between(period.start, period.end) if period.contains(w.end)])


@pytest.mark.parametrize(
    "kind, key", [("month", "2021-06"), ("quarter", "2021-Q2"), ("half", "2021-H2"), ("year", "2021")]
)
def test_period_sums_match_a_hand_count(world, history, kind, key):
    period = periods.parse_period(kind, key)
    amounts = period_amounts(
        [world.zone, world.a, world.a1, world.b], [world.land, world.projects], period.start, period.end
    )
    assert amounts[(world.a1.pk, world.land.pk)] == hand_count(1, kind, key)
    assert amounts[(world.a.pk, world.land.pk)] == hand_count(3, kind, key)  # 甲 includes its working group
    assert amounts[(world.b.pk, world.land.pk)] == hand_count(5, kind, key)
    assert amounts[(world.zone.pk, world.land.pk)] == hand_count(8, kind, key)
    # a stock shows its latest level in the period: the month of the last week closing in it
    last_week = max(w for w in periods.weeks_between(period.start, period.end) if period.contains(w.end))
    assert amounts[(world.a.pk, world.projects.pk)] == Decimal(last_week.end.month)


def test_rollup_page_shows_the_tree_and_the_narratives(world, history, login):
    response = login(world.office).get(reverse("rollup", args=[world.zone.pk]), {"kind": "quarter", "key": "2021-Q2"})
    assert response.status_code == 200
    rows = {r["unit"]: r for r in response.context["rows"]}
    land_index = response.context["indicators"].index(world.land)
    assert rows[world.zone]["cells"][land_index][0] == hand_count(8, "quarter", "2021-Q2")
    # year to date through June
    assert rows[world.zone]["cells"][land_index][1] == hand_count(8, "half", "2021-H1")
    html = response.content.decode()
    assert "甲一工作组" in html and "进展" in html
    assert "每季一表态" in html


@pytest.mark.parametrize(
    "params", [{"kind": "week"}, {"kind": "month", "key": "2021-13"}, {"kind": "quarter", "key": "2021-Q5"}]
)
def test_rollup_page_refuses_bad_periods(world, login, params):
    assert login(world.office).get(reverse("rollup", args=[world.zone.pk]), params).status_code == 404
