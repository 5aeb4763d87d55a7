"""Implausible weekly figures: held back until the reporter confirms them.

A week's amount (a flow's amount, a stock's rise over last week's level) above the campaign's
bound — the whole target in one week, or `Campaign.hold_factor` times the unit's best week so
far, whichever is larger — is stored as a HeldFigure instead of a ReportValue: no league, page,
screen, bulletin or API figure counts it until the reporter confirms it with a reason.
A figure no real unit could reach (duban/measures.py) is refused before this, in entry.py.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Max

from campaigns.models import Indicator
from reports.models import HeldFigure, ReportValue, WeeklyReport

ZERO = Decimal(0)


def week_amount(line, amount):
    """What the unit did this week: the amount of a flow, the rise of a stock's level."""
    if line.indicator.kind == Indicator.Kind.STOCK:
        return amount - (line.last_level or ZERO)
    return amount


def best_weeks(unit, week, lines):
    """{indicator_id: the unit's largest week before `week`} from its own submitted reports
    (two queries at most)."""
    flows = [line.indicator.pk for line in lines if line.indicator.is_entered and line.indicator.kind == "flow"]
    stocks = [line.indicator.pk for line in lines if line.indicator.is_entered and line.indicator.kind == "stock"]
    base = ReportValue.objects.filter(
        report__unit=unit, report__status=WeeklyReport.Status.SUBMITTED, report__week_end__lt=week.end
    )
    best = defaultdict(lambda: ZERO)
    if flows:
        for indicator_id, top in (
            base.filter(indicator_id__in=flows).values_list("indicator_id").annotate(top=Max("amount"))
        ):
            best[indicator_id] = top or ZERO
    if stocks:
        last = {}
        rows = base.filter(indicator_id__in=stocks).order_by("report__week_end")
        for indicator_id, amount in rows.values_list("indicator_id", "amount"):
            rise = amount - last.get(indicator_id, ZERO)
            best[indicator_id] = max(best[indicator_id], rise)
            last[indicator_id] = amount
    return best


def bounds(unit, week, lines):
    """{indicator_id: the week's amount above which the figure is held}: the strictest of the
    campaigns the line counts in."""
    best = best_weeks(unit, week, lines)
    result = {}
    for line in lines:
        if line.indicator.from_ledger or not line.campaigns:
            continue
        result[line.indicator.pk] = min(
            max(c.target, c.campaign.hold_factor * best[line.indicator.pk]) for c in line.campaigns
        )
    return result


def to_hold(unit, week, lines, amounts, report=None):
    """{indicator_id: bound} of the amounts to hold back. An amount the reporter already
    confirmed for this report is not held again."""
    confirmed = {}
    if report is not None and report.pk:
        confirmed = {
            h.indicator_id: h.amount for h in HeldFigure.objects.filter(report=report, confirmed_at__isnull=False)
        }
    limits = bounds(unit, week, lines)
    held = {}
    for line in lines:
        amount = amounts.get(line.indicator.pk)
        bound = limits.get(line.indicator.pk)
        if amount is None or bound is None or confirmed.get(line.indicator.pk) == amount:
            continue
        if week_amount(line, amount) > bound:
            held[line.indicator.pk] = bound
    return held


def pending(reports):
    """The held figures not yet confirmed of these reports (a queryset or list)."""
    return HeldFigure.objects.filter(report__in=reports, confirmed_at__isnull=True).select_related(
        "indicator", "report__unit"
    )


def pending_in_campaign(campaign, readable_units):
    """The held figures not yet confirmed in `campaign`: of its indicators, in weeks of its period,
    in its target units' subtrees, of the units the viewer may read."""
    from org.models import OrgUnit

    targets = campaign.targets.values_list("unit__path", "indicator_id")
    paths = {path for path, _ in targets}
    return (
        HeldFigure.objects.filter(
            OrgUnit.subtree_q(paths, "report__unit__path"),
            confirmed_at__isnull=True,
            indicator_id__in={indicator_id for _, indicator_id in targets},
            report__week_end__gte=campaign.start,
            report__week_end__lte=campaign.end,
            report__unit__in=readable_units,
        )
        .select_related("indicator", "report__unit")
        .order_by("-report__week_end", "report__unit__path")
    )
