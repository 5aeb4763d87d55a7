"""Schedule maths (duban/schedule.py): done %, gap, status colour, pace, projection, 倒排工期."""

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from duban.schedule import (
    Status,
    done_pct,
    gap,
    needed_per_week,
    projected_finish,
    q2,
    status,
    weekly_pace,
)

D = Decimal
PROPS = hyp_settings(max_examples=200, deadline=None, database=None)
TINY = D("1e-20")
MAX_DAYS = 365 * 100  # projected_finish gives up beyond this


def amounts(min_value="0", max_value="1000000"):
    return st.decimals(min_value=D(min_value), max_value=D(max_value), places=2, allow_nan=False, allow_infinity=False)


AMOUNTS = amounts()
POSITIVE = amounts("0.01")
POINTS = amounts("-200", "200")  # percentage points
AS_OF = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
RANK = {Status.GREEN: 0, Status.YELLOW: 1, Status.RED: 2}


# q2 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2.345"), D("2.35")),
        (D("2.344"), D("2.34")),
        (D("2.3449999"), D("2.34")),
        (D("-2.345"), D("-2.35")),
        (D("0.005"), D("0.01")),
        (D("0.004"), D("0.00")),
        (D("88.950276"), D("88.95")),
        (D("1"), D("1.00")),
        (7, D("7.00")),
        ("2.345", D("2.35")),
        (None, None),
    ],
)
def test_q2_rounds_half_up(value, expected):
    result = q2(value)
    assert result == expected
    if expected is not None:
        assert str(result) == str(expected)


@PROPS
@given(value=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False))
def test_q2_is_within_half_a_cent_with_two_places(value):
    rounded = q2(value)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - value) <= D("0.005")
    assert q2(rounded) == rounded
    assert q2(value.copy_negate()) == rounded.copy_negate()  # half up means half away from zero, symmetric


# done_pct and gap --------------------------------------------------------------------------


def test_done_pct_examples():
    assert done_pct(D(50), D(200)) == 25
    assert done_pct(D(0), D(200)) == 0
    assert done_pct(D(300), D(200)) == 150
    assert done_pct(65, 85) == D(100) * 65 / 85
    assert q2(done_pct(D(65), D(85))) == D("76.47")
    assert done_pct(D(5), D(0)) is None
    assert done_pct(D(5), None) is None


@PROPS
@given(done=AMOUNTS, other=AMOUNTS, target=POSITIVE)
def test_done_pct_properties(done, other, target):
    pct = done_pct(done, target)
    assert isinstance(pct, Decimal)
    assert pct >= 0
    assert done_pct(target, target) == 100
    assert (pct >= 100) == (done >= target)
    assert abs(pct * target / 100 - done) < TINY * max(1, done)
    if done <= other:
        assert pct <= done_pct(other, target)


def test_gap_examples():
    assert gap(D(60), D(70)) == D(-10)
    assert gap(D("76.47"), D("56.25")) == D("20.22")
    assert gap(None, D(50)) is None


@PROPS
@given(done_percent=POINTS, elapsed_percent=amounts("0", "100"))
def test_gap_is_done_minus_elapsed(done_percent, elapsed_percent):
    g = gap(done_percent, elapsed_percent)
    assert g + elapsed_percent == done_percent
    assert (g < 0) == (done_percent < elapsed_percent)


# status ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap_points", "expected"),
    [
        (D("50"), Status.GREEN),
        (D("0"), Status.GREEN),
        (D("-9.99"), Status.GREEN),
        (D("-10"), Status.YELLOW),
        (D("-10.00"), Status.YELLOW),
        (D("-29.99"), Status.YELLOW),
        (D("-30"), Status.YELLOW),
        (D("-30.01"), Status.RED),
        (D("-100"), Status.RED),
    ],
)
def test_status_thresholds(gap_points, expected):
    assert status(gap_points, D(10), D(30)) == expected


def test_status_without_a_target_is_none():
    assert status(None, D(10), D(30)) == Status.NONE
    assert status(None, D(10), D(30), higher_is_better=False, done=D(5), target=D(1)) == Status.NONE


@pytest.mark.parametrize(
    ("gap_points", "done", "target", "expected"),
    [
        (D("0"), D("100.01"), D("100"), Status.RED),
        (D("-50"), D("100.01"), D("100"), Status.RED),
        (D("50"), D("100.01"), D("100"), Status.RED),
        (D("0"), D("100"), D("100"), Status.GREEN),
        (D("-50"), D("99.99"), D("100"), Status.GREEN),  # far "behind" time is irrelevant for a ceiling
        (D("-50"), D("0"), D("100"), Status.GREEN),
        (D("-50"), None, D("100"), Status.GREEN),
        (D("-50"), D("200"), None, Status.GREEN),
    ],
)
def test_status_lower_is_better_is_red_only_over_the_ceiling(gap_points, done, target, expected):
    assert status(gap_points, D(10), D(30), higher_is_better=False, done=done, target=target) == expected


@PROPS
@given(
    g1=POINTS,
    g2=POINTS,
    yellow=amounts("0", "50"),
    extra=amounts("0", "50"),
)
def test_status_is_monotone_in_how_far_behind(g1, g2, yellow, extra):
    red = yellow + extra
    s1, s2 = status(g1, yellow, red), status(g2, yellow, red)
    behind = -g1
    assert (s1 == Status.GREEN) == (behind < yellow)
    assert (s1 == Status.RED) == (behind > red)
    if g1 >= g2:  # g2 is at least as far behind
        assert RANK[s1] <= RANK[s2]


@PROPS
@given(done=AMOUNTS, target=AMOUNTS, g=POINTS)
def test_status_lower_is_better_property(done, target, g):
    expected = Status.RED if done > target else Status.GREEN
    assert status(g, D(10), D(30), higher_is_better=False, done=done, target=target) == expected


def test_status_colours():
    colours = {s: s.colour for s in Status}
    assert all(c.startswith("#") and len(c) == 7 for c in colours.values())
    assert len(set(colours.values())) == len(Status)


# weekly_pace --------------------------------------------------------------------------------


def test_weekly_pace_examples():
    assert weekly_pace([]) is None
    assert weekly_pace([D(5)]) is None
    assert weekly_pace([D(0), D(10)]) == 10
    assert weekly_pace([0, 7, 14]) == 7
    # Fewer than weeks + 1 points: over what there is.
    assert weekly_pace([D(0), D(10), D(30)]) == 15
    # Only the last 4 weeks (5 points) count: 100 -> 140.
    assert weekly_pace([D(0), D(100), D(110), D(120), D(130), D(140)]) == 10
    assert weekly_pace([D(0), D(100), D(110), D(120), D(130), D(140)], weeks=2) == 10
    assert weekly_pace([D(0), D(100), D(110), D(120), D(130), D(140)], weeks=5) == 28
    # A cumulative figure that went down (a correction) gives a negative pace.
    assert weekly_pace([D(10), D(4)]) == -6


@PROPS
@given(
    first=AMOUNTS,
    increments=st.lists(amounts("-1000", "100000"), min_size=1, max_size=20),
    weeks=st.integers(min_value=1, max_value=8),
)
def test_weekly_pace_is_the_mean_of_the_last_weekly_increments(first, increments, weeks):
    series = [first]
    for inc in increments:
        series.append(series[-1] + inc)
    used = increments[-weeks:]
    assert weekly_pace(series, weeks=weeks) == sum(used, D(0)) / len(used)


@PROPS
@given(first=AMOUNTS, step=AMOUNTS, n=st.integers(min_value=1, max_value=20))
def test_weekly_pace_of_a_steady_series_is_the_step(first, step, n):
    series = [first + step * i for i in range(n + 1)]
    assert weekly_pace(series) == step


# projected_finish ------------------------------------------------------------------------------


AS_OF_DAY = date(2021, 6, 10)


@pytest.mark.parametrize(
    ("done", "target", "pace", "days"),
    [
        (D(0), D(10), D(5), 14),
        (D(0), D(10), D(3), 24),  # 10 / 3 weeks = 23.33 days -> the 24th day
        (D(90), D(100), D(10), 7),
        (D(90), D(100), D(70), 1),
        (D("99.99"), D(100), D("0.01"), 7),
        (D(0), D(1), D(7), 1),
        (D(0), D(8), D(7), 8),
        (D(0), D("0.08"), D("0.07"), 8),
    ],
)
def test_projected_finish_examples(done, target, pace, days):
    assert projected_finish(done, target, pace, AS_OF_DAY) == AS_OF_DAY + timedelta(days=days)


@pytest.mark.parametrize("pace", [D(5), D(0), D(-3), None])
@pytest.mark.parametrize(("done", "target"), [(D(100), D(100)), (D(120), D(100)), (D(0), D(0))])
def test_projected_finish_is_as_of_when_target_met(done, target, pace):
    assert projected_finish(done, target, pace, AS_OF_DAY) == AS_OF_DAY


@pytest.mark.parametrize("pace", [D(0), D("-0.01"), D(-5), None])
def test_projected_finish_is_none_without_progress(pace):
    assert projected_finish(D(10), D(100), pace, AS_OF_DAY) is None


def test_projected_finish_none_without_target_or_too_far_off():
    assert projected_finish(D(10), None, D(5), AS_OF_DAY) is None
    # 1,000,000 at 0.01 a week is far more than a century.
    assert projected_finish(D(0), D(1000000), D("0.01"), AS_OF_DAY) is None
    # 36,499.96 days rounds up to exactly 100 years, which is still given; 36,500.03 is not.
    assert projected_finish(D(0), D("5214.28"), D(1), AS_OF_DAY) == AS_OF_DAY + timedelta(days=MAX_DAYS)
    assert projected_finish(D(0), D("5214.29"), D(1), AS_OF_DAY) is None


def _check_finish(done, target, pace, as_of):
    """Days until the projected finish; asserts the target is reached on that day."""
    finish = projected_finish(done, target, pace, as_of)
    remaining = target - done
    if finish is None:
        # Only when even 100 years at this pace falls short.
        assert pace * MAX_DAYS < remaining * 7
        return None
    days = (finish - as_of).days
    assert days >= 1
    # done + pace * days / 7 >= target, kept exact by multiplying out the 7.
    assert done * 7 + pace * days >= target * 7
    return days


@PROPS
@given(done=AMOUNTS, target=AMOUNTS, pace=POSITIVE, as_of=AS_OF)
def test_projected_finish_reaches_the_target(done, target, pace, as_of):
    assume(target > done)
    _check_finish(done, target, pace, as_of)


@PROPS
@given(done=AMOUNTS, target=AMOUNTS, pace=POSITIVE, as_of=AS_OF)
def test_projected_finish_is_the_first_such_day_when_not_a_whole_number_of_days(done, target, pace, as_of):
    remaining = target - done
    assume(remaining > 0)
    assume(remaining * 7 % pace != 0)
    days = _check_finish(done, target, pace, as_of)
    if days is not None:
        assert done * 7 + pace * (days - 1) < target * 7


@example(done=D(0), target=D(8), pace=D(7), as_of=AS_OF_DAY)
@PROPS
@given(done=AMOUNTS, target=AMOUNTS, pace=POSITIVE, as_of=AS_OF)
def test_projected_finish_is_the_first_day_the_target_is_reached(done, target, pace, as_of):
    assume(target > done)
    days = _check_finish(done, target, pace, as_of)
    if days is not None:
        assert done * 7 + pace * (days - 1) < target * 7


@example(done=D(0), target=D(8), days_remaining=8, as_of=AS_OF_DAY)
@PROPS
@given(done=AMOUNTS, target=AMOUNTS, days_remaining=st.integers(min_value=1, max_value=3650), as_of=AS_OF)
def test_working_at_the_needed_pace_is_projected_to_finish_on_time(done, target, days_remaining, as_of):
    assume(target > done)
    # A pace of exactly what is needed, or a little more once rounded up to the cent.
    needed = needed_per_week(done, target, days_remaining)
    pace = needed.quantize(D("0.01"), rounding=ROUND_CEILING)
    finish = projected_finish(done, target, pace, as_of)
    assert finish is not None
    assert finish <= as_of + timedelta(days=days_remaining)


# needed_per_week (倒排工期) ----------------------------------------------------------------------


def test_needed_per_week_examples():
    assert needed_per_week(D(30), D(100), 14) == 35
    assert needed_per_week(D(90), D(100), 7) == 10
    assert needed_per_week(D(90), D(100), 1) == 70
    assert needed_per_week(D(0), D(100), 3) == D(700) / 3
    assert needed_per_week(D(100), D(100), 10) == 0
    assert needed_per_week(D(120), D(100), 10) == 0
    assert needed_per_week(D(100), D(100), 0) == 0  # done needs nothing, even with no time left
    assert needed_per_week(D(90), D(100), 0) is None
    assert needed_per_week(D(90), D(100), -3) is None
    assert needed_per_week(D(90), None, 10) is None


@PROPS
@given(done=AMOUNTS, target=AMOUNTS, days_remaining=st.integers(min_value=-30, max_value=3650))
def test_needed_per_week_properties(done, target, days_remaining):
    needed = needed_per_week(done, target, days_remaining)
    remaining = target - done
    if remaining <= 0:
        assert needed == 0
        return
    if days_remaining <= 0:
        assert needed is None
        return
    assert needed > 0
    # Working at that rate for the days left reaches the target (up to Decimal's 28 digits) ...
    finish = done + needed * days_remaining / 7
    assert abs(finish - target) < TINY * max(1, target)
    assert q2(finish) == target
    # ... exactly so when the rate is a whole number of cents.
    if (remaining * 700) % days_remaining == 0:
        assert done + needed * days_remaining / 7 == target
    # More time left never needs more per week.
    assert needed_per_week(done, target, days_remaining + 1) < needed


def test_needed_per_week_exactly_reaches_the_target():
    needed = needed_per_week(D("12.5"), D("112.5"), 14)
    assert needed == 50
    assert D("12.5") + needed * 14 / 7 == D("112.5")
