from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ranking.league import OVERALL, Entry, league_table, rank
from tests.conftest import submit


def unit(n):
    return SimpleNamespace(pk=n, sort_order=n, path=f"{n:06d}.", label=str(n))


def test_rank_orders_by_done_pct_then_amount_and_shares_exact_ties():
    entries = [
        Entry(unit(1), Decimal(50), Decimal(100), []),
        Entry(unit(2), Decimal(50), Decimal(300), []),
        Entry(unit(3), Decimal(80), Decimal(10), []),
        Entry(unit(4), Decimal(50), Decimal(100), []),
    ]
    ranked = rank(entries)
    assert [(e.unit.pk, e.rank) for e in ranked] == [(3, 1), (2, 2), (1, 3), (4, 3)]


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 1000)), min_size=1, max_size=30))
def test_rank_is_stable_and_consistent(pairs):
    entries = [Entry(unit(n), Decimal(p), Decimal(d), []) for n, (p, d) in enumerate(pairs)]
    ranked = rank(list(entries))
    again = rank(list(reversed(entries)))
    assert [e.unit.pk for e in ranked] == [e.unit.pk for e in again]
    for better, worse in zip(ranked, ranked[1:], strict=False):
        assert (better.done_pct, better.done) >= (worse.done_pct, worse.done)
        assert better.rank <= worse.rank
        assert (better.rank == worse.rank) == ((better.done_pct, better.done) == (worse.done_pct, worse.done))
    assert ranked[0].rank == 1


def test_league_table_ranks_and_shows_change_from_last_week(world):
    week = world.week.prev()
    # last week: 乙 ahead (30/200 = 15 % vs 10/100 = 10 %)
    submit(world.a, week.prev(), {world.land: 10})
    submit(world.b, week.prev(), {world.land: 30})
    # this week: 甲 jumps to 60 %
    submit(world.a, week, {world.land: 50})
    submit(world.b, week, {world.land: 10})
    table = league_table(world.campaign, week, "land")
    assert [(e.unit, e.rank, e.change) for e in table.entries] == [(world.a, 1, 1), (world.b, 2, -1)]
    before = league_table(world.campaign, week.prev(), "land")
    assert [e.unit for e in before.entries] == [world.b, world.a]


def test_ties_on_done_pct_go_to_the_larger_amount(world):
    week = world.week.prev()
    submit(world.a, week, {world.land: 50})  # 50 %
    submit(world.b, week, {world.land: 100})  # 50 % of a larger target
    table = league_table(world.campaign, week, "land")
    assert [(e.unit, e.rank) for e in table.entries] == [(world.b, 1), (world.a, 2)]


def test_overall_ranks_by_mean_done_pct(world):
    week = world.week.prev()
    submit(world.a, week, {world.land: 100, world.households: 0, world.projects: 0})  # (100+0+0)/3
    submit(world.b, week, {world.land: 100, world.households: 20})  # (50+50)/2
    table = league_table(world.campaign, week, OVERALL)
    by_unit = {e.unit: e for e in table.entries}
    assert by_unit[world.b].done_pct == 50
    assert by_unit[world.a].done_pct.quantize(Decimal("0.01")) == Decimal("33.33")
    assert table.entries[0].unit == world.b


def test_league_page_for_a_past_week(world, login):
    submit(world.a, world.week.prev(2), {world.land: 10})
    submit(world.b, world.week.prev(), {world.land: 100})
    client = login(world.owner)
    old = client.get(
        reverse("league", args=[world.campaign.pk]), {"week": world.week.prev(2).label, "indicator": "land"}
    )
    assert [e.unit for e in old.context["table"].entries] == [world.a, world.b]
    new = client.get(
        reverse("league", args=[world.campaign.pk]), {"week": world.week.prev().label, "indicator": "land"}
    )
    assert [e.unit for e in new.context["table"].entries] == [world.b, world.a]
    html = new.content.decode()
    assert "↑1" in html and "↓1" in html


@pytest.mark.parametrize("params", [{"week": "2021-W77"}, {"week": "junk"}, {"indicator": "nope"}])
def test_league_page_refuses_bad_parameters(world, login, params):
    response = login(world.owner).get(reverse("league", args=[world.campaign.pk]), params)
    assert response.status_code == 404


def test_every_row_has_a_column_pair_for_each_indicator_of_the_table(world, login):
    """甲 has a target for 在建项目 too, 乙 not: 乙's row shows — there, and no row runs past the header."""
    import re

    from django.urls import reverse

    html = login(world.office).get(reverse("league", args=[world.campaign.pk])).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    rows = re.findall(r'<tr data-unit="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    assert {row.count("<td") for row in rows} == {header.count("<th")}
    b_row = next(row for row in rows if world.b.name in row)
    assert b_row.count("—</td>") == 2
