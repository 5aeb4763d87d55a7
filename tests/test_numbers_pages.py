"""Pages write figures as offices do (duban/numbers.py): counts of 户, 座, 个, 宗 without decimals
and with thousands separators, other amounts with two decimals, dates 2026年12月3日 in text."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target
from duban import numbers, periods
from org.models import OrgUnit
from problems.models import Problem
from requisition.models import Household
from setup.models import CampaignPlan
from tests.conftest import submit


def text_of(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_count_writes_whole_things_with_separators():
    assert numbers.count(3875) == "3,875" and numbers.count(Decimal("1200")) == "1,200"
    assert numbers.count(0) == "0" and numbers.count(None) == "—"


@pytest.fixture
def ledger(world):
    """1,200 households in one village of 甲, 1,001 of them signed on 2026-01-10."""
    area = OrgUnit.objects.create(name="甲片区", kind=OrgUnit.Kind.AREA, parent=world.a)
    village = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=area)
    day = date(2026, 1, 10)
    steps = {f"{s}_on": day for s in ("visited", "measured", "assessed", "signed")}
    Household.objects.bulk_create(
        Household(
            village=village,
            number=str(n),
            head_name=f"户主{n}",
            legal_area=Decimal("100.5"),
            unlicensed_area=0,
            stage="signed" if n <= 1001 else "none",
            **(steps if n <= 1001 else {}),
        )
        for n in range(1, 1201)
    )
    return area, village


def test_requisition_tallies_count_households_without_decimals(world, ledger, client):
    area, village = ledger
    client.force_login(world.office)
    page = text_of(client.get(reverse("requisition_unit", args=[area.pk]), {"on": "2026-03-03"}))
    assert "1,200 " in page and "1,001 " in page and "1,200.00" not in page and "1200" not in page
    assert "120,600.00" not in page  # nothing demolished: the area counter reads 0.00
    assert "截至 2026年3月3日" in page
    assert "83.42%" in page  # 1,001 ÷ 1,200 signed
    home = text_of(client.get(reverse("requisition"), follow=True))
    assert "1,200" in home and "1,001" in home and "1,200.00" not in home
    today = timezone.localdate()
    assert f"截至 {today.year}年{today.month}月{today.day}日" in home


def test_the_roll_up_writes_households_whole_and_land_with_two_decimals(world, client):
    campaign = Campaign.objects.create(
        name="2021年行动", owner=world.zone, start=date(2021, 1, 1), end=date(2021, 12, 31)
    )
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.households, amount=5000)
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.land, amount=5000)
    for week in periods.weeks_between(date(2021, 6, 1), date(2021, 6, 30)):
        submit(world.a, week, {world.households: 400, world.land: Decimal("12.5")})
    weeks = [w for w in periods.weeks_between(date(2021, 6, 1), date(2021, 6, 30)) if w.end.month == 6]
    client.force_login(world.office)
    response = client.get(reverse("rollup", args=[world.zone.pk]), {"kind": "month", "key": "2021-06"})
    page = text_of(response)
    households = numbers.count(400 * len(weeks))
    assert len(weeks) >= 4 and f" {households} " in page and f"{households}.00" not in page
    assert numbers.num(Decimal("12.5") * len(weeks)) in page
    chart = response.context["chart"]["series"]
    places = {s["name"]: s["places"] for s in chart}
    assert places["交地面积(亩)"] == 2 and places["征迁户数(户)"] == 0


def test_problem_counts_and_groups_use_the_one_format(world, client):
    for n in range(3):
        Problem.objects.create(title=f"问题{n}", raised_by_unit=world.a, raised_by=world.owner)
    client.force_login(world.office)
    stats = text_of(client.get(reverse("problem_stats"), {"year": timezone.localdate().year}))
    assert "年共提出协调事项3个，协调解决0个，逾期0个。" in stats
    groups = text_of(client.get(reverse("problem_groups"), {"by": "campaign"}))
    assert " 3 " in groups and "3.00" not in groups


def test_the_targets_grid_shows_household_targets_as_typed(world, client):
    campaign = Campaign.objects.create(name="新行动", owner=world.zone, start=date(2026, 1, 1), end=date(2026, 12, 31))
    plan = CampaignPlan.objects.create(campaign=campaign)
    plan.indicators.add(world.households, world.land)
    plan.units.add(world.a)
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.households, amount=Decimal("120.00"))
    Target.objects.create(campaign=campaign, unit=world.a, indicator=world.land, amount=Decimal("12.50"))
    client.force_login(world.office)
    page = client.get(reverse("setup_campaign_targets", args=[campaign.pk])).content.decode()
    hh = f"t_{world.a.pk}_{world.households.pk}"
    land = f"t_{world.a.pk}_{world.land.pk}"
    assert f'name="{hh}" value="120"' in page and f'name="{land}" value="12.5"' in page
    assert "120.00" not in page


def test_a_unit_history_chart_knows_counts_have_no_decimals(world, client):
    submit(world.a, periods.current_week(), {world.households: 3, world.land: 1})
    client.force_login(world.office)
    response = client.get(reverse("unit", args=[world.a.pk]), {"campaign": world.campaign.pk})
    assert response.status_code == 200
    places = {h["indicator"].code: h["chart"]["places"] for h in response.context["histories"]}
    assert places["households"] == 0 and places["land"] == 2 and places["projects"] == 0


@pytest.mark.parametrize("uom, places", [("户", 0), ("座", 0), ("个", 0), ("宗", 0), ("m²", 2), ("万元", 2)])
def test_is_count_decides_the_places(uom, places):
    assert (0 if numbers.is_count(uom) else 2) == places
    assert Indicator(unit_of_measure=uom).unit_of_measure == uom
