"""Filling in, submitting, returning and locking weekly reports.

Every rule that refuses input raises ReportError with a message for the user; nothing is
written when it does. A figure above the target is accepted and comes back as a warning.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Indicator, Target
from duban import hooks as screen_hooks
from duban import measures, periods
from duban.numbers import figure, to_decimal
from org.models import OrgUnit
from reports import plausibility
from reports.figures import Figure, figures_as_of
from reports.models import HeldFigure, ReportValue, WeekLock, WeeklyReport

ZERO = Decimal(0)


class ReportError(Exception):
    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


@dataclass
class CampaignLine:
    campaign: Campaign
    target_unit: object
    target: Decimal
    figure: Figure

    @property
    def last_week_cum(self):
        return self.figure.prev

    @property
    def remaining_before(self):
        """Still to do before this week's amount."""
        return max(self.target - self.figure.prev, ZERO)


@dataclass
class Line:
    indicator: Indicator
    amount: Decimal | None = None
    last_level: Decimal | None = None  # stocks: the level reported the week before
    campaigns: list = field(default_factory=list)
    held: object = None  # the HeldFigure of this line waiting for the reporter's confirmation

    @property
    def field_name(self):
        return f"v_{self.indicator.pk}"


def campaigns_for(unit, week):
    """Campaigns running in `week` with a target on the unit or one of its ancestors."""
    return list(
        Campaign.objects.filter(
            start__lte=week.end, end__gte=week.start, targets__unit_id__in=unit.ancestor_ids()
        ).distinct()
    )


def report_lines(unit, week, report=None):
    """The indicators the unit reports for `week`, each with its campaign targets and figures."""
    ancestor_ids = unit.ancestor_ids()
    targets = list(
        Target.objects.filter(
            campaign__start__lte=week.end,
            campaign__end__gte=week.start,
            unit_id__in=ancestor_ids,
        )
        .exclude(indicator__kind=Indicator.Kind.RATIO)
        .select_related("campaign", "unit", "indicator")
        .order_by("indicator__sort_order", "indicator__code", "campaign__start", "-unit__path")
    )
    lines = {}
    by_campaign = {}
    for t in targets:
        lines.setdefault(t.indicator_id, Line(t.indicator))
        by_campaign.setdefault(t.campaign_id, (t.campaign, []))[1].append(t)
    for campaign, ctargets in by_campaign.values():
        units = {t.unit for t in ctargets}
        figs = figures_as_of(units, [t.indicator for t in ctargets], campaign.start, week)
        for t in ctargets:
            lines[t.indicator_id].campaigns.append(
                CampaignLine(campaign, t.unit, t.amount, figs.get((t.unit_id, t.indicator_id), Figure()))
            )
    stocks = [i for i, line in lines.items() if line.indicator.kind == Indicator.Kind.STOCK]
    if stocks:
        for indicator_id, amount in _last_levels(unit, week, stocks).items():
            lines[indicator_id].last_level = amount
    if report is not None and report.pk:
        for value in report.values.all():
            if value.indicator_id in lines:
                lines[value.indicator_id].amount = value.amount
        for held in report.held.filter(confirmed_at__isnull=True):
            if held.indicator_id in lines:
                lines[held.indicator_id].amount = held.amount
                lines[held.indicator_id].held = held
    for line in lines.values():
        if line.indicator.from_ledger and line.campaigns:
            line.amount = line.campaigns[0].figure.this_week  # what the ledger holds for this week
    return list(lines.values())


def _last_levels(unit, week, indicator_ids):
    """The unit's own latest submitted level of each stock before `week` (one query)."""
    levels = {}
    rows = (
        ReportValue.objects.filter(
            report__unit=unit,
            report__status=WeeklyReport.Status.SUBMITTED,
            report__week_end__lt=week.end,
            indicator_id__in=indicator_ids,
        )
        .order_by("report__week_end")
        .values_list("indicator_id", "amount")
    )
    for indicator_id, amount in rows:
        levels[indicator_id] = amount
    return levels


def parse_amounts(lines, data, require_all):
    """Read the amounts from posted data; raise ReportError listing every bad field."""
    amounts, errors = {}, {}
    for line in lines:
        if line.indicator.from_ledger:
            continue  # taken from the ledger, never typed
        raw = (data.get(line.field_name) or "").strip()
        if raw == "":
            if require_all and line.indicator.kind == Indicator.Kind.STOCK:
                errors[line.field_name] = _("Enter the current level of %(name)s.") % {"name": line.indicator.name}
            elif require_all:
                amounts[line.indicator.pk] = ZERO
            continue
        try:
            amount = to_decimal(raw)
        except ValueError:
            errors[line.field_name] = _("%(name)s: “%(raw)s” is not a number.") % {
                "name": line.indicator.name,
                "raw": raw[:20],
            }
            continue
        if amount < 0:
            errors[line.field_name] = _("%(name)s: the amount cannot be negative.") % {"name": line.indicator.name}
            continue
        if amount >= Decimal("1e16") or amount != amount.quantize(Decimal("0.01")):
            errors[line.field_name] = _("%(name)s: at most two decimals and sixteen digits.") % {
                "name": line.indicator.name
            }
            continue
        if measures.impossible(amount, line.indicator.unit_of_measure):
            errors[line.field_name] = _(
                "%(name)s: %(amount)s cannot be right: no unit reports %(bound)s or more. Nothing was saved."
            ) % {
                "name": line.indicator.name,
                "amount": figure(amount, line.indicator.unit_of_measure),
                "bound": figure(measures.bound_for(line.indicator.unit_of_measure), line.indicator.unit_of_measure),
            }
            continue
        if (
            line.indicator.kind == Indicator.Kind.STOCK
            and line.indicator.never_decreases
            and line.last_level is not None
            and amount < line.last_level
        ):
            errors[line.field_name] = _(
                "%(name)s: %(amount)s is below last week's %(last)s; this figure cannot go down."
            ) % {
                "name": line.indicator.name,
                "amount": figure(amount, line.indicator.unit_of_measure),
                "last": figure(line.last_level, line.indicator.unit_of_measure),
            }
            continue
        amounts[line.indicator.pk] = amount
    if errors:
        raise ReportError(_("The report was not saved: please correct the marked fields."), errors)
    return amounts


def over_target_warnings(lines, amounts, held=()):
    warnings = []
    for line in lines:
        amount = amounts.get(line.indicator.pk)
        if amount is None or line.indicator.pk in held:
            continue
        unit = line.indicator.unit_of_measure
        for c in line.campaigns:
            level = amount if line.indicator.kind == Indicator.Kind.STOCK else c.figure.prev + amount
            if level > c.target:
                warnings.append(
                    _("%(name)s: %(level)s is above the target of %(target)s in %(campaign)s. Please check it.")
                    % {
                        "name": line.indicator.name,
                        "level": figure(level, unit),
                        "target": figure(c.target, unit),
                        "campaign": c.campaign.name,
                    }
                )
    return warnings


def held_warnings(lines, amounts, held):
    warnings = []
    for line in lines:
        if line.indicator.pk in held:
            unit = line.indicator.unit_of_measure
            warnings.append(
                _(
                    "%(name)s: %(amount)s this week is more than the campaign expects in one week (at most "
                    "%(bound)s). It is held back and counts nowhere until you confirm it with a reason."
                )
                % {
                    "name": line.indicator.name,
                    "amount": figure(plausibility.week_amount(line, amounts[line.indicator.pk]), unit),
                    "bound": figure(held[line.indicator.pk], unit),
                }
            )
    return warnings


def check_editable(unit, week):
    if WeekLock.covering(unit, week.end).exists():
        raise ReportError(_("The office has locked week %(week)s; reports can no longer be changed.") % {"week": week})
    if not campaigns_for(unit, week):
        raise ReportError(_("Week %(week)s is outside every campaign of this unit.") % {"week": week})


def _conflict():
    return ReportError(
        _(
            "Someone else saved this report after you opened it; your changes were not saved. "
            "Your entries are still in the form: check the report's figures, then save again."
        )
    )


def check_version(report, expected):
    """Refuse a save from a form opened at another version of the report (None: no check, as
    for a caller that does not carry versions)."""
    if expected is None or expected == "":
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError):
        raise _conflict() from None
    if expected != (report.version if report is not None else 0):
        raise _conflict()


@transaction.atomic
def save_report(unit, week, user, data, submit=False):
    """Save the posted report as a draft or submit it. Returns (report, warnings)."""
    report = WeeklyReport.objects.select_for_update().filter(unit=unit, week_end=week.end).first()
    if report is not None and report.status == WeeklyReport.Status.SUBMITTED:
        raise ReportError(_("This report has already been submitted; it is locked until the office returns it."))
    check_version(report, data.get("version"))
    check_editable(unit, week)
    lines = report_lines(unit, week, report)
    amounts = parse_amounts(lines, data, require_all=submit)
    if report is None:
        report = WeeklyReport(unit=unit, week_end=week.end)
    for name in ("progress_text", "experience_text", "problems_text"):
        if name in data:
            setattr(report, name, (data.get(name) or "").strip()[:5000])
    if submit and not report.progress_text:
        raise ReportError(
            _("Describe this week's progress before submitting."),
            {"progress_text": _("Describe this week's progress before submitting.")},
        )
    report.updated_by = user
    if submit:
        report.status = WeeklyReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
    report.version += 1
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # someone created the same week's report a moment ago
        raise _conflict() from None
    held = plausibility.to_hold(unit, week, lines, amounts, report)
    existing = {v.indicator_id: v for v in report.values.all()}
    for indicator_id, amount in amounts.items():
        value = existing.get(indicator_id)
        if indicator_id in held:  # stored, but counted nowhere until confirmed
            if value is not None:
                value.delete()
            HeldFigure.objects.update_or_create(
                report=report,
                indicator_id=indicator_id,
                defaults={
                    "amount": amount,
                    "bound": held[indicator_id],
                    "held_at": timezone.now(),
                    "held_by": user,
                    "confirmed_at": None,
                    "confirmed_by": None,
                    "reason": "",
                },
            )
            continue
        HeldFigure.objects.filter(report=report, indicator_id=indicator_id, confirmed_at__isnull=True).delete()
        if value is None:
            ReportValue.objects.create(report=report, indicator_id=indicator_id, amount=amount)
        elif value.amount != amount:
            value.amount = amount
            value.save(update_fields=["amount"])
    screen_hooks.reports_changed()
    return report, held_warnings(lines, amounts, held) + over_target_warnings(lines, amounts, held)


@transaction.atomic
def confirm_held(report, indicator_id, user, reason):
    """The reporter stands by a held-back figure: it is stored as the report's value and counts."""
    reason = (reason or "").strip()
    try:
        indicator_id = int(indicator_id)
    except (TypeError, ValueError):
        raise ReportError(_("There is no held-back figure to confirm.")) from None
    report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
    held = HeldFigure.objects.filter(report=report, indicator_id=indicator_id, confirmed_at__isnull=True).first()
    if held is None:
        raise ReportError(_("There is no held-back figure to confirm."))
    if not reason:
        raise ReportError(_("Give the reason why the figure is right."))
    if WeekLock.covering(report.unit, report.week_end).exists():
        raise ReportError(
            _("The office has locked week %(week)s; reports can no longer be changed.") % {"week": report.week}
        )
    ReportValue.objects.update_or_create(report=report, indicator_id=indicator_id, defaults={"amount": held.amount})
    held.confirmed_at = timezone.now()
    held.confirmed_by = user
    held.reason = reason[:2000]
    held.save()
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    screen_hooks.reports_changed()
    return held


@transaction.atomic
def return_report(report, user, reason):
    reason = (reason or "").strip()
    report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
    if not reason:
        raise ReportError(_("Give the reason for returning the report."))
    if report.status != WeeklyReport.Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be returned."))
    if WeekLock.covering(report.unit, report.week_end).exists():
        raise ReportError(
            _("The office has locked week %(week)s; reports can no longer be changed.") % {"week": report.week}
        )
    report.status = WeeklyReport.Status.RETURNED
    report.returned_at = timezone.now()
    report.returned_by = user
    report.returned_reason = reason[:2000]
    report.version += 1
    report.save()
    screen_hooks.reports_changed()
    return report


def lock_week(week, user, units):
    """Close `week` for the subtrees of `units` (the office's own); True when a lock was added."""
    created = [
        WeekLock.objects.get_or_create(unit=unit, week_end=week.end, defaults={"locked_by": user})[1] for unit in units
    ]
    return any(created)


def unlock_week(week, units):
    """Open `week` again in the subtrees of `units`: their locks, and those inside them (a lock
    above them stays: it is another office's)."""
    paths = [unit.path for unit in units]
    return WeekLock.objects.filter(OrgUnit.subtree_q(paths, "unit__path"), week_end=week.end).delete()[0] > 0


def week_lock(week, units):
    """The lock that closes `week` for these units (their own or one above), or None."""
    for unit in units:
        lock = WeekLock.covering(unit, week.end).order_by("locked_at").first()
        if lock is not None:
            return lock
    return None


def expected_units(week, within=None):
    """The units due to report in `week`: those with a target in a campaign running then (in
    the queryset of units `within`, when given)."""
    from org.models import OrgUnit

    units = OrgUnit.objects.all() if within is None else within
    return units.filter(
        Q(targets__campaign__start__lte=week.end) & Q(targets__campaign__end__gte=week.start)
    ).distinct()


def missing_units(units, period):
    """(week, units of `units` that have not submitted that week's report), in their order: the
    week is the period itself, or for a month (or longer) its last week so far."""
    week = period if isinstance(period, periods.Week) else periods.week_of(min(period.end, timezone.localdate()))
    units = list(units.order_by("sort_order", "path"))
    return week, [unit for unit, _report in submissions(week, units)["missing"]]


def submissions(week, units):
    """The week's reports of `units` (in their order), grouped: {"on_time", "late", "missing"},
    each a list of (unit, report or None); a report not submitted counts as missing."""
    reports = {r.unit_id: r for r in WeeklyReport.objects.filter(week_end=week.end, unit__in=units)}
    groups = {"on_time": [], "late": [], "missing": []}
    for unit in units:
        report = reports.get(unit.pk)
        if report is None or not report.is_submitted:
            groups["missing"].append((unit, report))
        elif report.is_late:
            groups["late"].append((unit, report))
        else:
            groups["on_time"].append((unit, report))
    return groups
