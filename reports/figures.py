"""Figures derived from submitted weekly reports: cumulative to date, last week, four weeks back.

Only submitted reports count. A unit's figure is the sum over its subtree: a command post's
figure includes what its working groups report. Each function runs a fixed number of queries,
whatever the number of units or weeks.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from campaigns.models import Indicator
from org.models import OrgUnit
from reports.models import ReportValue, WeeklyReport

ZERO = Decimal(0)
SUBMITTED = WeeklyReport.Status.SUBMITTED


@dataclass
class Figure:
    """One unit's figures for one indicator as of a week."""

    cum: Decimal = ZERO  # to the end of the week
    prev: Decimal = ZERO  # to the end of the week before
    back4: Decimal = ZERO  # to the end of the week four weeks before
    reported: bool = False  # any submitted value at all up to the week

    @property
    def this_week(self):
        return self.cum - self.prev

    @property
    def pace(self):
        """Average weekly amount over the last four weeks."""
        return (self.cum - self.back4) / 4


def _owners(target_units, unit_paths):
    """Map each reporting unit id to the target units whose subtree holds it."""
    owners = defaultdict(list)
    for unit_id, path in unit_paths:
        for target in target_units:
            if path.startswith(target.path):
                owners[unit_id].append(target.pk)
    return owners


def figures_as_of(target_units, indicators, first_day, week):
    """{(unit_id, indicator_id): Figure} for each target unit and entered-or-ratio indicator.

    Counts submitted values of weeks closing from `first_day` (inclusive of a week that
    overlaps it) up to `week`.
    """
    target_units = list(target_units)
    indicators = list(indicators)
    figures = defaultdict(Figure)
    if not target_units or not indicators:
        return figures
    by_id = {i.pk: i for i in indicators}
    for ratio in [i for i in indicators if i.kind == Indicator.Kind.RATIO]:
        for part_id in (ratio.numerator_id, ratio.denominator_id):
            if part_id not in by_id:
                by_id[part_id] = Indicator.objects.get(pk=part_id)
    entered = [i for i in by_id.values() if i.is_entered]
    flows = [i.pk for i in entered if i.kind == Indicator.Kind.FLOW]
    stocks = [i.pk for i in entered if i.kind == Indicator.Kind.STOCK]

    subtree = Q(pk__in=[])
    for unit in target_units:
        subtree |= Q(path__startswith=unit.path)
    unit_paths = list(OrgUnit.objects.filter(subtree).values_list("pk", "path"))
    owners = _owners(target_units, unit_paths)
    base = ReportValue.objects.filter(
        report__status=SUBMITTED,
        report__unit_id__in=list(owners),
        report__week_end__gte=first_day,
        report__week_end__lte=week.end,
    )

    if flows:
        rows = (
            base.filter(indicator_id__in=flows)
            .values("report__unit_id", "indicator_id")
            .annotate(
                cum=Sum("amount"),
                prev=Sum("amount", filter=Q(report__week_end__lte=week.prev().end)),
                back4=Sum("amount", filter=Q(report__week_end__lte=week.prev(4).end)),
            )
        )
        for row in rows:
            for owner in owners[row["report__unit_id"]]:
                fig = figures[(owner, row["indicator_id"])]
                fig.cum += row["cum"] or ZERO
                fig.prev += row["prev"] or ZERO
                fig.back4 += row["back4"] or ZERO
                fig.reported = True

    if stocks:
        rows = base.filter(indicator_id__in=stocks).values_list(
            "report__unit_id", "indicator_id", "report__week_end", "amount"
        )
        latest = {}
        for unit_id, indicator_id, week_end, amount in rows:
            for cut, name in ((week.end, "cum"), (week.prev().end, "prev"), (week.prev(4).end, "back4")):
                if week_end <= cut:
                    key = (unit_id, indicator_id, name)
                    if key not in latest or latest[key][0] < week_end:
                        latest[key] = (week_end, amount)
        for (unit_id, indicator_id, name), (_, amount) in latest.items():
            for owner in owners[unit_id]:
                fig = figures[(owner, indicator_id)]
                setattr(fig, name, getattr(fig, name) + amount)
                fig.reported = True

    for ratio in [i for i in indicators if i.kind == Indicator.Kind.RATIO]:
        for unit in target_units:
            num = figures.get((unit.pk, ratio.numerator_id), Figure())
            den = figures.get((unit.pk, ratio.denominator_id), Figure())
            figures[(unit.pk, ratio.pk)] = Figure(
                cum=_ratio(num.cum, den.cum),
                prev=_ratio(num.prev, den.prev),
                back4=_ratio(num.back4, den.back4),
                reported=num.reported and den.reported,
            )
    return figures


def _ratio(numerator, denominator):
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
            report__status=SUBMITTED,
            report__unit__path__startswith=unit.path,
            report__week_end__gte=weeks[0].end,
            report__week_end__lte=weeks[-1].end,
            indicator__in=[i.pk for i in indicators if i.is_entered],
        )
        .values("indicator_id", "report__week_end")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        result[row["indicator_id"]][row["report__week_end"]] = row["total"]
    return result


def period_amounts(units, indicators, start, end):
    """{(unit_id, indicator_id): amount} for each unit's subtree over weeks closing in [start, end].

    Flows: the sum of the weeks. Stocks: the latest level in the period, summed over the subtree.
    Ratios are left to the caller (numerator and denominator are returned when asked for).
    """
    units = list(units)
    result = defaultdict(lambda: ZERO)
    entered = [i for i in indicators if i.is_entered]
    if not units or not entered:
        return result
    subtree = Q(pk__in=[])
    for unit in units:
        subtree |= Q(path__startswith=unit.path)
    owners = _owners(units, OrgUnit.objects.filter(subtree).values_list("pk", "path"))
    base = ReportValue.objects.filter(
        report__status=SUBMITTED,
        report__unit_id__in=list(owners),
        report__week_end__gte=start,
        report__week_end__lte=end,
    )
    flows = [i.pk for i in entered if i.kind == Indicator.Kind.FLOW]
    stocks = [i.pk for i in entered if i.kind == Indicator.Kind.STOCK]
    if flows:
        for row in (
            base.filter(indicator_id__in=flows).values("report__unit_id", "indicator_id").annotate(total=Sum("amount"))
        ):
            for owner in owners[row["report__unit_id"]]:
                result[(owner, row["indicator_id"])] += row["total"]
    if stocks:
        latest = {}
        for unit_id, indicator_id, week_end, amount in base.filter(indicator_id__in=stocks).values_list(
            "report__unit_id", "indicator_id", "report__week_end", "amount"
        ):
            key = (unit_id, indicator_id)
            if key not in latest or latest[key][0] < week_end:
                latest[key] = (week_end, amount)
        for (unit_id, indicator_id), (_, amount) in latest.items():
            for owner in owners[unit_id]:
                result[(owner, indicator_id)] += amount
    return result
