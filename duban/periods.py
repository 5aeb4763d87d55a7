"""Period arithmetic, all in one place.

A reporting week is identified by its closing date: the office's cut-off weekday
(settings.DUBAN_WEEK_CLOSE_WEEKDAY, Friday by default). The week covers the six days
before the closing date and the closing date itself; reports are due by the cut-off time
(settings.DUBAN_WEEK_CLOSE_TIME) on the closing date. Its label is the ISO week of the
closing date ("2021-W23").

A week belongs to the month (and so the quarter, half-year and year) of its closing date:
"截至6月10日" figures of a week closing on 10 June count in June.

Time elapsed (时序进度) is measured in days, both ends included.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

HUNDRED = Decimal(100)
WEEK_LABEL_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def close_weekday():
    return settings.DUBAN_WEEK_CLOSE_WEEKDAY


@dataclass(frozen=True, order=True)
class Week:
    end: date

    @property
    def start(self):
        return self.end - timedelta(days=6)

    @property
    def label(self):
        year, week, _ = self.end.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def deadline(self):
        """The aware datetime by which this week's report is due."""
        tz = ZoneInfo(settings.TIME_ZONE)
        return datetime.combine(self.end, settings.DUBAN_WEEK_CLOSE_TIME, tzinfo=tz)

    def prev(self, n=1):
        return Week(self.end - timedelta(days=7 * n))

    def next(self, n=1):
        return Week(self.end + timedelta(days=7 * n))

    def contains(self, day):
        return self.start <= day <= self.end

    def __str__(self):
        return self.label


def week_of(day):
    """The week that contains `day`: the one closing on the first cut-off weekday on or after it."""
    return Week(day + timedelta(days=(close_weekday() - day.weekday()) % 7))


def current_week(now=None):
    """The week whose report is due next: after the cut-off on the closing day, the next week."""
    now = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    week = week_of(now.date())
    if now > week.deadline:
        week = week.next()
    return week


def parse_week(label):
    """Week from "YYYY-Www"; raises ValueError with a message for the user on bad input."""
    match = WEEK_LABEL_RE.match(label or "")
    if not match:
        raise ValueError(f"bad week label {label!r}, expected YYYY-Www")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        end = date.fromisocalendar(year, number, close_weekday() + 1)
    except ValueError:
        raise ValueError(f"no week {number} in {year}") from None
    return Week(end)


def weeks_between(first_day, last_day):
    """Every week that has at least one day in [first_day, last_day], in order."""
    weeks = []
    if last_day < first_day:
        return weeks
    week = week_of(first_day)
    while week.start <= last_day:
        weeks.append(week)
        week = week.next()
    return weeks


# Months, quarters, half-years and years ------------------------------------------------

PERIOD_KINDS = ("month", "quarter", "half", "year")


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def key(self):
        """Stable key for URLs: 2021-06, 2021-Q2, 2021-H1, 2021."""
        y = self.start.year
        if self.kind == "month":
            return f"{y}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{y}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{y}-H{1 if self.start.month == 1 else 2}"
        return f"{y}"

    def contains(self, day):
        return self.start <= day <= self.end

    def weeks(self):
        """The weeks that belong to this period: those whose closing date falls in it."""
        return [w for w in weeks_between(self.start, self.end) if self.contains(w.end)]

    def prev(self):
        return period_of(self.kind, self.start - timedelta(days=1))

    def next(self):
        return period_of(self.kind, self.end + timedelta(days=1))


def _month_end(year, month):
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_of(kind, day):
    """The month / quarter / half / year that contains `day`."""
    if kind == "month":
        first_month, months = day.month, 1
    elif kind == "quarter":
        first_month, months = (day.month - 1) // 3 * 3 + 1, 3
    elif kind == "half":
        first_month, months = (1 if day.month <= 6 else 7), 6
    elif kind == "year":
        first_month, months = 1, 12
    else:
        raise ValueError(f"unknown period kind {kind!r}")
    last_month = first_month + months - 1
    return Period(kind, date(day.year, first_month, 1), _month_end(day.year, last_month))


PERIOD_KEY_RES = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
}


def parse_period(kind, key):
    """Period from its kind and key (see Period.key); ValueError on bad input."""
    pattern = PERIOD_KEY_RES.get(kind)
    if pattern is None:
        raise ValueError(f"unknown period kind {kind!r}")
    match = pattern.match(key or "")
    if not match:
        raise ValueError(f"bad {kind} key {key!r}")
    year = int(match.group(1))
    if year < 1900:
        raise ValueError(f"year out of range in {key!r}")
    n = int(match.group(2)) if kind != "year" else 1
    month = {"month": n, "quarter": (n - 1) * 3 + 1, "half": (n - 1) * 6 + 1, "year": 1}[kind]
    return period_of(kind, date(year, month, 1))


# Time elapsed ----------------------------------------------------------------------------


def days_inclusive(start, end):
    return (end - start).days + 1


def elapsed_pct(start, end, at):
    """Share of the days from start to end (both included) that have passed by the end of `at`, in %."""
    if end < start:
        raise ValueError("end before start")
    if at < start:
        return Decimal(0)
    if at >= end:
        return HUNDRED
    return HUNDRED * days_inclusive(start, at) / days_inclusive(start, end)


def week_as_of(week, today=None):
    """The date a week's figures are "as of" on every surface: its closing date once that has
    come, and today while the week still runs (a reporter may file early; figures are never
    dated in the future)."""
    return min(week.end, today or timezone.localdate())


def offered_weeks(weeks, now=None):
    """The weeks a picker offers: none after the current one (a reporter may file it early)."""
    last = current_week(now)
    return [w for w in weeks if w <= last]


def offered_periods(periods, today=None):
    """The months (quarters, ...) a picker offers: none that has not begun."""
    today = today or timezone.localdate()
    return [p for p in periods if p.start <= today]


def last_closed(periods, today=None):
    """The latest of `periods` that is over by `today` (the default of a monthly view); the
    first one when none is over yet, None when there are none."""
    today = today or timezone.localdate()
    over = [p for p in periods if p.end < today]
    return over[-1] if over else (periods[0] if periods else None)


def days_left(end, at):
    """Whole days after `at` up to and including `end` (0 once `at` reaches `end`)."""
    return max((end - at).days, 0)
