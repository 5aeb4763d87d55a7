"""Period arithmetic (duban/periods.py): weeks, months/quarters/halves/years, time elapsed."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from duban.periods import (
    PERIOD_KINDS,
    Week,
    current_week,
    days_inclusive,
    days_left,
    elapsed_pct,
    parse_period,
    parse_week,
    period_of,
    week_of,
    weeks_between,
)
from duban.schedule import q2

SHANGHAI = ZoneInfo("Asia/Shanghai")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14, a day ahead of UTC
NEW_YORK = ZoneInfo("America/New_York")
ONE_DAY = timedelta(days=1)

# Labels and keys use four-digit years and parse_period refuses years before 1900, so keep
# the dates in a range where every label is well formed (and far from date.min/date.max).
DATES = st.dates(min_value=date(1900, 1, 8), max_value=date(2200, 12, 24))
WEEKDAYS = st.integers(min_value=0, max_value=6)
KINDS = st.sampled_from(PERIOD_KINDS)

PROPS = hyp_settings(max_examples=150, deadline=None, database=None)
# The pytest-django `settings` fixture is function scoped; each example sets what it needs.
PROPS_WITH_SETTINGS = hyp_settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def days(first, last):
    """Every date from first to last, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture
def friday_close(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = 4
    settings.DUBAN_WEEK_CLOSE_TIME = time(17, 0)
    return settings


# Weeks ---------------------------------------------------------------------------------


@PROPS_WITH_SETTINGS
@given(day=DATES, weekday=WEEKDAYS)
def test_week_of_contains_the_day_and_closes_on_the_close_weekday(settings, day, weekday):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    week = week_of(day)
    assert week.contains(day)
    assert week.end.weekday() == weekday
    assert week.start == week.end - timedelta(days=6)
    assert 0 <= (week.end - day).days <= 6
    # Every day of the week maps back to the same week.
    assert week_of(week.start) == week
    assert week_of(week.end) == week
    assert not week.contains(week.start - ONE_DAY)
    assert not week.contains(week.end + ONE_DAY)


@PROPS_WITH_SETTINGS
@given(day=DATES, weekday=WEEKDAYS)
def test_week_label_round_trips_through_parse_week(settings, day, weekday):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    week = week_of(day)
    iso_year, iso_week, _ = week.end.isocalendar()
    assert week.label == f"{iso_year}-W{iso_week:02d}"
    assert str(week) == week.label
    assert parse_week(week.label) == week


@PROPS_WITH_SETTINGS
@given(day=DATES, weekday=WEEKDAYS, n=st.integers(min_value=0, max_value=60))
def test_prev_and_next_are_seven_days_apart_and_tile(settings, day, weekday, n):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    week = week_of(day)
    assert week.next().end - week.end == timedelta(days=7)
    assert week.end - week.prev().end == timedelta(days=7)
    assert week.next().start == week.end + ONE_DAY
    assert week.prev().end == week.start - ONE_DAY
    assert week.next().prev() == week
    assert week.next(n).end == week.end + timedelta(days=7 * n)
    assert week.prev(n).end == week.end - timedelta(days=7 * n)
    assert week.prev() < week < week.next()
    assert week.next().end.weekday() == weekday


@PROPS_WITH_SETTINGS
@given(first=DATES, span=st.integers(min_value=0, max_value=120), weekday=WEEKDAYS)
def test_weeks_between_covers_every_day_exactly_once(settings, first, span, weekday):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    last = first + timedelta(days=span)
    weeks = weeks_between(first, last)
    assert weeks, "a non-empty range has at least one week"
    for day in days(first, last):
        assert sum(w.contains(day) for w in weeks) == 1, day
    # In order, consecutive, and no week entirely outside the range.
    assert all(b == a.next() for a, b in zip(weeks, weeks[1:], strict=False))
    assert weeks[0].contains(first)
    assert weeks[-1].contains(last)
    assert all(w.end >= first and w.start <= last for w in weeks)
    assert len(weeks) <= span // 7 + 2


def test_friday_close_week_of_10_june_2021(friday_close):
    week = week_of(date(2021, 6, 10))  # a Thursday
    assert week == Week(date(2021, 6, 11))
    assert week.start == date(2021, 6, 5)
    assert week.label == "2021-W23"
    assert parse_week("2021-W23") == week
    assert week.deadline == datetime(2021, 6, 11, 17, 0, tzinfo=SHANGHAI)


def test_friday_close_week_label_uses_iso_year_of_closing_date(friday_close):
    # 1 January 2021 is a Friday in ISO week 53 of 2020.
    week = week_of(date(2020, 12, 30))
    assert week.end == date(2021, 1, 1)
    assert week.label == "2020-W53"
    assert parse_week("2020-W53") == week


def test_thursday_close_week_of_10_june_2021_closes_that_day(settings):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = 3
    week = week_of(date(2021, 6, 10))
    assert week.end == date(2021, 6, 10)
    assert week.start == date(2021, 6, 4)


@pytest.mark.parametrize(
    ("now", "expected_end"),
    [
        # Thursday: still the week closing on Friday 11 June.
        (datetime(2021, 6, 10, 9, 0, tzinfo=SHANGHAI), date(2021, 6, 11)),
        # Friday, one second before / exactly at / one second after the 17:00 deadline.
        (datetime(2021, 6, 11, 16, 59, 59, tzinfo=SHANGHAI), date(2021, 6, 11)),
        (datetime(2021, 6, 11, 17, 0, 0, tzinfo=SHANGHAI), date(2021, 6, 11)),
        (datetime(2021, 6, 11, 17, 0, 1, tzinfo=SHANGHAI), date(2021, 6, 18)),
        (datetime(2021, 6, 11, 16, 59, 59, 999999, tzinfo=SHANGHAI), date(2021, 6, 11)),
        (datetime(2021, 6, 11, 17, 0, 0, 1, tzinfo=SHANGHAI), date(2021, 6, 18)),
        # Saturday after the deadline: the next week.
        (datetime(2021, 6, 12, 8, 0, tzinfo=SHANGHAI), date(2021, 6, 18)),
        # Same instants given in UTC (Shanghai is UTC+8): the local time decides.
        (datetime(2021, 6, 11, 8, 59, 59, tzinfo=UTC), date(2021, 6, 11)),
        (datetime(2021, 6, 11, 9, 0, 1, tzinfo=UTC), date(2021, 6, 18)),
        # Thursday 23:30 UTC is already Friday 07:30 in Shanghai.
        (datetime(2021, 6, 10, 23, 30, tzinfo=UTC), date(2021, 6, 11)),
    ],
)
def test_current_week_switches_after_the_friday_17_00_deadline(friday_close, now, expected_end):
    assert current_week(now) == Week(expected_end)


def test_current_week_judges_the_closing_day_in_the_office_time_zone(friday_close):
    # With a 23:00 cut-off, Friday 20:00 in Shanghai is still before the deadline, even when the
    # instant is given in a zone where it is already Saturday.
    friday_close.DUBAN_WEEK_CLOSE_TIME = time(23, 0)
    now = datetime(2021, 6, 12, 2, 0, tzinfo=KIRITIMATI)
    assert now == datetime(2021, 6, 11, 20, 0, tzinfo=SHANGHAI)
    assert current_week(now) == Week(date(2021, 6, 11))
    assert current_week(now + timedelta(hours=3, seconds=1)) == Week(date(2021, 6, 18))


def test_current_week_defaults_to_now(friday_close, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2021, 6, 11, 9, 0, 1, tzinfo=UTC))
    assert current_week() == Week(date(2021, 6, 18))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2021, 6, 11, 8, 59, 59, tzinfo=UTC))
    assert current_week() == Week(date(2021, 6, 11))


@PROPS_WITH_SETTINGS
@given(
    now=st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([SHANGHAI, UTC, KIRITIMATI, NEW_YORK]),
    ),
    weekday=WEEKDAYS,
    close_time=st.times(),
)
def test_current_week_is_the_first_week_whose_deadline_has_not_passed(settings, now, weekday, close_time):
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    settings.DUBAN_WEEK_CLOSE_TIME = close_time
    week = current_week(now)
    assert week.end.weekday() == weekday
    assert week.deadline.time() == close_time
    assert now <= week.deadline
    assert week.prev().deadline < now


@pytest.mark.parametrize(
    "label",
    ["2021-W54", "abc", "2021-13", "2021-Q5", "2021-W53", "2021-W00", "2021-W5", "21-W05", "2021-w05", "", None],
)
def test_parse_week_rejects_bad_labels(friday_close, label):
    with pytest.raises(ValueError):
        parse_week(label)


def test_parse_week_accepts_week_53_in_a_long_iso_year(friday_close):
    assert parse_week("2020-W53") == Week(date(2021, 1, 1))


# Months, quarters, half-years, years ----------------------------------------------------

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@PROPS
@given(kind=KINDS, day=DATES)
def test_period_of_contains_the_day_and_periods_tile(kind, day):
    period = period_of(kind, day)
    assert period.kind == kind
    assert period.contains(day)
    assert period.start.day == 1
    assert (period.end + ONE_DAY).day == 1
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    assert months == MONTHS_IN[kind]
    assert (period.start.month - 1) % MONTHS_IN[kind] == 0
    # No gap, no overlap with the neighbours.
    assert period.next().start == period.end + ONE_DAY
    assert period.prev().end == period.start - ONE_DAY
    assert period.next().prev() == period
    assert period.prev().next() == period
    assert period_of(kind, period.start) == period == period_of(kind, period.end)
    assert not period.contains(period.start - ONE_DAY)
    assert not period.contains(period.end + ONE_DAY)


@PROPS
@given(day=DATES)
def test_periods_nest(day):
    month, quarter, half, year = (period_of(kind, day) for kind in ("month", "quarter", "half", "year"))
    for inner, outer in ((month, quarter), (quarter, half), (half, year)):
        assert outer.start <= inner.start and inner.end <= outer.end


@PROPS
@given(kind=KINDS, day=DATES)
def test_period_key_round_trips_through_parse_period(kind, day):
    period = period_of(kind, day)
    assert parse_period(kind, period.key) == period


@pytest.mark.parametrize(
    ("kind", "key", "start", "end"),
    [
        ("month", "2021-06", date(2021, 6, 1), date(2021, 6, 30)),
        ("quarter", "2021-Q2", date(2021, 4, 1), date(2021, 6, 30)),
        ("half", "2021-H1", date(2021, 1, 1), date(2021, 6, 30)),
        ("year", "2021", date(2021, 1, 1), date(2021, 12, 31)),
    ],
)
def test_periods_of_10_june_2021(kind, key, start, end):
    period = period_of(kind, date(2021, 6, 10))
    assert (period.key, period.start, period.end) == (key, start, end)
    assert parse_period(kind, key) == period


@pytest.mark.parametrize(
    ("kind", "key", "start", "end"),
    [
        ("month", "2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("month", "2021-02", date(2021, 2, 1), date(2021, 2, 28)),
        ("month", "2021-12", date(2021, 12, 1), date(2021, 12, 31)),
        ("quarter", "2021-Q4", date(2021, 10, 1), date(2021, 12, 31)),
        ("quarter", "2021-Q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("half", "2021-H2", date(2021, 7, 1), date(2021, 12, 31)),
    ],
)
def test_parse_period_known_keys(kind, key, start, end):
    period = parse_period(kind, key)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.key == key


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("month", "2021-13"),
        ("month", "2021-00"),
        ("month", "2021-6"),
        ("month", "abc"),
        ("month", "1899-12"),
        ("quarter", "2021-Q5"),
        ("quarter", "2021-Q0"),
        ("half", "2021-H3"),
        ("year", "21"),
        ("year", ""),
        ("year", None),
        ("week", "2021"),
    ],
)
def test_parse_period_rejects_bad_keys(kind, key):
    with pytest.raises(ValueError):
        parse_period(kind, key)


def test_period_of_rejects_unknown_kind():
    with pytest.raises(ValueError):
        period_of("week", date(2021, 6, 10))


@PROPS_WITH_SETTINGS
@given(kind=KINDS, day=DATES, weekday=WEEKDAYS)
def test_period_weeks_are_exactly_those_closing_in_it(settings, kind, day, weekday):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    period = period_of(kind, day)
    expected = [Week(d) for d in days(period.start, period.end) if d.weekday() == weekday]
    assert period.weeks() == expected


@PROPS_WITH_SETTINGS
@given(year=st.integers(min_value=1901, max_value=2199), weekday=WEEKDAYS)
def test_every_week_belongs_to_exactly_one_month(settings, year, weekday):
    settings.DUBAN_WEEK_CLOSE_WEEKDAY = weekday
    year_period = period_of("year", date(year, 6, 1))
    by_month = [w for m in range(1, 13) for w in period_of("month", date(year, m, 1)).weeks()]
    assert by_month == year_period.weeks()
    by_quarter = [w for q in (1, 4, 7, 10) for w in period_of("quarter", date(year, q, 1)).weeks()]
    assert by_quarter == year_period.weeks()


def test_june_2021_weeks_with_friday_close(friday_close):
    june = period_of("month", date(2021, 6, 10))
    assert [w.end for w in june.weeks()] == [date(2021, 6, 4), date(2021, 6, 11), date(2021, 6, 18), date(2021, 6, 25)]
    # The week 26 June - 2 July closes in July, so it counts in July.
    assert period_of("month", date(2021, 7, 1)).weeks()[0] == Week(date(2021, 7, 2))


# Time elapsed ------------------------------------------------------------------------------

OFFSETS = st.integers(min_value=-60, max_value=800)


def test_elapsed_pct_hand_computed_example():
    start, end, at = date(2021, 1, 1), date(2021, 6, 30), date(2021, 6, 10)
    assert days_inclusive(start, at) == 161
    assert days_inclusive(start, end) == 181
    pct = elapsed_pct(start, end, at)
    assert isinstance(pct, Decimal)
    assert abs(pct - Decimal(161) / Decimal(181) * 100) < Decimal("1e-20")
    assert q2(pct) == Decimal("88.95")
    assert days_left(end, at) == 20


def test_elapsed_pct_edges():
    start, end = date(2021, 1, 1), date(2021, 6, 30)
    assert elapsed_pct(start, end, start - ONE_DAY) == 0
    assert elapsed_pct(start, end, start) == Decimal(100) / 181  # the first day counts once it is over
    assert elapsed_pct(start, end, end - ONE_DAY) == Decimal(100) * 180 / 181
    assert elapsed_pct(start, end, end) == 100
    assert elapsed_pct(start, end, end + timedelta(days=400)) == 100
    # A one-day campaign.
    assert elapsed_pct(start, start, start - ONE_DAY) == 0
    assert elapsed_pct(start, start, start) == 100


def test_elapsed_pct_rejects_end_before_start():
    with pytest.raises(ValueError):
        elapsed_pct(date(2021, 6, 30), date(2021, 6, 29), date(2021, 6, 29))


@PROPS
@given(start=DATES, length=st.integers(min_value=0, max_value=730), a=OFFSETS, b=OFFSETS)
def test_elapsed_pct_properties(start, length, a, b):
    end = start + timedelta(days=length)
    at1, at2 = sorted([start + timedelta(days=a), start + timedelta(days=b)])
    p1, p2 = elapsed_pct(start, end, at1), elapsed_pct(start, end, at2)
    for at, p in ((at1, p1), (at2, p2)):
        assert 0 <= p <= 100
        if at < start:
            assert p == 0
        if at >= end:
            assert p == 100
        if start <= at < end:
            assert 0 < p < 100
    assert p1 <= p2


@PROPS
@given(start=DATES, length=st.integers(min_value=0, max_value=730), offset=OFFSETS)
def test_days_left_properties(start, length, offset):
    end = start + timedelta(days=length)
    at = start + timedelta(days=offset)
    left = days_left(end, at)
    assert left >= 0
    if at >= end:
        assert left == 0
    else:
        assert at + timedelta(days=left) == end
    if start <= at <= end:
        # Days gone plus days left make the whole campaign, and elapsed % agrees with days left.
        total = days_inclusive(start, end)
        assert days_inclusive(start, at) + left == total
        assert abs(elapsed_pct(start, end, at) - Decimal(100) * (total - left) / total) < Decimal("1e-20")


def test_days_left_examples():
    end = date(2021, 6, 30)
    assert days_left(end, date(2021, 6, 29)) == 1
    assert days_left(end, end) == 0
    assert days_left(end, date(2021, 7, 5)) == 0
    assert days_left(end, date(2021, 1, 1)) == 180


@PROPS_WITH_SETTINGS
@given(day=DATES)
def test_week_deadline_is_on_the_closing_date_in_local_time(friday_close, day):
    week = week_of(day)
    assert week.deadline.tzinfo is not None
    assert week.deadline.astimezone(SHANGHAI).date() == week.end
    assert week.deadline.astimezone(SHANGHAI).time() == time(17, 0)
