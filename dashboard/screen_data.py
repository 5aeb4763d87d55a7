"""The big screen's data: one JSON document, built from the modules that own each figure.

- campaign progress, done % beside time elapsed, red units: campaigns/progress.py
- the league table: ranking/league.py
- the 12-week trend: reports/figures.py (trend_totals), totals counted as campaign_progress does
- investment: projects/investment.py, through the UnitInvestment roll-up (dashboard/rollups.py)
- households signed, m² demolished, 亩 delivered: requisition/tallies.py, through VillageTally
- open problems: problems.models.Problem.OPEN_STATUSES

No personal data goes in: units, campaigns and numbers only — no household, no person's name.
"""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.models import Campaign, Task
from campaigns.progress import campaign_progress, default_as_of, figures_week, top_unit_ids
from dashboard import rollups
from dashboard.models import ScreenPart, UnitInvestment, VillageTally
from duban import periods, schedule, versions
from duban.numbers import amount, num
from economy import screen as economy_screen
from org.models import OrgUnit
from problems.models import Problem
from projects import investment
from projects.models import Project
from ranking.league import league_table
from reports import rollups as rollups_of_reports
from reports.figures import owners_of, trend_totals

ZERO = Decimal(0)
TREND_WEEKS = 12
LEAGUE_ROWS = 12
RED_ROWS = 10


def _f(value):
    """A Decimal for a chart: a float with two decimals (None stays None)."""
    return None if value is None else float(schedule.q2(value))


def running_campaigns(scope, today):
    return list(
        Campaign.objects.visible_to(scope)
        .filter(start__lte=today, end__gte=today)
        .select_related("owner")
        .order_by("start")
    )


def rotation(scope, today):
    """The campaigns the screen rotates through: the running ones, else the latest one."""
    campaigns = running_campaigns(scope, today)
    if not campaigns:
        latest = Campaign.objects.visible_to(scope).filter(start__lte=today).order_by("-end").first()
        campaigns = [latest] if latest else []
    return campaigns


# Headline figures -------------------------------------------------------------------------------


class Reach:
    """What the headline tiles count: the pinned campaign's owner subtree, else the screen's
    reach (the kiosk's unit, the user's units), else every unit; named on each tile."""

    def __init__(self, scope, pinned=None):
        self.scope = scope
        self.pinned = pinned
        if pinned is not None and (scope.reads_all or scope.can_read(pinned.owner)):
            self.roots = [pinned.owner]
        elif scope.reads_all:
            self.roots = None
        else:
            self.roots = scope.top_units()

    @property
    def key(self):
        if self.roots is None:
            return "all"
        return ",".join(sorted(u.path for u in self.roots))

    @property
    def name(self):
        if self.roots is None:
            return _("all units")
        return "、".join(u.name for u in sorted(self.roots, key=lambda u: (u.sort_order, u.path)))

    def q(self, field):
        """Rows whose unit (`field`) lies within the reach."""
        if self.roots is None:
            return Q()
        return OrgUnit.subtree_q([u.path for u in self.roots], f"{field}__path")

    def label(self, what):
        """ "涵江区 · 征迁累计": the reach and what the tile counts there."""
        return f"{self.name} · {what}"


def investment_span(year, month, today):
    """The investment tile's period in words, stated as the latest with data when it is not the
    current or the previous month."""
    span = pgettext("year so far", "January") if month == 1 else _("months 1–%(month)s") % {"month": month}
    text = _("%(year)s %(span)s") % {"year": year, "span": span}
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if (year, month) not in ((today.year, today.month), (previous.year, previous.month)):
        text = _("%(period)s (the latest month with data)") % {"period": text}
    return text


def headline(scope, today, pinned=None):
    reach = Reach(scope, pinned)
    running = Campaign.objects.visible_to(scope).filter(start__lte=today, end__gte=today)
    if pinned is not None:
        running = running.filter(reach.q("owner"))  # the campaigns of the pinned one's zone
    running = running.count()

    projects = Project.objects.visible_to(scope).filter(reach.q("unit"))
    by_stage = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")))
    stages = [{"stage": s.value, "label": str(s.label), "count": by_stage.get(s.value, 0)} for s in Project.Stage]

    year, month = rollups.investment_period()
    sums = UnitInvestment.objects.filter(reach.q("unit"), year=year, through_month=month).aggregate(
        n=Sum("projects"),
        total=Sum("total"),
        plan=Sum("annual_plan"),
        this_month=Sum("this_month"),
        ytd=Sum("ytd"),
        since_start=Sum("since_start"),
    )
    figures = investment.Figures(
        annual_plan=sums["plan"] or ZERO,
        this_month=sums["this_month"] or ZERO,
        ytd=sums["ytd"] or ZERO,
        since_start=sums["since_start"] or ZERO,
    )
    summary = investment.Summary(None, sums["n"] or 0, sums["total"] or ZERO, figures, year, month)

    ledger = VillageTally.objects.filter(reach.q("village")).aggregate(
        households=Sum("households"),
        signed=Sum("signed"),
        demolished=Sum("demolished_area"),
        delivered=Sum("delivered_land"),
    )
    households, signed = ledger["households"] or 0, ledger["signed"] or 0
    signed_pct = schedule.done_pct(signed, households)

    problems = Problem.objects.filter(status__in=Problem.OPEN_STATUSES).filter(
        reach.q("raised_by_unit") | reach.q("responsible")
    )
    if pinned is not None:
        problems = problems.filter(campaign=pinned)
    span = investment_span(year, month, today)
    ledger_label = reach.label(_("requisition ledger to date"))
    return {
        "reach": reach.name,
        "campaigns": {
            "value": str(running),
            "unit": pgettext("screen", "running"),
            "note": _("campaigns under way"),
            "reach": reach.name,
        },
        "projects": {
            "value": str(sum(by_stage.values())),
            "unit": pgettext("screen", "projects"),
            "note": _("%(n)s under construction") % {"n": by_stage.get(Project.Stage.CONSTRUCTION, 0)},
            "stages": stages,
            "reach": reach.name,
        },
        "investment": {
            "value": num(summary.figures.ytd / investment.YI),
            "unit": _("100M yuan"),
            "note": _("annual plan %(plan)s") % {"plan": num(summary.figures.annual_plan / investment.YI)},
            "reach": reach.label(span),
            "done_pct": _f(summary.figures.done_pct),
            "elapsed_pct": _f(summary.elapsed_pct),
            "year": year,
            "through_month": month,
        },
        "signed": {
            "value": num(signed, 0),
            "unit": pgettext("screen", "households"),
            "note": _("of %(total)s · %(pct)s%%")
            % {"total": num(households, 0), "pct": num(signed_pct) if signed_pct is not None else "—"},
            "reach": ledger_label,
        },
        "demolished": {
            "value": num((ledger["demolished"] or ZERO) / 10_000),
            "unit": _("10k m²"),
            "note": _("building area demolished"),
            "reach": ledger_label,
        },
        "delivered": {
            "value": num(ledger["delivered"] or ZERO),
            "unit": pgettext("screen", "mu"),
            "note": _("land delivered"),
            "reach": ledger_label,
        },
        "problems": {
            "value": str(problems.count()),
            "unit": pgettext("screen", "open"),
            "note": _("problems awaiting coordination"),
            "reach": reach.label(pinned.name) if pinned else reach.name,
        },
        "economy": economy_screen.strip(scope, reach.roots),
    }


# Campaigns ---------------------------------------------------------------------------------------


def _overall(progress):
    """The campaign's done %: the mean over its indicators' totals (as the league's 综合)."""
    pcts = [row.done_pct for row in progress.totals.values() if row.done_pct is not None]
    return sum(pcts, ZERO) / len(pcts) if pcts else None


def _status(campaign, done_pct, elapsed):
    return schedule.status(schedule.gap(done_pct, elapsed), campaign.yellow_gap, campaign.red_gap)


def _red_rows(progress):
    rows = [r for r in progress.rows.values() if r.status == schedule.Status.RED]
    rows.sort(key=lambda r: (r.gap, r.unit.path))
    return rows


def task_counts(campaign_ids, today):
    counts = {}
    rows = (
        Task.objects.filter(campaign_id__in=campaign_ids)
        .order_by()
        .values("campaign_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            cancelled=Count("pk", filter=Q(status=Task.Status.CANCELLED)),
            overdue=Count("pk", filter=Q(status=Task.Status.OPEN, deadline__lt=today)),
        )
    )
    for row in rows:
        active = row["total"] - row["cancelled"]
        counts[row["campaign_id"]] = {
            "total": active,
            "done": row["done"],
            "overdue": row["overdue"],
            "open": active - row["done"] - row["overdue"],
            "done_pct": _f(schedule.done_pct(row["done"], active)),
        }
    return counts


def campaign_summary(campaign, progress, tasks):
    done = _overall(progress)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "done_pct": _f(done),
        "as_of": progress.as_of.isoformat(),  # the date its figures are for (periods.week_as_of)
        "elapsed_pct": _f(progress.elapsed_pct),
        "status": _status(campaign, done, progress.elapsed_pct).value,
        "days_left": periods.days_left(campaign.end, progress.as_of),
        "red": len({r.unit.pk for r in _red_rows(progress)}),
        "tasks": tasks.get(campaign.pk, {"total": 0, "done": 0, "overdue": 0, "open": 0, "done_pct": None}),
    }


def trend(campaign, progress, version=None):
    """Cumulative done % of each indicator at the end of each of the last 12 weeks, beside time."""
    weeks = [w for w in periods.weeks_between(campaign.start, campaign.end) if w <= progress.week][-TREND_WEEKS:]
    indicators = [i for i in progress.indicators if i.kind != i.Kind.RATIO]
    top = top_unit_ids(progress.units)
    # each indicator totals the topmost units that have a target for it, as campaign_progress does
    units_of = {
        indicator: [u for u in progress.units if u.pk in top and (u.pk, indicator.pk) in progress.rows]
        for indicator in indicators
    }
    if campaign.pk is None:
        owners = progress.owners if progress.owners is not None else owners_of(progress.units)
        levels = trend_totals(units_of, campaign.start, weeks, owners)
    else:  # the campaign's roll-ups (reports/rollups.py), current as of the progress's version
        levels = rollups_of_reports.trend_totals(campaign, version or versions.read(), units_of, weeks)
    series = []
    for indicator in indicators:
        target = progress.totals[indicator.pk].target if indicator.pk in progress.totals else ZERO
        totals = levels[indicator.pk]
        series.append(
            {"name": indicator.name, "data": [_f(schedule.done_pct(t, target)) if target else None for t in totals]}
        )
    elapsed = [_f(periods.elapsed_pct(campaign.start, campaign.end, min(w.end, campaign.end))) for w in weeks]
    return {"weeks": [w.label for w in weeks], "elapsed": elapsed, "series": series}


def focus(campaign, progress, tasks, version=None):
    """The rotating panel: one campaign's indicators, league table, trend and red units."""
    week = periods.week_of(default_as_of(campaign))
    table = league_table(campaign, min(week, periods.week_of(campaign.end)), version=version)
    league = [
        {
            "rank": e.rank,
            "unit": e.unit.label,
            "done_pct": _f(e.done_pct),
            "change": e.change,
            "status": e.status.value if e.status else "none",
        }
        for e in table.entries[:LEAGUE_ROWS]
    ]
    indicators = [
        {
            "name": i.name,
            "uom": i.unit_of_measure,
            "target": amount(progress.totals[i.pk].target, i.unit_of_measure),
            "done": amount(progress.totals[i.pk].done, i.unit_of_measure),
            "done_pct": _f(progress.totals[i.pk].done_pct),
        }
        for i in progress.indicators
        if i.pk in progress.totals
    ]
    return {
        **campaign_summary(campaign, progress, tasks),
        "slogan": campaign.slogan,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "week": table.progress.week.label,
        "units": len(table.entries),
        "indicators": indicators,
        "league": league,
        "trend": trend(campaign, progress, version),
    }


def overview(scope, today, version=None):
    """Everything but the rotating panel: the headline, every running campaign, the red units."""
    return {"headline": headline(scope, today), **campaigns_overview(scope, today, version)}


def campaigns_overview(scope, today, version=None):
    """Every running campaign's bar, the rotation and the units in red."""
    running = running_campaigns(scope, today)
    tasks = task_counts([c.pk for c in running], today)
    version = version or versions.read()
    # the running campaigns' roll-up rows in one query (reports/rollups.py), for the progresses
    rollups_of_reports.preload([(c, figures_week(c, default_as_of(c, today))) for c in running], version)
    progresses = [campaign_progress(c, as_of=default_as_of(c, today), version=version) for c in running]
    return {
        "campaigns": [campaign_summary(p.campaign, p, tasks) for p in progresses],
        "rotation": [c.pk for c in running or rotation(scope, today)],
        "red_units": red_units(progresses),
    }


def focus_panel(campaign, today, version=None):
    version = version or versions.read()
    progress = campaign_progress(campaign, as_of=default_as_of(campaign, today), version=version)
    return focus(campaign, progress, task_counts([campaign.pk], today), version)


def build(scope, focus_campaign=None, today=None, fingerprint=None, headline_fingerprint=None):
    """The screen's data for a reach, with `focus_campaign` (or the first of the rotation) in
    the rotating panel. With fingerprints (dashboard/freshness.py), parts built from the same
    data are reused: the headline by its own fingerprint, which a weekly report leaves alone."""
    from dashboard.access import scope_key

    today = today or timezone.localdate()
    reach = hashlib.sha256(scope_key(scope).encode()).hexdigest()[:32]
    version = versions.read()
    pinned = focus_campaign  # the headline follows a pinned campaign, not the rotation
    head_key = f"headline:{reach}:{pinned.pk if pinned else ''}"
    head = _part(head_key, headline_fingerprint or fingerprint, lambda: headline(scope, today, pinned))
    data = _part(f"campaigns:{reach}", fingerprint, lambda: campaigns_overview(scope, today, version))
    if focus_campaign is None and data["rotation"]:
        focus_campaign = Campaign.objects.visible_to(scope).filter(pk=data["rotation"][0]).first()
    panel = None
    if focus_campaign is not None:
        panel = _part(f"focus:{focus_campaign.pk}", fingerprint, lambda: focus_panel(focus_campaign, today, version))
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "week": periods.week_of(today).label,
        "headline": head,
        **data,
        "focus": panel,
    }


def _part(key, fingerprint, make):
    """A part of the data, reused while the fingerprint of the data it was built from holds."""
    if fingerprint is None:
        return make()
    part = ScreenPart.objects.filter(key=key).first()
    if part is not None and part.fingerprint == fingerprint:
        return part.data
    data = json.loads(json.dumps(make(), cls=DjangoJSONEncoder))
    ScreenPart.objects.update_or_create(key=key, defaults={"fingerprint": fingerprint, "data": data})
    return data


def red_units(progresses):
    """The units in red in every running campaign, the furthest behind first."""
    rows = sorted((r for p in progresses for r in _red_rows(p)), key=lambda r: (r.gap, r.unit.path))
    return {
        "count": len({r.unit.pk for r in rows}),
        "rows": [
            {
                "campaign": r.campaign.name,
                "unit": r.unit.label,
                "indicator": r.indicator.name,
                "done_pct": _f(r.done_pct),
                "gap": _f(r.gap),
            }
            for r in rows[:RED_ROWS]
        ],
    }
