"""What a bulletin says, gathered once from the data; the Word and Excel builders only lay it out.

Weekly bulletin (督查通报): the sentences; per indicator a table of the units (target, this week,
cumulative, done %, time elapsed %, status, rank in the league table by that indicator); the
assessment league table (综合考评) with each part's points and rank change; the units flagged
(behind schedule now, bottom places or red for several periods in a row); the open problems.

Roll-up documents (monthly summary, quarterly statement, half-year and annual review): the
sentences and a table from reports.figures.period_amounts for the period and since the campaign
began, the monthly ranking for a month, and the units' weekly texts of the period under each unit.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from assessment.scoring import Scorer, campaign_months, month_last_week, monthly_table, weekly_table
from assessment.warnings import bottom_streaks, campaign_history, red_streaks
from bulletins import narrative
from campaigns.progress import campaign_progress
from duban import periods
from duban.gongwen.writer import campaign_office
from economy import bulletin as economy_bulletin
from org.models import OrgUnit
from ranking import league
from reports import entry
from reports.figures import period_amounts, weekly_amounts
from reports.models import WeeklyReport


def default_issuer(campaign):
    from bulletins.models import Bulletin

    last = Bulletin.objects.filter(campaign=campaign).order_by("-issued_at").first()
    if last:
        return last.issuer
    return campaign_office(campaign.owner.name)


@dataclass
class IndicatorTable:
    indicator: object
    rows: list  # campaigns.progress.UnitProgress per unit
    total: object  # UnitProgress or None
    ranks: dict  # unit_id -> rank by this indicator


@dataclass
class Flag:
    unit: str
    reason: str


@dataclass
class WeeklyContent:
    campaign: object
    week: periods.Week
    as_of: date
    progress: object
    sentences: list
    tables: list
    assessment: object  # assessment.scoring.Table
    flags: list
    problems: list
    trend: dict = field(default_factory=dict)  # indicator -> [(week label, cumulative done %)]
    economy: object = None  # economy.bulletin.EconomySection where the office chose indicators

    @property
    def period_key(self):
        return self.week.label


def _report_counts(campaign, units, week):
    """(on time, late, missing) of the campaign's units, counted as the office's home page counts
    them (reports/entry.submissions)."""
    groups = entry.submissions(week, units)
    return len(groups["on_time"]), len(groups["late"]), len(groups["missing"])


def open_problems(campaign):
    from problems.models import Problem

    return list(
        Problem.objects.filter(campaign=campaign, status__in=Problem.OPEN_STATUSES)
        .select_related("raised_by_unit", "responsible")
        .order_by("deadline", "pk")
    )


def _flags(campaign, week, tables_rows, scorer):
    """Units behind now, and units flagged by the warning rules with a run reaching this week."""
    scheme = scorer.scheme
    weeks_back = max(scheme.streak, scheme.red_weeks)
    weekly, monthly, _published = campaign_history(
        campaign, week, weeks=weeks_back, months=scheme.streak, scorer=scorer
    )
    flags = []
    for streak in bottom_streaks(weekly, scheme.bottom_n, scheme.streak):
        if streak.ongoing:
            flags.append(
                Flag(
                    streak.unit,
                    _("in the bottom %(n)d of the weekly league table %(k)d weeks in a row")
                    % {"n": scheme.bottom_n, "k": streak.length},
                )
            )
    for streak in bottom_streaks(monthly, scheme.bottom_n, scheme.streak):
        if streak.ongoing:
            flags.append(
                Flag(
                    streak.unit,
                    _("in the bottom %(n)d of the monthly ranking %(k)d months in a row")
                    % {"n": scheme.bottom_n, "k": streak.length},
                )
            )
    for streak in red_streaks(weekly, scheme.red_weeks):
        if streak.ongoing:
            flags.append(Flag(streak.unit, _("red %(k)d weeks in a row") % {"k": streak.length}))
    for row in tables_rows:
        if row.status.value in ("yellow", "red"):
            flags.append(
                Flag(
                    row.unit.name,
                    _("%(what)s %(pct)s%%, %(gap)s points behind time elapsed (%(status)s)")
                    % {
                        "what": row.indicator.name,
                        "pct": narrative.fmt(row.done_pct),
                        "gap": narrative.fmt(-row.gap),
                        "status": row.status.label,
                    },
                )
            )
    return flags


def _trend(campaign, progress, week):
    """Cumulative done % of the total target per indicator, week by week (one query)."""
    weeks = [w for w in periods.weeks_between(campaign.start, campaign.end) if w <= week]
    amounts = weekly_amounts(campaign.owner, progress.indicators, weeks)
    trend = {}
    for indicator in narrative.summary_indicators(progress):
        target = progress.totals[indicator.pk].target
        if not target:
            continue
        cum, points = 0, []
        for w in weeks:
            cum += amounts.get(indicator.pk, {}).get(w.end, 0)
            points.append((w.label, float(100 * cum / target)))
        trend[indicator] = points
    return trend


def weekly_content(campaign, week, as_of=None):
    # as of the office's own date when it gives one (a day of the week), else as every surface
    # dates the week (periods.week_as_of): never a day still to come
    progress = campaign_progress(campaign, as_of=as_of) if as_of else campaign_progress(campaign, week=week)
    as_of = progress.as_of
    scorer = Scorer(campaign)
    tables = []
    flagged_rows = []
    for indicator in progress.indicators:
        rows = progress.rows_for(indicator)
        # ranked as the league table ranks by one indicator (ranking/league.py)
        entries = league.rank([league.Entry(r.unit, r.done_pct or 0, r.done, [r]) for r in rows])
        ranks = {e.unit.pk: e.rank for e in entries}
        tables.append(IndicatorTable(indicator, rows, progress.totals.get(indicator.pk), ranks))
        flagged_rows += [r for r in rows if r.indicator.higher_is_better]
    assessment = weekly_table(campaign, progress.week, scorer=scorer)
    statuses = {r.unit.pk: r.status for r in assessment.rows}
    sentences = [
        narrative.progress_sentence(progress),
        narrative.investment_sentence(campaign, as_of),
        narrative.schedule_sentence(progress, statuses),
        *narrative.leader_sentences(progress),
        narrative.reports_sentence(*_report_counts(campaign, progress.units, progress.week)),
    ]
    return WeeklyContent(
        campaign=campaign,
        week=progress.week,
        as_of=as_of,
        progress=progress,
        sentences=[s for s in sentences if s],
        tables=tables,
        assessment=assessment,
        flags=_flags(campaign, progress.week, flagged_rows, scorer),
        problems=open_problems(campaign),
        trend=_trend(campaign, progress, progress.week),
        economy=economy_bulletin.section(campaign.owner, as_of),
    )


# Roll-ups ---------------------------------------------------------------------------------


@dataclass
class RollupRow:
    unit: object
    cells: list  # per indicator: (target, in period, cumulative, done % or None)


@dataclass
class RollupContent:
    campaign: object
    kind: str
    period: periods.Period
    as_of: date
    indicators: list
    sentences: list
    rows: list
    totals: list  # per indicator: (target, in period, cumulative, done %)
    narratives: list  # [(unit, [WeeklyReport])]
    ranking: object = None  # assessment Table for a month
    economy: object = None  # economy.bulletin.EconomySection where the office chose indicators

    @property
    def period_key(self):
        return self.period.key


def rollup_content(campaign, kind, period):
    """Raises ValueError when the campaign does not run in the period."""
    if period.end < campaign.start or period.start > campaign.end:
        raise ValueError("the campaign does not run in this period")
    progress = campaign_progress(campaign, as_of=min(period.end, campaign.end))  # never after today
    units, indicators = progress.units, [i for i in progress.indicators if i.kind != i.Kind.RATIO]
    end = progress.as_of
    # Weeks count in the period their closing date falls in (duban/periods.py).
    in_period = period_amounts(units, indicators, period.start, period.end)
    to_date = period_amounts(units, indicators, campaign.start, period.end)
    top = [u for u in units if not any(u is not o and u.path.startswith(o.path) for o in units)]
    rows, totals = [], []
    for unit in units:
        cells = []
        for indicator in indicators:
            row = progress.rows.get((unit.pk, indicator.pk))
            target = row.target if row else None
            cum = to_date[(unit.pk, indicator.pk)]
            cells.append((target, in_period[(unit.pk, indicator.pk)], cum, 100 * cum / target if target else None))
        rows.append(RollupRow(unit, cells))
    sentences = []
    for n, indicator in enumerate(indicators):
        target = sum((r.cells[n][0] or 0 for r in rows if r.unit in top), 0)
        amount = sum((r.cells[n][1] for r in rows if r.unit in top), 0)
        cum = sum((r.cells[n][2] for r in rows if r.unit in top), 0)
        totals.append((target, amount, cum, 100 * cum / target if target else None))
        sentences.append(narrative.rollup_sentence(period, indicator, amount, cum, target))
    if progress.as_of >= campaign.start:
        sentences.append(narrative.investment_sentence(campaign, progress.as_of))
    reports = (
        WeeklyReport.objects.filter(
            _subtree_q(top),
            status=WeeklyReport.Status.SUBMITTED,
            week_end__gte=period.start,
            week_end__lte=period.end,
        )
        .select_related("unit")
        .order_by("unit__path", "week_end")
    )
    by_unit = {u.pk: (u, []) for u in top}
    for report in reports:
        holder = next((u for u in top if report.unit.path.startswith(u.path)), None)
        if holder is not None and (report.progress_text or report.experience_text or report.problems_text):
            by_unit[holder.pk][1].append(report)
    ranking = None
    if kind == "month" and month_last_week(campaign, period) is not None and period in campaign_months(campaign):
        ranking = monthly_table(campaign, period)
    return RollupContent(
        campaign=campaign,
        kind=kind,
        period=period,
        as_of=end,
        indicators=indicators,
        sentences=[s for s in sentences if s],
        rows=rows,
        totals=totals,
        narratives=list(by_unit.values()),
        ranking=ranking,
        economy=economy_bulletin.section(campaign.owner, end),
    )


def _subtree_q(units):
    return OrgUnit.subtree_q([unit.path for unit in units], "unit__path")
