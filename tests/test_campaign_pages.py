from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.progress import campaign_progress
from tests.conftest import submit


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("colleague", 200), ("office", 200), ("leader", 200), ("outsider", 404)]
)
def test_campaign_page_permissions(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("campaign_detail", args=[world.campaign.pk])).status_code == status


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("colleague", 200), ("office", 200), ("leader", 200), ("outsider", 404)]
)
def test_league_page_permissions(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("league", args=[world.campaign.pk])).status_code == status


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("colleague", 404), ("office", 200), ("leader", 200), ("outsider", 404)]
)
def test_unit_page_permissions(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("unit", args=[world.a.pk])).status_code == status


@pytest.mark.parametrize(
    "who, status",
    [("owner", 200), ("colleague", 404), ("office", 200), ("leader", 200), ("outsider", 404), ("other_office", 404)],
)
def test_rollup_page_permissions(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("rollup", args=[world.a.pk])).status_code == status


def test_campaign_list_shows_only_reachable_campaigns(world, login):
    names = {c.name for c in login(world.owner).get(reverse("campaign_list")).context["campaigns"]}
    assert names == {"测试攻坚行动"}
    names = {c.name for c in login(world.office).get(reverse("campaign_list")).context["campaigns"]}
    assert names == {"测试攻坚行动"}  # the office's zone, not the other zone's
    names = {c.name for c in login(world.other_office).get(reverse("campaign_list")).context["campaigns"]}
    assert names == {"外区行动"}


def test_campaign_page_shows_units_and_total(world, login):
    submit(world.a, world.week.prev(), {world.land: 60, world.households: 10})
    submit(world.a1, world.week.prev(), {world.land: 20})  # the working group's figures count for 甲
    submit(world.b, world.week.prev(), {world.land: 50})
    response = login(world.owner).get(reverse("campaign_detail", args=[world.campaign.pk]))
    land = next(s for s in response.context["sections"] if s["indicator"] == world.land)
    by_unit = {r.unit: r for r in land["rows"]}
    assert by_unit[world.a].done == 80
    assert by_unit[world.a].done_pct == 80
    assert by_unit[world.b].done_pct == 25
    assert land["total"].done == 130 and land["total"].target == 300
    html = response.content.decode()
    assert "80.00%" in html and "43.33%" in html  # 130 / 300
    assert 'data-chart="progress"' in html


def test_status_projection_and_needed_per_week(world):
    # four weeks at 5 a week: pace 5, 甲 has 20 of 100 done
    for n in range(1, 5):
        submit(world.a, world.week.prev(n), {world.land: 5})
    progress = campaign_progress(world.campaign, week=world.week.prev())
    row = progress.rows[(world.a.pk, world.land.pk)]
    assert row.done == 20
    assert row.figure.pace == Decimal(5)
    # elapsed is about 60–70 %, done 20 %: red
    assert row.status == "red"
    weeks_needed = (100 - 20) / 5
    assert (row.projected_finish - row.as_of).days == weeks_needed * 7
    days_left = (world.campaign.end - row.as_of).days
    assert row.needed_per_week == Decimal(80) * 7 / days_left


def test_campaign_page_as_of_a_past_date(world, login):
    submit(world.a, world.week.prev(3), {world.land: 10})
    submit(world.a, world.week.prev(), {world.land: 10})
    at = world.week.prev(3).end
    response = login(world.office).get(reverse("campaign_detail", args=[world.campaign.pk]), {"at": at.isoformat()})
    land = next(s for s in response.context["sections"] if s["indicator"] == world.land)
    assert {r.unit: r.done for r in land["rows"]}[world.a] == 10


def test_unit_page_draws_the_weekly_history(world, login):
    submit(world.a, world.week.prev(2), {world.land: 7})
    submit(world.a, world.week.prev(), {world.land: 8})
    response = login(world.owner).get(reverse("unit", args=[world.a.pk]))
    land = next(h for h in response.context["histories"] if h["indicator"] == world.land)
    cumulative = {label: cum for label, _, cum in land["rows"]}
    assert cumulative[world.week.prev(2).label] == 7.0
    assert cumulative[world.week.prev().label] == 15.0
    assert land["target"] == 100
    assert 'data-chart="history"' in response.content.decode()


def test_unit_page_refuses_a_campaign_the_unit_is_not_in(world, login):
    response = login(world.office).get(reverse("unit", args=[world.a.pk]), {"campaign": world.other_campaign.pk})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/admin/campaigns/campaign/", "/admin/campaigns/campaign/add/", "/admin/reports/weeklyreport/"]
)
def test_the_admin_pages_open_for_a_superuser(world, client, path):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(admin)
    assert client.get(path).status_code == 200
    client.force_login(world.owner)
    assert client.get(path).status_code == 302  # not staff: sent to the admin login


def test_early_in_a_campaign_the_pace_is_taken_over_the_weeks_there_have_been(world):
    from campaigns.models import Campaign, Target

    young = Campaign.objects.create(
        name="新行动", owner=world.zone, start=world.week.prev().start, end=world.week.next(10).end
    )
    Target.objects.create(campaign=young, unit=world.a, indicator=world.land, amount=500)
    submit(world.a, world.week.prev(), {world.land: 10})
    submit(world.a, world.week, {world.land: 20})
    row = campaign_progress(young, week=world.week).rows[(world.a.pk, world.land.pk)]
    assert row.done == 30
    assert row.figure.pace == 15  # two weeks so far, not four


def many_units(world, n):
    from campaigns.models import Target
    from org.models import OrgUnit

    units = []
    for i in range(n):
        unit = OrgUnit(name=f"村{i:03d}", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
        unit.save()
        units.append(unit)
    Target.objects.bulk_create(
        [Target(campaign=world.campaign, unit=u, indicator=world.land, amount=10) for u in units]
    )
    return units


def test_a_campaign_of_many_units_counts_each_subtree_once(world):
    """Past 50 topmost target units the subtrees are read through their common ancestor; the
    figures must not change (a unit's figure includes its sub-units', nested targets too)."""
    units = many_units(world, 70)
    submit(units[0], world.week, {world.land: 4})
    submit(world.a1, world.week, {world.land: 6})
    progress = campaign_progress(world.campaign)
    done = {u.pk: r.done for (u_id, i_id), r in progress.rows.items() for u in [r.unit] if i_id == world.land.pk}
    assert done[units[0].pk] == 4 and done[units[1].pk] == 0
    assert done[world.b.pk] == 4  # b holds the villages
    assert done[world.a.pk] == 6  # a holds 甲一工作组
    assert progress.totals[world.land.pk].done == 10  # a and b are the top units: each report once


def test_the_campaign_page_pages_many_units_worst_first(world, login):
    units = many_units(world, 110)
    submit(units[5], world.week, {world.land: 10})  # done: far ahead of time
    page = login(world.owner).get(reverse("campaign_detail", args=[world.campaign.pk])).content.decode()
    assert 'id="pager"' in page and "第 1 页，共 2 页" in page
    assert page.count("<tr data-unit=") <= 100 + 3 * 2  # one page of land rows; the other tables are small
    second = login(world.owner).get(reverse("campaign_detail", args=[world.campaign.pk]), {"page": 2}).content.decode()
    assert f'data-unit="{units[5].pk}"' in second  # the unit ahead of time comes last
    assert f'data-unit="{units[5].pk}"' not in page


@pytest.mark.parametrize("page", ["campaign_detail", "league"])
def test_names_are_escaped_in_the_rows_written_in_python(world, login, page):
    world.a.name = world.a.short_name = '<script>alert("甲")</script>'
    world.a.leader = "<b>张</b>"
    world.a.save()
    html = login(world.office).get(reverse(page, args=[world.campaign.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>张</b>" not in html
