"""The league table, the campaign page, the office page, the weekly report page and the home page
use a fixed number of queries whatever the number of units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Target
from duban import hooks
from org.models import OrgUnit
from tests.conftest import submit


def add_units(world, n):
    for k in range(n):
        unit = OrgUnit.objects.create(name=f"新增指挥部{k}", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone)
        group = OrgUnit.objects.create(name=f"新增工作组{k}", kind=OrgUnit.Kind.WORKING_GROUP, parent=unit)
        Target.objects.create(campaign=world.campaign, unit=unit, indicator=world.land, amount=100 + k)
        Target.objects.create(campaign=world.campaign, unit=unit, indicator=world.households, amount=10 + k)
        for weeks_back in (1, 2, 5):
            submit(unit, world.week.prev(weeks_back), {world.land: k % 7, world.households: 1})
        submit(group, world.week.prev(), {world.land: 1})
    hooks.reports_changed()  # as the one place reports are written does (reports/entry.py)


def count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "page",
    [
        lambda w: (reverse("league", args=[w.campaign.pk]), {"week": w.week.prev().label}),
        lambda w: (reverse("league", args=[w.campaign.pk]), {"indicator": "land"}),
        lambda w: (reverse("campaign_detail", args=[w.campaign.pk]), {}),
        lambda w: (reverse("office"), {}),
        lambda w: (reverse("report", args=[w.a.pk, w.week.prev().label]), {}),
        lambda w: (reverse("rollup", args=[w.zone.pk]), {"kind": "month"}),
    ],
    ids=["league", "league-one-indicator", "campaign", "office", "report", "rollup"],
)
def test_queries_do_not_grow_with_units(world, login, page):
    client = login(world.office)
    url, params = page(world)
    submit(world.a, world.week.prev(), {world.land: 5})
    add_units(world, 2)
    few = count(client, url, params)
    add_units(world, 25)
    many = count(client, url, params)
    assert many == few
    assert few <= 20


def test_the_home_page_grows_with_running_campaigns_not_units(world, login):
    """Each running campaign's card reads its progress once (about 7 queries, none while the
    data holds: duban/figure_cache.py); the office's counts are a few more."""
    client = login(world.office)
    submit(world.a, world.week.prev(), {world.land: 5})
    add_units(world, 2)
    few = count(client, reverse("home"))
    add_units(world, 25)
    many = count(client, reverse("home"))
    assert many == few
    assert few <= 12 + 8 * 2  # two running campaigns
    assert count(client, reverse("home")) <= 12  # nothing changed: the cards come from the cache


def test_the_report_page_for_the_owner_is_bounded_too(world, login):
    client = login(world.owner)
    url = reverse("report", args=[world.a.pk, world.week.label])
    add_units(world, 2)
    few = count(client, url)
    add_units(world, 25)
    assert count(client, url) == few <= 20
