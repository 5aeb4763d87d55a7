"""A campaign's progress per unit and in total, as of a date: the figures every page,
the CLI and the league table share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target
from duban import figure_cache, periods, schedule, versions
from org.models import OrgUnit, topmost_paths
from reports import rollups
from reports.figures import Figure, figures_as_of, owners_of


@dataclass
class UnitProgress:
    """One unit's progress on one indicator. Rows are shared by the requests that read the same
    cached progress (duban/figure_cache.py): never changed once made; what is derived is kept."""

    unit: object  # OrgUnit, or None for the total
    indicator: object
    target: Decimal
    figure: Figure
    elapsed_pct: Decimal
    days_remaining: int
    as_of: date
    campaign: Campaign

    @property
    def done(self):
        return self.figure.cum

    @property
    def this_week(self):
        return self.figure.this_week

    @property
    def last_week_cum(self):
        return self.figure.prev

    @property
    def remaining(self):
        return max(self.target - self.done, Decimal(0))

    @cached_property
    def done_pct(self):
        return schedule.done_pct(self.done, self.target)

    @cached_property
    def gap(self):
        return schedule.gap(self.done_pct, self.elapsed_pct)

    @cached_property
    def status(self):
        return schedule.status(
            self.gap,
            self.campaign.yellow_gap,
            self.campaign.red_gap,
            higher_is_better=self.indicator.higher_is_better,
            done=self.done,
            target=self.target,
        )

    @cached_property  # the template asks twice (the date, and whether it is late)
    def projected_finish(self):
        return schedule.projected_finish(self.done, self.target, self.figure.pace, self.as_of)

    @property
    def projected_late(self):
        finish = self.projected_finish
        return finish is None or finish > self.campaign.end

    @property
    def needed_per_week(self):
        return schedule.needed_per_week(self.done, self.target, self.days_remaining)

    def as_dict(self):
        q2 = schedule.q2
        return {
            "unit_id": self.unit.pk if self.unit else None,
            "unit": self.unit.name if self.unit else "合计",
            "indicator": self.indicator.code,
            "target": str(q2(self.target)),
            "done": str(q2(self.done)),
            "done_pct": str(q2(self.done_pct)),
            "elapsed_pct": str(q2(self.elapsed_pct)),
            "gap": str(q2(self.gap)),
            "status": self.status.value,
            "projected_finish": self.projected_finish.isoformat() if self.projected_finish else None,
            "needed_per_week": str(q2(self.needed_per_week)) if self.needed_per_week is not None else None,
        }


@dataclass
class Progress:
    campaign: Campaign
    as_of: date
    week: periods.Week
    elapsed_pct: Decimal
    indicators: list
    units: list
    rows: dict  # (unit_id, indicator_id) -> UnitProgress
    totals: dict  # indicator_id -> UnitProgress
    owners: dict = None  # reports/figures.owners_of(units), for more figures of the same units

    def rows_for(self, indicator):
        return [self.rows[(u.pk, indicator.pk)] for u in self.units if (u.pk, indicator.pk) in self.rows]


def clamp_to_campaign(campaign, day):
    return min(max(day, campaign.start), campaign.end)


def default_as_of(campaign, today=None):
    return clamp_to_campaign(campaign, today or timezone.localdate())


def top_unit_ids(units):
    """The target units not inside another target unit: a total counts each of them once
    (nested target units are inside their ancestor)."""
    top = set(topmost_paths(u.path for u in units))
    return {u.pk for u in units if u.path in top}


def uses_ledger(indicators):
    """Whether figures of these indicators come from a ledger (a ratio's parts may): then the
    ledger part of the data version guards them too."""
    return any(i.from_ledger or i.kind == Indicator.Kind.RATIO for i in indicators)


def _as_of_and_week(campaign, as_of, week):
    """The one rule for what a campaign's figures are "as of" (every surface comes here): a
    week's figures are as of periods.week_as_of (its closing date, or today while it runs); a
    date picks the week containing it and is never later than today."""
    today = timezone.localdate()
    if week is None:
        as_of = min(as_of or today, today)
        week = periods.week_of(clamp_to_campaign(campaign, as_of))
        as_of = clamp_to_campaign(campaign, as_of)
    else:
        as_of = clamp_to_campaign(campaign, periods.week_as_of(week, today))
    return as_of, min(week, periods.week_of(campaign.end))


@dataclass
class _Layout:
    """A campaign's targets, units and indicators, and which units each target unit's subtree
    holds: all that does not change with weekly reports."""

    targets: list  # (unit_id, indicator_id, amount)
    by_unit: dict
    indicators: list
    units: list
    top_ids: set
    owners: dict  # reports/figures.owners_of(units)
    campaign_id: int = None

    @property
    def uses_ledger(self):
        return uses_ledger(self.indicators)

    def as_targets(self):
        """(Target rows with their unit and indicator, owners) for reports/rollups.py."""
        by_indicator = {i.pk: i for i in self.indicators}
        targets = [rollups.Aim(self.campaign_id, self.by_unit[u], by_indicator[i]) for u, i, _a in self.targets]
        return targets, self.owners


def _layout(campaign, version):
    stamp = version.stamp(reports=False) if version else None
    return figure_cache.get_or_make(("layout", campaign.pk), stamp, lambda: _make_layout(campaign))


def _make_layout(campaign):
    # one object per unit and per indicator, however many targets share them (a province-wide
    # campaign has thousands of units)
    targets = list(Target.objects.filter(campaign=campaign).values_list("unit_id", "indicator_id", "amount"))
    in_campaign = Target.objects.filter(campaign=campaign)
    by_unit = {u.pk: u for u in OrgUnit.objects.filter(pk__in=in_campaign.values("unit_id"))}
    by_indicator = {i.pk: i for i in Indicator.objects.filter(pk__in=in_campaign.values("indicator_id"))}
    indicators = sorted(by_indicator.values(), key=lambda i: (i.sort_order, i.code))
    units = sorted(by_unit.values(), key=lambda u: (u.sort_order, u.path))
    return _Layout(targets, by_unit, indicators, units, top_unit_ids(units), owners_of(units), campaign.pk)


def _figures(campaign, layout, week, version):
    """The figures of the campaign's targets to a week: the costly part of its progress, the same
    whatever the date it is seen from."""
    stamp = version.stamp(ledger=layout.uses_ledger) if version else None
    if campaign.pk is None or version is None:
        return dict(figures_as_of(layout.units, layout.indicators, campaign.start, week, layout.owners))
    # read from the roll-ups every write moves by its delta (reports/rollups.py)
    return figure_cache.get_or_make(
        ("figures", campaign.pk, week.end),
        stamp,
        lambda: rollups.figures(campaign, layout.indicators, week, version, layout.as_targets()),
    )


def figures_week(campaign, as_of=None):
    """The week campaign_progress(campaign, as_of) takes its figures to."""
    return _as_of_and_week(campaign, as_of, None)[1]


def figures_stamp(campaign, version):
    """The stamp (duban/figure_cache.py) of what the campaign's figures are computed from."""
    return version.stamp(ledger=_layout(campaign, version).uses_ledger)


def campaign_progress(campaign, as_of=None, week=None, version=None):
    """Progress as of a date (reports of the week containing it count) or as of a week's end.

    Kept in duban/figure_cache.py while the data version holds (`version`: duban/versions.py,
    read here when not given): the campaign page, its league table and the big screen ask for
    the same figures many times between two writes.
    """
    as_of, week = _as_of_and_week(campaign, as_of, week)
    if campaign.pk is None:
        return _progress(campaign, as_of, week, None)
    version = version or versions.read()
    layout = _layout(campaign, version)
    return figure_cache.get_or_make(
        ("progress", campaign.pk, as_of, week.end),
        version.stamp(ledger=layout.uses_ledger),
        lambda: _progress(campaign, as_of, week, version, layout),
    )


def _progress(campaign, as_of, week, version, layout=None):
    elapsed = periods.elapsed_pct(campaign.start, campaign.end, as_of)
    left = periods.days_left(campaign.end, as_of)
    base = layout or _layout(campaign, version)
    figures = _figures(campaign, base, week, version)
    by_indicator = {i.pk: i for i in base.indicators}
    rows = {}
    for unit_id, indicator_id, amount in base.targets:
        rows[(unit_id, indicator_id)] = UnitProgress(
            base.by_unit[unit_id],
            by_indicator[indicator_id],
            amount,
            figures.get((unit_id, indicator_id)) or Figure(),
            elapsed,
            left,
            as_of,
            campaign,
        )

    totals = {}
    for indicator in base.indicators:
        if indicator.kind == indicator.Kind.RATIO:
            continue  # a ratio's total is not the sum of the units' ratios
        parts = [r for (uid, iid), r in rows.items() if iid == indicator.pk and uid in base.top_ids]
        total = Figure(reported=any(r.figure.reported for r in parts))
        for r in parts:
            total.cum += r.figure.cum
            total.prev += r.figure.prev
            total.back4 += r.figure.back4
        totals[indicator.pk] = UnitProgress(
            None, indicator, sum((r.target for r in parts), Decimal(0)), total, elapsed, left, as_of, campaign
        )
    return Progress(campaign, as_of, week, elapsed, base.indicators, base.units, rows, totals, base.owners)
