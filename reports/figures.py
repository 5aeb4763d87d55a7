"""Figures derived from submitted weekly reports: cumulative to date, last week, four weeks back.

Only submitted reports count. A unit's figure is the sum over its subtree: a command post's
figure includes what its working groups report. Each function runs a fixed number of queries,
whatever the number of units or weeks.
"""

import os
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from campaigns.models import Indicator
from duban import periods
from org.models import OrgUnit, path_prefixes, topmost_paths
from reports.models import ReportValue, WeeklyReport

ZERO = Decimal(0)
PACE_WEEKS = 4
SUBMITTED = WeeklyReport.Status.SUBMITTED


@dataclass
class Figure:
    """One unit's figures for one indicator as of a week."""

    cum: Decimal = ZERO  # to the end of the week
    prev: Decimal = ZERO  # to the end of the week before
    back4: Decimal = ZERO  # to the end of the week four weeks before
    reported: bool = False  # any submitted value at all up to the week
    pace_weeks: int = PACE_WEEKS  # weeks the pace is taken over (fewer early in a campaign)

    @property
    def this_week(self):
        return self.cum - self.prev

    @property
    def pace(self):
        """Average weekly amount over the last four weeks (or the weeks there have been)."""
        return (self.cum - self.back4) / self.pace_weeks


def _ledger_rows(indicators, unit_ids, first_day, last_day):
    """Rows (unit_id, indicator_id, week_end, amount) from the ledgers that hold them: the
    key-project ledger, the requisition ledger and the land ledger."""
    from land.ledger import ledger_rows as land_rows
    from projects.ledger import ledger_rows as project_rows
    from requisition.ledger import ledger_rows as requisition_rows

    return (
        project_rows(indicators, unit_ids, first_day, last_day)
        + requisition_rows(indicators, unit_ids, first_day, last_day)
        + land_rows(indicators, unit_ids, first_day, last_day)
    )


OR_LIMIT = 50  # subtrees OR-ed into one query at most; SQLite refuses expression trees deeper than 1000


def _owners(units):
    """Map each unit in the units' subtrees to the given units that hold it (one query).

    The subtrees are read with one LIKE per topmost unit; past OR_LIMIT of them (a campaign of
    two thousand villages) the query reads their common ancestor's subtree instead and the
    prefixes sort it out here."""
    by_path = {unit.path: unit.pk for unit in units}
    roots = topmost_paths(by_path)
    if len(roots) <= OR_LIMIT:
        subtree = OrgUnit.subtree_q(roots)
    else:
        common = os.path.commonprefix(roots)
        subtree = Q(path__startswith=common[: common.rfind(".") + 1]) if "." in common else Q()
    owners = defaultdict(list)
    for unit_id, path in OrgUnit.objects.filter(subtree).values_list("pk", "path"):
        for prefix in path_prefixes(path):
            if (owner := by_path.get(prefix)) is not None:
                owners[unit_id].append(owner)
    return owners


def _levels(units, indicators, first_day, cuts, owners=None):
    """{(unit_id, indicator_id): [level at each cut date]}, each unit summed over its subtree.

    Flows sum the weeks closing from `first_day` up to the cut; stocks take each reporting
    unit's latest value up to the cut. Only pairs with a submitted value appear.
    Indicators taken from a ledger (see projects/ledger.py) count like flows.
    A fixed number of queries, whatever the number of units; `owners` (from owners_of(units))
    when the caller already has it.
    """
    flows = [i.pk for i in indicators if i.is_entered and i.kind == Indicator.Kind.FLOW]
    stocks = [i.pk for i in indicators if i.is_entered and i.kind == Indicator.Kind.STOCK]
    ledger = [i for i in indicators if i.from_ledger]
    levels = defaultdict(lambda: [ZERO] * len(cuts))
    if not units or not (flows or stocks or ledger):
        return levels
    owners = _owners(units) if owners is None else owners
    base = ReportValue.objects.filter(
        report__status=SUBMITTED,
        report__unit_id__in=list(owners),
        report__week_end__gte=first_day,
        report__week_end__lte=max(cuts),
    )
    if flows:
        sums = {f"c{n}": Sum("amount", filter=Q(report__week_end__lte=cut)) for n, cut in enumerate(cuts)}
        for row in base.filter(indicator_id__in=flows).values("report__unit_id", "indicator_id").annotate(**sums):
            for owner in owners[row["report__unit_id"]]:
                level = levels[(owner, row["indicator_id"])]
                for n in range(len(cuts)):
                    level[n] += row[f"c{n}"] or ZERO
    if ledger:
        for unit_id, indicator_id, week_end, amount in _ledger_rows(ledger, list(owners), first_day, max(cuts)):
            for owner in owners[unit_id]:
                level = levels[(owner, indicator_id)]
                for n, cut in enumerate(cuts):
                    if week_end <= cut:
                        level[n] += amount
    if stocks:
        latest = {}
        rows = base.filter(indicator_id__in=stocks).values_list(
            "report__unit_id", "indicator_id", "report__week_end", "amount"
        )
        for unit_id, indicator_id, week_end, amount in rows:
            for n, cut in enumerate(cuts):
                key = (unit_id, indicator_id, n)
                if week_end <= cut and (key not in latest or latest[key][0] < week_end):
                    latest[key] = (week_end, amount)
        for (unit_id, indicator_id, n), (_, amount) in latest.items():
            for owner in owners[unit_id]:
                levels[(owner, indicator_id)][n] += amount
    return levels


def owners_of(units):
    """{unit_id: [ids of the given units whose subtree holds it]} for every unit in their
    subtrees (one query): what figures_as_of and trend_totals sum by."""
    return _owners(units)


def figures_as_of(target_units, indicators, first_day, week, owners=None):
    """{(unit_id, indicator_id): Figure} for each target unit and indicator (ratios included).

    Counts submitted values of the weeks closing from `first_day` up to `week`; `owners` from
    owners_of(target_units) when the caller keeps it.
    """
    target_units = list(target_units)
    indicators = list(indicators)
    by_id = {i.pk: i for i in indicators}
    ratios = [i for i in indicators if i.kind == Indicator.Kind.RATIO]
    missing = {part for r in ratios for part in (r.numerator_id, r.denominator_id)} - set(by_id)
    by_id.update({i.pk: i for i in Indicator.objects.filter(pk__in=missing)} if missing else {})
    weeks_so_far = (week.end - periods.week_of(first_day).end).days // 7 + 1
    pace_weeks = max(1, min(PACE_WEEKS, weeks_so_far))
    cuts = (week.end, week.prev().end, week.prev(PACE_WEEKS).end)
    figures = defaultdict(Figure)
    for key, (cum, prev, back4) in _levels(target_units, by_id.values(), first_day, cuts, owners).items():
        figures[key] = Figure(cum, prev, back4, reported=True, pace_weeks=pace_weeks)
    for ratio in ratios:
        for unit in target_units:
            num = figures.get((unit.pk, ratio.numerator_id), Figure())
            den = figures.get((unit.pk, ratio.denominator_id), Figure())
            figures[(unit.pk, ratio.pk)] = Figure(
                cum=_ratio(num.cum, den.cum),
                prev=_ratio(num.prev, den.prev),
                back4=_ratio(num.back4, den.back4),
                reported=num.reported and den.reported,
                pace_weeks=pace_weeks,
            )
    return figures


def _ratio(numerator, denominator):
    """A ratio indicator's figure from its parts' (in %)."""
    return ZERO if not denominator else Decimal(100) * numerator / denominator


def weekly_amounts(unit, indicators, weeks):
    """{indicator_id: {week_end: amount}} of submitted values in the unit's subtree (one query).

    Flows are summed; stocks are summed over the subtree's units per week.
    """
    weeks = list(weeks)
    result = defaultdict(dict)
    if not weeks:
        return result
    rows = (
        ReportValue.objects.filter(
            unit.within_q("report__unit__path"),
            report__status=SUBMITTED,
            report__week_end__gte=weeks[0].end,
            report__week_end__lte=weeks[-1].end,
            indicator__in=[i.pk for i in indicators if i.is_entered],
        )
        .values("indicator_id", "report__week_end")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        result[row["indicator_id"]][row["report__week_end"]] = row["total"]
    ledger = [i for i in indicators if i.from_ledger]
    if ledger:
        unit_ids = list(unit.subtree().values_list("pk", flat=True))
        for _, indicator_id, week_end, amount in _ledger_rows(ledger, unit_ids, weeks[0].end, weeks[-1].end):
            if week_end <= weeks[-1].end:
                by_week = result[indicator_id]
                by_week[week_end] = by_week.get(week_end, ZERO) + amount
    return result


def levels_at(units, indicators, first_day, weeks):
    """{(unit_id, indicator_id): [cumulative level at the end of each week]} for flows, stocks
    and ledger indicators (not ratios), each unit summed over its subtree: the series behind a
    trend chart, in the same fixed number of queries as figures_as_of."""
    weeks = list(weeks)
    if not weeks:
        return {}
    return _levels(list(units), list(indicators), first_day, tuple(w.end for w in weeks))


def trend_totals(units_of, first_day, weeks, owners):
    """{indicator_id: [total level at the end of each week]}: for each indicator, the sum over the
    subtrees of its units (`units_of`: {indicator: units, none inside another}), from `first_day`
    — the series of a campaign's trend chart. `owners` is owners_of(all the campaign's units).

    Flows and ledger indicators are added up by week in the database (one grouped query per set
    of units, whatever their number); stocks take each reporting unit's latest level (_levels).
    """
    weeks = list(weeks)
    totals = {indicator.pk: [ZERO] * len(weeks) for indicator in units_of}
    if not weeks:
        return totals
    by_units = defaultdict(list)
    for indicator, units in units_of.items():
        by_units[frozenset(u.pk for u in units)].append(indicator)
    for unit_ids, indicators in by_units.items():
        mine = {m: [o for o in held_by if o in unit_ids] for m, held_by in owners.items()}
        mine = {m: held_by for m, held_by in mine.items() if held_by}
        members = list(mine)
        weekly = defaultdict(lambda: defaultdict(lambda: ZERO))  # indicator_id -> week_end -> amount
        flows = [i.pk for i in indicators if i.is_entered and i.kind == Indicator.Kind.FLOW]
        if flows and members:
            rows = (
                ReportValue.objects.filter(
                    report__status=SUBMITTED,
                    report__unit_id__in=members,
                    report__week_end__gte=first_day,
                    report__week_end__lte=weeks[-1].end,
                    indicator_id__in=flows,
                )
                .values_list("indicator_id", "report__week_end")
                .annotate(total=Sum("amount"))
            )
            for indicator_id, week_end, amount in rows:
                weekly[indicator_id][week_end] += amount or ZERO
        ledger = [i for i in indicators if i.from_ledger]
        if ledger and members:
            for _unit, indicator_id, week_end, amount in _ledger_rows(ledger, members, first_day, weeks[-1].end):
                weekly[indicator_id][week_end] += amount
        for indicator_id, by_week in weekly.items():
            series = totals[indicator_id]
            for week_end, amount in by_week.items():
                for n, week in enumerate(weeks):
                    if week_end <= week.end:
                        series[n] += amount
        stocks = [i for i in indicators if i.is_entered and i.kind == Indicator.Kind.STOCK]
        if stocks:
            cuts = tuple(w.end for w in weeks)
            for (_unit, indicator_id), levels in _levels(units_of[stocks[0]], stocks, first_day, cuts, mine).items():
                totals[indicator_id] = [a + b for a, b in zip(totals[indicator_id], levels, strict=True)]
    return totals


def period_amounts(units, indicators, start, end):
    """{(unit_id, indicator_id): amount} for each unit's subtree over the weeks closing in [start, end].

    Flows: the sum of the weeks. Stocks: the latest level in the period, summed over the subtree.
    """
    result = defaultdict(lambda: ZERO)
    for key, (amount,) in _levels(list(units), list(indicators), start, (end,)).items():
        result[key] = amount
    return result


ratio_of = _ratio  # for reports/rollups.py, which computes ratios from its roll-ups the same way
