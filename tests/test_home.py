"""The home page: this week's reporting and problems for the office, and a card per running
campaign (progress drawn against time elapsed, the league table's head and tail) for whoever
may read the campaign."""

import json
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Target
from campaigns.progress import campaign_progress
from org.models import OrgUnit
from problems.models import Problem
from tests.conftest import submit
from tests.problem_helpers import depts, raise_problem  # noqa: F401 (fixture)


def cards_of(response):
    return {card.campaign: card for card in response.context["cards"]}


def chart_of(response, card):
    html = response.content.decode()
    marker = f'<script id="{card.chart_id}" type="application/json">'
    return json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])


def test_the_office_sees_who_has_reported_this_week_and_the_problems_due(world, depts, login):  # noqa: F811
    week = world.week
    submit(world.a, week, {world.land: 10})  # on time
    submit(world.b, week, {world.land: 5}, when=week.deadline + timedelta(hours=2))  # late
    # 丙 (the other zone's campaign) has not reported
    today = timezone.localdate()
    raise_problem(world, "已超期", status=Problem.Status.ASSIGNED, deadline=today - timedelta(days=1))
    raise_problem(world, "快到期", status=Problem.Status.ASSIGNED, deadline=today + timedelta(days=2))
    raise_problem(world, "不急", status=Problem.Status.ASSIGNED, deadline=today + timedelta(days=30))
    raise_problem(world, "已办结", status=Problem.Status.SOLVED, deadline=today - timedelta(days=5))
    response = login(world.office).get(reverse("home"))
    reporting = response.context["reporting"]
    assert (reporting["expected"], reporting["submitted"], reporting["late"]) == (2, 2, 1)
    assert reporting["missing"] == []  # 丙 is the other zone's: not this office's to chase
    assert response.context["problems"] == {"open": 3, "red": 1, "blue": 1}
    html = response.content.decode()
    assert "<b>2/2</b>份周报已报送" in html
    assert "<b>1</b>份逾期报送" in html
    assert "丙指挥部" not in html
    other = login(world.other_office).get(reverse("home")).context
    assert (other["reporting"]["expected"], other["reporting"]["missing"]) == (1, [world.c])
    assert other["problems"] == {"open": 0, "red": 0, "blue": 0}
    html = login(world.office).get(reverse("home")).content.decode()
    assert "<b>3</b>项协调事项未办结" in html
    assert 'href="/problems/?colour=red"><b>1</b>项已超期' in html


def test_a_campaign_card_draws_each_indicator_against_time_elapsed(world, login):
    week = world.week.prev()
    submit(world.a, week, {world.land: 60, world.households: 10})
    submit(world.b, week, {world.land: 15})
    response = login(world.leader).get(reverse("home"))
    card = cards_of(response)[world.campaign]
    chart = chart_of(response, card)
    assert chart["categories"] == ["交地面积", "征迁户数", "在建项目"]
    # 交地 75 of 300 亩, 征迁 10 of 90 户, 在建项目 none reported of 10
    assert chart["done"] == [25.0, 11.11, 0.0]
    progress = campaign_progress(world.campaign)
    assert chart["elapsed"] == float(round(progress.elapsed_pct, 2))
    assert [row.done for row in card.totals] == [Decimal(75), Decimal(10), Decimal(0)]
    # two units: the whole league in order, no separate tail
    assert [e.unit for e in card.leaders] == [world.a, world.b]
    assert card.trailers == []
    assert "reporting" not in response.context  # a leader is not the office


def test_a_long_league_is_shown_by_its_head_and_tail(world, login):
    week = world.week.prev()
    units = []
    for n in range(8):
        unit = OrgUnit.objects.create(name=f"第{n + 1}组", kind=OrgUnit.Kind.WORKING_GROUP, parent=world.zone)
        Target.objects.create(campaign=world.campaign, unit=unit, indicator=world.land, amount=100)
        submit(unit, week, {world.land: 10 * (n + 1)})  # 第8组 best (80 %), 第1组 worst (10 %)
        units.append(unit)
    submit(world.a, week, {world.land: 95, world.households: 50, world.projects: 10})  # (95 + 100 + 100) / 3 %
    submit(world.b, week, {world.land: 2})  # (1 + 0) / 2 %
    card = cards_of(login(world.office).get(reverse("home")))[world.campaign]
    assert [e.unit.name for e in card.leaders] == ["甲指挥部", "第8组", "第7组"]
    assert [e.unit.name for e in card.trailers] == ["第2组", "第1组", "乙指挥部"]
    assert [e.rank for e in card.trailers] == [8, 9, 10]


def test_each_user_sees_the_campaigns_they_may_read(world, client, login):
    assert client.get(reverse("home")).status_code == 302
    owner = login(world.owner).get(reverse("home"))
    assert set(cards_of(owner)) == {world.campaign}
    assert [unit for unit, _report in owner.context["own"]] == [world.a]
    assert "reporting" not in owner.context and "problems" not in owner.context
    outsider = login(world.outsider).get(reverse("home"))
    assert set(cards_of(outsider)) == {world.other_campaign}
    office = login(world.office).get(reverse("home"))
    assert set(cards_of(office)) == {world.campaign}
    assert set(cards_of(login(world.other_office).get(reverse("home")))) == {world.other_campaign}
    # a campaign that has ended has no card
    world.other_campaign.end = timezone.localdate() - timedelta(days=1)
    world.other_campaign.save()
    assert set(cards_of(login(world.other_office).get(reverse("home")))) == set()
