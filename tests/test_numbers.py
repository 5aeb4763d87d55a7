from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duban.numbers import to_decimal


@pytest.mark.parametrize(
    "raw, value",
    [("12.5", "12.5"), (" 1,234.50 ", "1234.50"), ("1，234", "1234"), (0.1, "0.1"), (3, "3"), ("-2", "-2")],
)
def test_it_reads_numbers_exactly(raw, value):
    assert to_decimal(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["abc", "", "NaN", "Infinity", "-inf", True, None, [1]])
def test_it_refuses_what_is_not_a_finite_number(raw):
    with pytest.raises(ValueError):
        to_decimal(raw)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**15), max_value=10**15))
def test_a_typed_decimal_comes_back_unchanged(value):
    assert to_decimal(f"{value:,}") == value


# Writing figures as offices write them ------------------------------------------------------------


def test_counts_have_no_decimals_and_other_amounts_two():
    from duban.numbers import amount, figure, pct, wan, yi

    assert amount(Decimal("3875"), "户") == "3,875"
    assert amount(Decimal("12"), "座") == "12" and amount(Decimal("7"), "宗") == "7" and amount(3, "个") == "3"
    assert amount(Decimal("1493487.5"), "m²") == "1,493,487.50" and amount(Decimal("12.345"), "亩") == "12.35"
    assert amount(None, "户") == "—"
    assert pct(Decimal("61")) == "61.00%" and pct(None) == "—"
    assert wan(Decimal("12345678")) == "1,234.57" and yi(Decimal("881900000")) == "8.82"
    assert figure(Decimal("3875"), "户") == "3,875 户" and figure(Decimal("12.5"), "亩") == "12.50 亩"


def test_weeks_and_dates_are_written_as_offices_write_them():
    from datetime import date

    from duban.numbers import day_cell, day_text, week_text
    from duban.periods import week_of

    week = week_of(date(2026, 12, 3))  # closes Friday 4 December
    assert week_text(week) == "第49周（11月28日—12月4日）"
    assert day_text(date(2026, 12, 3)) == "2026年12月3日" and day_cell(date(2026, 12, 3)) == "2026-12-03"


def test_the_pages_write_counts_without_decimals(world, login):
    from django.urls import reverse

    from tests.conftest import submit

    submit(world.a, world.week.prev(), {world.land: Decimal("12.5"), world.households: 7})
    html = login(world.office).get(reverse("campaign_detail", args=[world.campaign.pk])).content.decode()
    assert '<td class="n">7</td>' in html and '<td class="n">7.00</td>' not in html  # 户
    assert '<td class="n">12.50</td>' in html  # 亩
    league = login(world.office).get(reverse("league", args=[world.campaign.pk])).content.decode()
    assert '<td class="n">7</td>' in league and "第" in league and "周（" in league


def test_the_investment_summary_writes_money_in_yi_with_two_decimals_from_decimals(db):
    import io
    from datetime import date

    from django.core.management import call_command

    from org.models import OrgUnit
    from projects.models import AnnualPlan, MonthlyInvestment, Project

    unit = OrgUnit.objects.create(name="测试区", kind=OrgUnit.Kind.ZONE)
    project = Project.objects.create(name="项目", unit=unit, total_investment=Decimal("1234567890.12"))
    AnnualPlan.objects.create(project=project, year=2021, amount=Decimal("400000000"))
    MonthlyInvestment.objects.create(project=project, month=date(2021, 3, 1), amount=Decimal("100000000.01"))
    out = io.StringIO()
    call_command("investment_summary", "--year", "2021", "--through-month", "5", stdout=out)
    assert out.getvalue().startswith("1个项目，总投资12.35亿元，年度计划投资4.00亿元；2021年1-5月累计完成投资1.00亿元")
