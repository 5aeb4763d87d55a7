"""Scores of a campaign's units under its scheme: the weekly league table and the monthly ranking.

The figures come from campaigns/progress.py (done %, time elapsed, status), the same rows the
campaign page and ranking/league.py show. Each part gives a rate in % (higher is better) and
points = weight × rate ÷ 100, rounded to 0.01 before they are added:

- indicator: done % of the unit's target (for a lower-is-better ceiling: 100 while within it,
  else target ÷ done); capped at 100 unless the part says otherwise;
- schedule: done % ÷ time elapsed % over the unit's indicators (mean), 100 when no time elapsed;
- reports: weeks of the campaign so far whose report the unit submitted by the deadline;
- tasks: the unit's task-list items due by the date that were done by their deadline;
- problems: the campaign's coordination problems the unit is responsible for (or raised, when
  no one is responsible) that were solved by the date.
Parts with nothing to count (no task due, no problem) give full marks. A unit without a target
for a part's indicator is scored on the parts it has: its total is scaled to the full score.

Ranks: higher total first; equal totals are decided by the parts in their order when the tie
rule says so; units still equal share the rank ("1, 2, 2, 4"), listed in the units' order.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from assessment.models import Part, Publication, Scheme
from assessment.scheme import scheme_for
from campaigns.models import Task
from campaigns.progress import campaign_progress
from duban import periods
from duban.schedule import q2
from ranking.league import Entry
from reports.models import WeeklyReport

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass
class Cell:
    part: Part
    rate: Decimal | None  # None: the part does not apply to this unit
    points: Decimal
    colour: str
    detail: str = ""


@dataclass
class UnitScore:
    unit: object
    cells: list
    total: Decimal
    colour: str
    status: str  # worst progress status of the unit's indicators
    rank: int = 0
    prev_rank: int | None = None

    @property
    def change(self):
        return None if self.prev_rank is None else self.prev_rank - self.rank


@dataclass
class Table:
    campaign: object
    kind: str  # Publication.Kind
    key: str  # "2021-W23" or "2021-06"
    week: periods.Week  # the week the figures are taken at
    as_of: object
    elapsed_pct: Decimal
    scheme: Scheme
    parts: list
    is_default: bool
    rows: list = field(default_factory=list)

    @property
    def full_score(self):
        return sum((p.weight for p in self.parts), ZERO)

    def as_data(self):
        """The table as plain JSON data: what is published, frozen, and rendered."""
        return {
            "kind": self.kind,
            "key": self.key,
            "as_of": self.as_of.isoformat(),
            "elapsed_pct": str(q2(self.elapsed_pct)),
            "full_score": str(q2(self.full_score)),
            "parts": [{"label": p.label, "kind": p.kind, "weight": str(q2(p.weight))} for p in self.parts],
            "rows": [
                {
                    "unit_id": r.unit.pk,
                    "unit": r.unit.name,
                    "rank": r.rank,
                    "prev_rank": r.prev_rank,
                    "change": r.change,
                    "total": str(r.total),
                    "colour": r.colour,
                    "status": r.status,
                    "cells": [
                        {
                            "rate": None if c.rate is None else str(c.rate),
                            "points": str(c.points),
                            "colour": c.colour,
                            "detail": c.detail,
                        }
                        for c in r.cells
                    ],
                }
                for r in self.rows
            ],
        }


def colour(rate, green_from, yellow_from):
    if rate is None:
        return "none"
    if rate >= green_from:
        return "green"
    if rate >= yellow_from:
        return "yellow"
    return "red"


def _ratio(part, whole):
    return HUNDRED * part / whole if whole else None


def _indicator_rate(row):
    if row.indicator.higher_is_better:
        return row.done_pct
    if row.done <= row.target:
        return HUNDRED
    return HUNDRED * row.target / row.done


def _end_of_day(day):
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _holder(units, path):
    """The target units (deepest first) whose subtree holds `path`."""
    return [u for u in units if path.startswith(u.path)]


def _count_cell(part, counts, unit_id):
    done, due = counts.get(unit_id, (0, 0))
    if not due:
        return HUNDRED, _("none due")
    return _ratio(done, due), f"{done}/{due}"


class Scorer:
    """Scores one campaign at any of its weeks. The scheme, the reports' submission times, the
    task list and the problems are loaded once (one query each) and progress is computed once a
    week: a bulletin needs half a dozen tables (this week, last week, the weeks and months the
    warnings look back on)."""

    def __init__(self, campaign):
        self.campaign = campaign
        self.scheme, self.parts, self.is_default = scheme_for(campaign)
        self.kinds = {p.kind for p in self.parts}
        self._progress = {}
        self._submissions = None
        self._tasks = None
        self._problems = None

    def progress(self, week):
        if week not in self._progress:
            self._progress[week] = campaign_progress(self.campaign, week=week)
        return self._progress[week]

    def _load_submissions(self, units):
        if self._submissions is None:
            rows = WeeklyReport.objects.filter(
                unit__in=units,
                week_end__gte=periods.week_of(self.campaign.start).end,
                week_end__lte=periods.week_of(self.campaign.end).end,
                status=WeeklyReport.Status.SUBMITTED,
            ).values_list("unit_id", "week_end", "submitted_at")
            self._submissions = [
                (unit_id, week_end)
                for unit_id, week_end, submitted_at in rows
                if submitted_at is not None and submitted_at <= periods.Week(week_end).deadline
            ]
        return self._submissions

    def report_counts(self, units, week):
        """{unit_id: (on time, weeks due)} over the campaign's weeks up to `week`."""
        weeks = [w for w in periods.weeks_between(self.campaign.start, self.campaign.end) if w <= week]
        on_time = defaultdict(int)
        for unit_id, week_end in self._load_submissions(units):
            if week_end <= week.end:
                on_time[unit_id] += 1
        return {u.pk: (on_time[u.pk], len(weeks)) for u in units}

    def task_counts(self, units, as_of):
        """{unit_id: (done on time, due)} of the task-list items due by `as_of`."""
        if self._tasks is None:
            self._tasks = list(
                Task.objects.filter(campaign=self.campaign)
                .exclude(status=Task.Status.CANCELLED)
                .values_list("unit__path", "deadline", "status", "done_on")
            )
        counts = defaultdict(lambda: [0, 0])
        for path, deadline, status, done_on in self._tasks:
            if deadline > as_of:
                continue
            on_time = status == Task.Status.DONE and done_on is not None and done_on <= deadline
            for unit in _holder(units, path):
                counts[unit.pk][1] += 1
                counts[unit.pk][0] += on_time
        return counts

    def problem_counts(self, units, as_of):
        """{unit_id: (solved by as_of, raised by as_of)} of the campaign's coordination problems:
        those the unit is responsible for, or raised when no one is responsible."""
        from problems.models import Problem

        if self._problems is None:
            self._problems = list(
                Problem.objects.filter(campaign=self.campaign)
                .exclude(status=Problem.Status.RETURNED)
                .values_list("responsible__path", "raised_by_unit__path", "created_at", "solved_at")
            )
        end = _end_of_day(as_of)
        counts = defaultdict(lambda: [0, 0])
        for responsible, raised_by, created_at, solved_at in self._problems:
            if created_at > end:
                continue
            for unit in _holder(units, responsible or raised_by):
                counts[unit.pk][1] += 1
                counts[unit.pk][0] += solved_at is not None and solved_at <= end
        return counts

    def table(self, week, kind, key):
        progress = self.progress(week)
        units = progress.units
        parts = self.parts
        reports = self.report_counts(units, progress.week) if Part.Kind.REPORTS in self.kinds else {}
        tasks = self.task_counts(units, progress.as_of) if Part.Kind.TASKS in self.kinds else {}
        problems = self.problem_counts(units, progress.as_of) if Part.Kind.PROBLEMS in self.kinds else {}
        full = sum((p.weight for p in parts), ZERO)
        table = Table(
            self.campaign,
            kind,
            key,
            progress.week,
            progress.as_of,
            progress.elapsed_pct,
            self.scheme,
            parts,
            self.is_default,
        )
        for unit in units:
            unit_rows = [r for i in progress.indicators if (r := progress.rows.get((unit.pk, i.pk)))]
            cells = []
            for part in parts:
                detail = ""
                if part.kind == Part.Kind.INDICATOR:
                    row = progress.rows.get((unit.pk, part.indicator_id))
                    rate = _indicator_rate(row) if row else None
                elif part.kind == Part.Kind.SCHEDULE:
                    pcts = [r.done_pct for r in unit_rows if r.indicator.higher_is_better and r.done_pct is not None]
                    if not pcts:
                        rate = None
                    elif not progress.elapsed_pct:
                        rate = HUNDRED
                    else:
                        rate = sum(pcts, ZERO) / len(pcts) * HUNDRED / progress.elapsed_pct
                elif part.kind == Part.Kind.REPORTS:
                    rate, detail = _count_cell(part, reports, unit.pk)
                elif part.kind == Part.Kind.TASKS:
                    rate, detail = _count_cell(part, tasks, unit.pk)
                else:
                    rate, detail = _count_cell(part, problems, unit.pk)
                if rate is not None:
                    if part.capped:
                        rate = min(rate, HUNDRED)
                    rate = q2(rate)
                    points = q2(part.weight * rate / HUNDRED)
                else:
                    points = ZERO
                cells.append(Cell(part, rate, points, colour(rate, part.green_from, part.yellow_from), detail))
            eligible = sum((c.part.weight for c in cells if c.rate is not None), ZERO)
            earned = sum((c.points for c in cells), ZERO)
            total = q2(earned * full / eligible) if eligible else ZERO
            status = Entry(unit, ZERO, ZERO, unit_rows).status
            table.rows.append(
                UnitScore(
                    unit,
                    cells,
                    total,
                    colour(_ratio(total, full), self.scheme.green_from, self.scheme.yellow_from),
                    status.value if status else "none",
                )
            )
        rank(table.rows, self.scheme.tie_rule)
        return table


def rank(rows, tie_rule=Scheme.TieRule.PARTS):
    """Sort rows best first and give competition ranks in place ("1, 2, 2, 4")."""

    def key(row):
        if tie_rule == Scheme.TieRule.PARTS:
            return (row.total, *[c.points for c in row.cells])
        return (row.total,)

    rows.sort(key=lambda r: (tuple(-v for v in key(r)), r.unit.sort_order, r.unit.path))
    previous = None
    for position, row in enumerate(rows, start=1):
        k = key(row)
        row.rank = previous[1] if previous and previous[0] == k else position
        previous = (k, row.rank)
    return rows


def campaign_weeks(campaign):
    return periods.weeks_between(campaign.start, campaign.end)


def campaign_months(campaign):
    """The months with at least one of the campaign's weeks closing in them, in order."""
    months = []
    for week in campaign_weeks(campaign):
        month = periods.period_of("month", week.end)
        if not months or months[-1] != month:
            months.append(month)
    return months


def month_last_week(campaign, month):
    """The campaign's last week closing in `month`, or None when none does."""
    weeks = [w for w in month.weeks() if campaign.covers(w)]
    return weeks[-1] if weeks else None


def weekly_table(campaign, week, with_change=True, scorer=None):
    scorer = scorer or Scorer(campaign)
    table = scorer.table(week, Publication.Kind.WEEK, week.label)
    if with_change and week.prev().end >= campaign.start:
        before = {r.unit.pk: r.rank for r in scorer.table(week.prev(), Publication.Kind.WEEK, "").rows}
        for row in table.rows:
            row.prev_rank = before.get(row.unit.pk)
    return table


def monthly_table(campaign, month, with_change=True, scorer=None):
    """The monthly ranking: the scores as of the campaign's last week closing in the month."""
    week = month_last_week(campaign, month)
    if week is None:
        raise ValueError("the campaign has no week in this month")
    current = periods.current_week()
    if week > current and month.contains(current.end) and campaign.covers(current):
        week = current  # a month still running: its figures so far, never a week to come
    scorer = scorer or Scorer(campaign)
    table = scorer.table(week, Publication.Kind.MONTH, month.key)
    previous = month_last_week(campaign, month.prev())
    if with_change and previous is not None:
        before = {r.unit.pk: r.rank for r in scorer.table(previous, Publication.Kind.MONTH, "").rows}
        for row in table.rows:
            row.prev_rank = before.get(row.unit.pk)
    return table
