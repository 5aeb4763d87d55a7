"""Scores under a campaign's scheme: parts, totals, ranks and ties."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessment.models import Part, Scheme
from assessment.scheme import default_parts, scheme_for
from assessment.scoring import monthly_table, rank, weekly_table
from campaigns.models import Task
from duban import periods
from problems.models import Problem
from tests.conftest import submit


def make_scheme(campaign, parts, **fields):
    scheme = Scheme.objects.create(campaign=campaign, **fields)
    for n, (kind, weight, extra) in enumerate(parts):
        Part.objects.create(scheme=scheme, kind=kind, weight=Decimal(weight), sort_order=n, **extra)
    return scheme


def row_of(table, unit):
    return next(r for r in table.rows if r.unit.pk == unit.pk)


def test_the_default_scheme_gives_100_points_with_a_part_per_indicator(world):
    scheme, parts, is_default = scheme_for(world.campaign)
    assert is_default and scheme.pk is None
    assert sum(p.weight for p in parts) == 100
    indicator_parts = [p for p in parts if p.kind == Part.Kind.INDICATOR]
    assert [p.indicator for p in indicator_parts] == [world.land, world.households, world.projects]
    assert sum(p.weight for p in indicator_parts) == 50
    assert {p.kind for p in parts} == set(Part.Kind.values)


def test_a_saved_scheme_replaces_the_default(world):
    make_scheme(world.campaign, [(Part.Kind.INDICATOR, 60, {"indicator": world.land}), (Part.Kind.REPORTS, 40, {})])
    scheme, parts, is_default = scheme_for(world.campaign)
    assert not is_default
    assert [(p.kind, p.weight) for p in parts] == [("indicator", Decimal(60)), ("reports", Decimal(40))]


def test_indicator_points_are_weight_times_done_rate_capped_or_not(world):
    make_scheme(
        world.campaign,
        [
            (Part.Kind.INDICATOR, 50, {"indicator": world.land, "capped": True}),
            (Part.Kind.INDICATOR, 50, {"indicator": world.households, "capped": False}),
        ],
    )
    submit(world.a, world.week, {world.land: 150, world.households: 60})  # 150 % and 120 %
    table = weekly_table(world.campaign, world.week)
    a = row_of(table, world.a)
    assert [c.rate for c in a.cells] == [Decimal("100.00"), Decimal("120.00")]
    assert [c.points for c in a.cells] == [Decimal("50.00"), Decimal("60.00")]
    assert a.total == Decimal("110.00")
    assert a.rank == 1


def test_reports_on_time_count_only_submissions_before_the_deadline(world):
    make_scheme(world.campaign, [(Part.Kind.REPORTS, 10, {})])
    weeks = [w for w in periods.weeks_between(world.campaign.start, world.campaign.end) if w <= world.week]
    submit(world.a, weeks[-1], {world.land: 1})
    submit(world.a, weeks[-2], {world.land: 1}, when=weeks[-2].deadline + timedelta(hours=2))  # late
    table = weekly_table(world.campaign, world.week)
    cell = row_of(table, world.a).cells[0]
    assert cell.detail == f"1/{len(weeks)}"
    assert cell.rate == (Decimal(100) / len(weeks)).quantize(Decimal("0.01"))
    assert row_of(table, world.b).cells[0].rate == 0


def test_tasks_count_items_due_and_done_by_their_deadline(world):
    make_scheme(world.campaign, [(Part.Kind.TASKS, 10, {})])
    today = timezone.localdate()
    due = today - timedelta(days=3)
    Task.objects.create(campaign=world.campaign, unit=world.a, title="按期", deadline=due, status="done", done_on=due)
    Task.objects.create(
        campaign=world.campaign, unit=world.a1, title="逾期", deadline=due, status="done", done_on=due + timedelta(1)
    )
    Task.objects.create(campaign=world.campaign, unit=world.a, title="未到期", deadline=today + timedelta(days=20))
    table = weekly_table(world.campaign, periods.week_of(today))
    a = row_of(table, world.a)
    assert a.cells[0].detail == "1/2"  # the working group's task counts for its command post
    assert a.cells[0].rate == Decimal("50.00")
    b = row_of(table, world.b)
    assert b.cells[0].rate == Decimal("100.00") and b.cells[0].detail == "无到期事项"


def test_problems_count_those_solved_by_the_date(world):
    make_scheme(world.campaign, [(Part.Kind.PROBLEMS, 10, {})])
    Problem.objects.create(
        title="已解决",
        raised_by_unit=world.a,
        campaign=world.campaign,
        status="solved",
        solved_at=timezone.now() - timedelta(days=1),
    )
    Problem.objects.create(title="未解决", raised_by_unit=world.a, campaign=world.campaign)
    Problem.objects.create(title="别的行动", raised_by_unit=world.a, campaign=world.other_campaign)
    table = weekly_table(world.campaign, periods.week_of(timezone.localdate()))
    assert row_of(table, world.a).cells[0].detail == "1/2"
    assert row_of(table, world.a).cells[0].rate == Decimal("50.00")


def test_a_unit_without_a_target_for_a_part_is_scored_on_the_parts_it_has(world):
    make_scheme(
        world.campaign,
        [
            (Part.Kind.INDICATOR, 50, {"indicator": world.land}),
            (Part.Kind.INDICATOR, 50, {"indicator": world.projects}),
        ],
    )
    submit(world.b, world.week, {world.land: 100})  # 50 % of 200; b has no 在建项目 target
    b = row_of(weekly_table(world.campaign, world.week), world.b)
    assert b.cells[1].rate is None
    assert b.total == Decimal("50.00")  # 25 points of the 50 it can earn, scaled to 100


def test_schedule_part_compares_done_with_time_elapsed(world):
    make_scheme(world.campaign, [(Part.Kind.SCHEDULE, 20, {"capped": False})])
    submit(world.a, world.week, {world.land: 50, world.households: 25})
    table = weekly_table(world.campaign, world.week)
    expected = (Decimal(50) + Decimal(50) + Decimal(0)) / 3 * 100 / table.elapsed_pct  # 在建项目: nothing yet
    a = row_of(table, world.a)
    assert a.cells[0].rate == expected.quantize(Decimal("0.01"))


def test_equal_totals_share_the_rank_and_keep_the_units_order(world):
    make_scheme(
        world.campaign,
        [
            (Part.Kind.INDICATOR, 50, {"indicator": world.land}),
            (Part.Kind.INDICATOR, 50, {"indicator": world.households}),
        ],
    )
    submit(world.a, world.week, {world.land: 50, world.households: 25})  # 50 %, 50 %
    submit(world.b, world.week, {world.land: 100, world.households: 20})  # 50 %, 50 %
    for _ in range(2):  # the same every time
        table = weekly_table(world.campaign, world.week)
        assert [(r.unit.name, r.rank, r.total) for r in table.rows] == [
            ("甲指挥部", 1, Decimal("50.00")),
            ("乙指挥部", 1, Decimal("50.00")),
        ]


def unit(name, order):
    return SimpleNamespace(name=name, sort_order=order, path=f"{order:06d}.")


def fake_row(name, order, total, *points):
    cells = [SimpleNamespace(points=Decimal(p)) for p in points]
    return SimpleNamespace(unit=unit(name, order), total=Decimal(total), cells=cells, rank=0)


def test_tie_rule_parts_decides_equal_totals_by_the_parts_in_order():
    rows = [fake_row("丙", 3, 80, 30, 50), fake_row("甲", 1, 80, 40, 40), fake_row("乙", 2, 90, 45, 45)]
    rank(rows, Scheme.TieRule.PARTS)
    assert [(r.unit.name, r.rank) for r in rows] == [("乙", 1), ("甲", 2), ("丙", 3)]


def test_tie_rule_share_gives_equal_totals_one_rank_and_skips_the_next():
    rows = [fake_row("丙", 3, 80, 30, 50), fake_row("甲", 1, 80, 40, 40), fake_row("乙", 2, 90, 45, 45)]
    rows.append(fake_row("丁", 4, 70, 35, 35))
    rank(rows, Scheme.TieRule.SHARE)
    assert [(r.unit.name, r.rank) for r in rows] == [("乙", 1), ("甲", 2), ("丙", 2), ("丁", 4)]


def test_identical_parts_share_the_rank_under_the_parts_rule():
    rows = [fake_row("乙", 2, 80, 40, 40), fake_row("甲", 1, 80, 40, 40)]
    rank(rows, Scheme.TieRule.PARTS)
    assert [(r.unit.name, r.rank) for r in rows] == [("甲", 1), ("乙", 1)]


def test_rank_change_compares_with_the_week_before(world):
    make_scheme(world.campaign, [(Part.Kind.INDICATOR, 100, {"indicator": world.land})])
    before = world.week.prev()
    submit(world.a, before, {world.land: 10})  # a 10 %, b 0 %
    submit(world.b, world.week, {world.land: 100})  # then b 50 %, a 10 %
    table = weekly_table(world.campaign, world.week)
    assert [(r.unit.name, r.rank, r.prev_rank, r.change) for r in table.rows] == [
        ("乙指挥部", 1, 2, 1),
        ("甲指挥部", 2, 1, -1),
    ]


def test_the_monthly_ranking_takes_the_months_last_week(world):
    make_scheme(world.campaign, [(Part.Kind.INDICATOR, 100, {"indicator": world.land})])
    month = periods.period_of("month", timezone.localdate()).prev()  # a month that is over
    last = [w for w in month.weeks() if world.campaign.covers(w)][-1]
    submit(world.a, last, {world.land: 40})
    table = monthly_table(world.campaign, month)
    assert table.key == month.key and table.week == last and table.as_of == last.end
    assert row_of(table, world.a).total == Decimal("40.00")


def test_a_running_month_is_ranked_on_its_figures_so_far_never_a_week_to_come(world):
    month = periods.period_of("month", timezone.localdate())
    current = periods.current_week()
    if not month.contains(current.end):
        pytest.skip("the current week closes next month")
    table = monthly_table(world.campaign, month)
    assert table.week == current
    assert table.as_of <= timezone.localdate()


def test_default_parts_split_indicator_points_to_the_cent(world):
    parts = default_parts(world.campaign)
    weights = [p.weight for p in parts if p.kind == Part.Kind.INDICATOR]
    assert weights == [Decimal("16.67"), Decimal("16.67"), Decimal("16.66")]


@pytest.mark.parametrize("status", ["red", "green"])
def test_cell_colours_follow_the_parts_thresholds(world, status):
    make_scheme(
        world.campaign,
        [(Part.Kind.INDICATOR, 100, {"indicator": world.land, "green_from": 90, "yellow_from": 60})],
        green_from=90,
        yellow_from=60,
    )
    submit(world.a, world.week, {world.land: 95 if status == "green" else 30})
    a = row_of(weekly_table(world.campaign, world.week), world.a)
    assert a.cells[0].colour == status and a.colour == status
