"""Campaign figures kept as roll-ups that every write moves by its own delta.

A campaign's progress, its league table and the big screen's trend are sums over target units'
subtrees of weekly figures: submitted reports' values (entered indicators) and the weekly sums
the ledgers give (requisition/ledger.py, projects/ledger.py). Summing them from the base tables
on every request after a write costs too much at province scale, so two tables keep them:

- RollupOwn: each unit's own figure of each indicator in each week (a copy of what the base
  tables say, as last counted);
- RollupWeek: for each campaign, target unit (its subtree) and indicator, the figure cumulative
  from the campaign's start to the end of each of its weeks, and how many figures it sums.

Every write to reports or the ledgers marks its unit dirty (RollupDirty), by triggers in the
database, whoever writes (pages, the admin, the API, imports, raw SQL); inserts into the ledgers
are caught by their ids instead (as duban/versions.py does), so a big import pays no trigger per
row. `drain()` syncs the dirty units: it reads their own figures from the base tables, compares
them with RollupOwn, and moves the RollupWeek rows of the campaigns whose target units hold them
by the difference (one UPDATE per run of weeks with the same difference). The writers call it at
the end of their write, through duban/hooks.py, in the writer's transaction; a reader calls it
too, for writes made without a hook. A campaign's rows are laid out again from RollupOwn when
its structure (duban/versions.py "structure": targets, dates, indicators, the org tree) changes.

`rebuild()` recomputes everything from the base tables (`manage.py rebuild_rollups`);
`differences()` compares the roll-ups with a full recompute (`manage.py check_rollups`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Max

from campaigns.models import Campaign, Indicator, Target
from duban import db_router, periods
from org.models import OrgUnit, path_prefixes
from reports.models import ReportValue, RollupDirty, RollupMark, RollupOwn, RollupState, RollupWeek, WeeklyReport

ZERO = Decimal(0)
EPOCH = date(1900, 1, 8)  # every week the ledgers can hold (first_day of the ledger readers)
HORIZON = date(9000, 1, 1)
RESYNC_LIMIT = 500  # more dirty units than this: rebuild everything in grouped queries
MOVE_LIMIT = 24  # more (unit, target) pairs moved than this: lay the campaigns out again
LOCK_KEY = 7_320_514  # PostgreSQL advisory lock serialising the drains
REPORTS, HOUSEHOLDS, PROJECTS, LAND = "r", "h", "p", "l"
KINDS = (REPORTS, HOUSEHOLDS, PROJECTS, LAND)
Kind = Indicator.Kind
S = Indicator.Source
REQUISITION_SOURCES = (
    S.HOUSEHOLDS_SIGNED,
    S.AREA_DEMOLISHED,
    S.LAND_DELIVERED,
    S.GRAVES_MOVED,
    S.ENTERPRISES_MOVED,
)
PROJECT_SOURCES = tuple(Indicator.PROJECT_SOURCES)
LAND_SOURCES = (S.LAND_APPROVED, S.LAND_SUPPLIED)
SOURCES_OF = {HOUSEHOLDS: REQUISITION_SOURCES, PROJECTS: PROJECT_SOURCES, LAND: LAND_SOURCES}


# Own figures -------------------------------------------------------------------------------------


def _indicators(kind):
    if kind == REPORTS:
        return list(Indicator.objects.filter(source=S.REPORT).exclude(kind=Kind.RATIO))
    return list(Indicator.objects.filter(source__in=SOURCES_OF[kind]))


def own_from_base(kind, unit_ids=None):
    """{(unit_id, indicator_id): {week_end: amount}} read from the base tables, for these units
    (None: every unit)."""
    indicators = _indicators(kind)
    own = defaultdict(dict)
    if not indicators:
        return own
    if kind == REPORTS:
        values = ReportValue.objects.filter(
            report__status=WeeklyReport.Status.SUBMITTED, indicator_id__in=[i.pk for i in indicators]
        )
        if unit_ids is not None:
            values = values.filter(report__unit_id__in=list(unit_ids))
        for unit_id, indicator_id, week_end, amount in values.values_list(
            "report__unit_id", "indicator_id", "report__week_end", "amount"
        ):
            own[(unit_id, indicator_id)][week_end] = amount
        return own
    if kind == HOUSEHOLDS:
        from requisition.ledger import ledger_rows
        from requisition.models import Enterprise, Grave, Household

        if unit_ids is None:  # every village that holds anything
            unit_ids = set()
            for model in (Household, Grave, Enterprise):
                unit_ids |= set(model.objects.order_by().values_list("village_id", flat=True).distinct())
    elif kind == LAND:
        from land.ledger import ledger_rows
        from land.models import LandBatch, Parcel

        if unit_ids is None:  # every unit responsible for a batch or a parcel
            unit_ids = set()
            for model in (LandBatch, Parcel):
                unit_ids |= set(model.objects.order_by().values_list("unit_id", flat=True).distinct())
    else:
        from projects.ledger import ledger_rows
        from projects.models import Project

        if unit_ids is None:
            unit_ids = set(Project.objects.order_by().values_list("unit_id", flat=True).distinct())
    for unit_id, indicator_id, week_end, amount in ledger_rows(indicators, list(unit_ids), EPOCH, HORIZON):
        by_week = own[(unit_id, indicator_id)]
        by_week[week_end] = by_week.get(week_end, ZERO) + Decimal(amount)
    return own


def own_stored(unit_ids, indicator_ids, since=None):
    rows = RollupOwn.objects.filter(unit_id__in=list(unit_ids), indicator_id__in=list(indicator_ids))
    if since is not None:
        rows = rows.filter(week_end__gte=since)
    own = defaultdict(dict)
    for unit_id, indicator_id, week_end, amount in rows.values_list("unit_id", "indicator_id", "week_end", "amount"):
        own[(unit_id, indicator_id)][week_end] = amount
    return own


# A campaign's rows ----------------------------------------------------------------------------------


def campaign_weeks(campaign):
    return [w.end for w in periods.weeks_between(campaign.start, campaign.end)]


def contribution(rows, weeks, start, stock):
    """[(cum, n)] at the end of each week of one unit's own figures {week_end: amount} counted
    from `start`: flows (and ledgers) summed, stocks the latest level."""
    ordered = sorted((we, a) for we, a in rows.items() if we >= start)
    series, at, level, n = [], 0, ZERO, 0
    for week_end in weeks:
        while at < len(ordered) and ordered[at][0] <= week_end:
            level = ordered[at][1] if stock else level + ordered[at][1]
            n += 1
            at += 1
        series.append((level, n))
    return series


@dataclass(frozen=True)
class Aim:
    """A campaign's target as the roll-ups need it: its unit and indicator (no amount)."""

    campaign_id: int
    unit: object
    indicator: object

    @property
    def unit_id(self):
        return self.unit.pk

    @property
    def indicator_id(self):
        return self.indicator.pk


@dataclass(frozen=True)
class Tracked:
    """A (target unit, indicator) pair a campaign keeps rows for: its targets, and both parts of
    a ratio target."""

    campaign_id: int
    unit_id: int
    path: str
    indicator_id: int
    stock: bool


def _tracked(targets):
    """Tracked pairs of Target rows (with their unit and indicator)."""
    parts = set()
    for t in targets:
        if t.indicator.kind == Kind.RATIO:
            parts |= {t.indicator.numerator_id, t.indicator.denominator_id}
    kinds = {i.pk: i.kind for i in Indicator.objects.filter(pk__in=parts)} if parts else {}
    tracked = set()
    for t in targets:
        ids = (
            [t.indicator.numerator_id, t.indicator.denominator_id]
            if t.indicator.kind == Kind.RATIO
            else [t.indicator_id]
        )
        for indicator_id in ids:
            kind = t.indicator.kind if indicator_id == t.indicator_id else kinds.get(indicator_id)
            tracked.add(Tracked(t.campaign_id, t.unit_id, t.unit.path, indicator_id, kind == Kind.STOCK))
    return tracked


def compute_campaign(campaign, from_base=False, layout=None):
    """{(unit_id, indicator_id, week_end): (cum, n)} of every tracked pair and campaign week, from
    RollupOwn (or, from_base=True, from the base tables: the full recompute). `layout`: the
    campaign's Target rows (with unit and indicator) and owners_of their units, when known."""
    from reports.figures import owners_of

    if layout is None:
        targets = list(Target.objects.filter(campaign=campaign).select_related("unit", "indicator"))
        owners = owners_of([t.unit for t in targets])
    else:
        targets, owners = layout
    tracked = _tracked(targets)
    weeks = campaign_weeks(campaign)
    result = {(p.unit_id, p.indicator_id, w): (ZERO, 0) for p in tracked for w in weeks}
    if not tracked:
        return result
    members = list(owners)
    indicator_ids = {p.indicator_id for p in tracked}
    if from_base:
        own = {}
        for kind in KINDS:
            own.update({k: v for k, v in own_from_base(kind, members).items() if k[1] in indicator_ids})
    else:
        own = own_stored(members, indicator_ids, since=weeks[0] if weeks else None)
    by_pair = {(p.unit_id, p.indicator_id): p for p in tracked}
    for (member, indicator_id), rows in own.items():
        for owner in owners.get(member, ()):
            pair = by_pair.get((owner, indicator_id))
            if pair is None:
                continue
            for week_end, (cum, n) in zip(weeks, contribution(rows, weeks, campaign.start, pair.stock), strict=True):
                old_cum, old_n = result[(owner, indicator_id, week_end)]
                result[(owner, indicator_id, week_end)] = (old_cum + cum, old_n + n)
    return result


def lay_out(campaign, structure, layout=None):
    """Write a campaign's rows afresh from RollupOwn, for this structure version."""
    rows = compute_campaign(campaign, layout=layout)
    RollupWeek.objects.filter(campaign=campaign).delete()
    _insert(
        RollupWeek,
        ("campaign_id", "unit_id", "indicator_id", "week_end", "cum", "n"),
        ((campaign.pk, u, i, w, cum, n) for (u, i, w), (cum, n) in rows.items()),
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # one upsert, no savepoint
        cursor.execute(
            f"INSERT INTO {quote(RollupState._meta.db_table)} (campaign_id, structure) VALUES (%s, %s) "
            "ON CONFLICT (campaign_id) DO UPDATE SET structure = excluded.structure",
            [campaign.pk, structure],
        )


def _insert(model, columns, rows):
    """Insert rows in one executemany (one statement for the query log, however many rows)."""
    fields = [model._meta.get_field(c.removesuffix("_id") if c.endswith("_id") else c) for c in columns]
    adapt = [
        (lambda v, f=f: connection.ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        if f.get_internal_type() == "DecimalField"
        else (lambda v: v)
        for f in fields
    ]
    rows = [tuple(a(v) for a, v in zip(adapt, row, strict=True)) for row in rows]
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# What this process has seen current: the data version (reports, ledger) drained at, and the
# structure version each campaign's rows are laid out for. A version is a set of random numbers
# drawn on every write and never reused (duban/versions.py), so a number seen once names one
# state of the data for good, even after a rollback.
_seen = {"drained": None, "laid_out": {}}


def ensure(campaign, version, layout=None):
    """Make the campaign's rows current: drain what is dirty, lay the rows out again when the
    structure changed. No query when this process already saw both current at this version,
    one statement when nothing is to do."""
    structure = version.structure if version is not None else None
    drained = (version.reports, version.ledger) if version is not None and version.reports is not None else None
    current = structure is not None and drained is not None
    if current and _seen["drained"] == drained and _seen["laid_out"].get(campaign.pk) == structure:
        return
    state = drain(campaign)
    if structure is None or state != structure:
        db_router.read_primary()  # laid out from what the primary holds
        with transaction.atomic(savepoint=False):
            _lock()
            lay_out(campaign, structure, layout)
    if current:
        _seen["drained"] = drained
        _seen["laid_out"][campaign.pk] = structure


# Deltas -------------------------------------------------------------------------------------------


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


LEDGER_IDS = (
    ("households", "requisition.Household", HOUSEHOLDS, "village_id"),
    ("graves", "requisition.Grave", HOUSEHOLDS, "village_id"),
    ("enterprises", "requisition.Enterprise", HOUSEHOLDS, "village_id"),
    ("projects", "projects.Project", PROJECTS, "unit_id"),
    ("investments", "projects.MonthlyInvestment", PROJECTS, "project__unit_id"),
    ("openings", "projects.YearOpening", PROJECTS, "project__unit_id"),
    ("milestones", "projects.Milestone", PROJECTS, "project__unit_id"),
    ("land_batches", "land.LandBatch", LAND, "unit_id"),
    ("parcels", "land.Parcel", LAND, "unit_id"),
)


def _models():
    from django.apps import apps

    return [(name, apps.get_model(label), kind, field) for name, label, kind, field in LEDGER_IDS]


def _pending(campaign=None):
    """(highest dirty id, {ledger name: highest id}, {ledger name: id counted}, the campaign's
    layout structure) in one statement."""
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX({quote('id')}) FROM {quote(RollupDirty._meta.db_table)})"]
    state = quote(RollupState._meta.db_table)
    parts.append(f"(SELECT structure FROM {state} WHERE campaign_id = {int(campaign.pk) if campaign else 0})")
    mark = quote(RollupMark._meta.db_table)
    models = _models()
    for name, model, _kind, _field in models:
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})")
        parts.append(f"(SELECT {quote('value')} FROM {mark} WHERE {quote('name')} = '{name}')")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    newest = {name: row[2 + 2 * n] or 0 for n, (name, *_rest) in enumerate(models)}
    seen = {name: row[3 + 2 * n] for n, (name, *_rest) in enumerate(models)}
    return row[0], newest, seen, row[1]


def drain(campaign=None):
    """Sync every dirty unit (and the ledger rows inserted since the last drain). Returns the
    structure version `campaign`'s rows are laid out for (None: not laid out)."""
    dirty_max, newest, seen, state = _pending(campaign)
    if dirty_max is None and all(seen[name] is not None and seen[name] >= newest[name] for name in newest):
        return state
    db_router.read_primary()  # the deltas are read where they are written
    with transaction.atomic():
        _lock()
        dirty = list(RollupDirty.objects.values_list("id", "unit_id", "kind"))
        dirty_max, newest, seen, _state = _pending()
        units = defaultdict(set)
        for _id, unit_id, kind in dirty:
            units[kind].add(unit_id)
        if any(value is None for value in seen.values()):
            rebuild()
            return _state_of(campaign)
        for name, model, kind, field in _models():
            if newest[name] > seen[name]:
                new = model.objects.filter(pk__gt=seen[name]).order_by().values_list(field, flat=True).distinct()
                units[kind] |= set(new)
        if sum(len(ids) for ids in units.values()) > RESYNC_LIMIT:
            rebuild()
            return _state_of(campaign)
        for kind, unit_ids in units.items():
            sync(kind, unit_ids - {None})
        if dirty:
            RollupDirty.objects.filter(pk__in=[d[0] for d in dirty]).delete()
        _set_marks(newest, seen)
    return _state_of(campaign)


def _state_of(campaign):
    if campaign is None:
        return None
    return RollupState.objects.filter(campaign=campaign).values_list("structure", flat=True).first()


def _set_marks(newest, seen=None):
    for name, value in newest.items():
        if seen is not None and seen.get(name) == value:
            continue
        RollupMark.objects.update_or_create(name=name, defaults={"value": value})


def sync(kind, unit_ids):
    """Bring RollupOwn of these units to what the base tables say, and move the campaigns' rows
    by the difference."""
    if not unit_ids:
        return
    indicators = {i.pk: i for i in _indicators(kind)}
    if not indicators:
        return
    fresh = own_from_base(kind, unit_ids)
    old = own_stored(unit_ids, indicators)
    changed = [pair for pair in set(fresh) | set(old) if fresh.get(pair, {}) != old.get(pair, {})]
    if not changed:
        return
    changed_units = {u for u, _i in changed}
    RollupOwn.objects.filter(unit_id__in=changed_units, indicator_id__in=list(indicators)).delete()
    _insert(
        RollupOwn,
        ("unit_id", "indicator_id", "week_end", "amount"),
        ((u, i, w, a) for (u, i), rows in fresh.items() if u in changed_units for w, a in rows.items()),
    )
    paths = dict(OrgUnit.objects.filter(pk__in={u for u, _i in changed}).values_list("pk", "path"))
    prefixes = {p for path in paths.values() for p in path_prefixes(path)}
    changed_indicators = {i for _u, i in changed}
    targets = list(
        Target.objects.filter(unit__path__in=prefixes)
        .filter(
            models_q(changed_indicators),
        )
        .select_related("unit", "indicator", "campaign")
    )
    from duban import versions

    structure = versions.read().structure
    # campaigns laid out for another structure are laid out again when read (ensure): not moved
    laid_out = set(
        RollupState.objects.filter(campaign_id__in={t.campaign_id for t in targets}, structure=structure).values_list(
            "campaign_id", flat=True
        )
    )
    campaigns = {t.campaign_id: t.campaign for t in targets}
    by_indicator = defaultdict(list)
    for pair in _tracked(targets):
        if pair.campaign_id in laid_out and pair.indicator_id in changed_indicators:
            by_indicator[pair.indicator_id].append(pair)
    moves = [
        (pair, unit_id, indicator_id)
        for unit_id, indicator_id in changed
        if (path := paths.get(unit_id)) is not None
        for pair in by_indicator[indicator_id]
        if path.startswith(pair.path)
    ]
    if len(moves) > MOVE_LIMIT:  # a bulk write: lay the campaigns it touched out again from RollupOwn
        for campaign_id in sorted({pair.campaign_id for pair, _u, _i in moves}):
            lay_out(campaigns[campaign_id], structure)
        return
    for pair, unit_id, indicator_id in moves:
        campaign = campaigns[pair.campaign_id]
        _move(campaign, pair, old.get((unit_id, indicator_id), {}), fresh.get((unit_id, indicator_id), {}))


def models_q(indicator_ids):
    from django.db.models import Q

    ids = list(indicator_ids)
    return Q(indicator_id__in=ids) | Q(indicator__numerator_id__in=ids) | Q(indicator__denominator_id__in=ids)


def _move(campaign, pair, before, after):
    """Add to one tracked pair's rows the difference one unit's own figures made: one UPDATE per
    run of weeks that moved by the same amount."""
    weeks = campaign_weeks(campaign)
    old = contribution(before, weeks, campaign.start, pair.stock)
    new = contribution(after, weeks, campaign.start, pair.stock)
    runs = []  # [first week, last week, (cum delta, n delta)]
    for n, (week_end, (old_cum, old_n), (new_cum, new_n)) in enumerate(zip(weeks, old, new, strict=True)):
        delta = (new_cum - old_cum, new_n - old_n)
        if delta == (ZERO, 0):
            continue
        if runs and runs[-1][2] == delta and runs[-1][1] == weeks[n - 1]:
            runs[-1][1] = week_end
        else:
            runs.append([week_end, week_end, delta])
    for first, last, (d_cum, d_n) in runs:
        RollupWeek.objects.filter(
            campaign_id=pair.campaign_id,
            unit_id=pair.unit_id,
            indicator_id=pair.indicator_id,
            week_end__gte=first,
            week_end__lte=last,
        ).update(cum=F("cum") + d_cum, n=F("n") + d_n)


# Everything ---------------------------------------------------------------------------------------


def rebuild():
    """Every unit's own figures and every laid-out campaign's rows, from the base tables."""
    from duban import versions

    with transaction.atomic():
        _lock()
        dirty = RollupDirty.objects.aggregate(m=Max("pk"))["m"]
        newest = {name: model.objects.aggregate(m=Max("pk"))["m"] or 0 for name, model, _k, _f in _models()}
        RollupOwn.objects.all().delete()
        for kind in KINDS:
            _insert(
                RollupOwn,
                ("unit_id", "indicator_id", "week_end", "amount"),
                ((u, i, w, a) for (u, i), rows in own_from_base(kind).items() for w, a in rows.items()),
            )
        if dirty is not None:
            RollupDirty.objects.filter(pk__lte=dirty).delete()
        _set_marks(newest)
        structure = versions.read().structure
        for campaign in Campaign.objects.filter(pk__in=RollupState.objects.values("campaign_id")):
            lay_out(campaign, structure)


def differences(campaigns=None):
    """What differs between the roll-ups and a full recompute: [(what, key, kept, computed)]."""
    found = []
    for kind in KINDS:
        indicator_ids = [i.pk for i in _indicators(kind)]
        base = {k: v for k, v in own_from_base(kind).items() if v}
        stored = RollupOwn.objects.filter(indicator_id__in=indicator_ids).values_list(
            "unit_id", "indicator_id", "week_end", "amount"
        )
        kept = defaultdict(dict)
        for u, i, w, a in stored:
            kept[(u, i)][w] = a
        for key in set(base) | set(kept):
            if base.get(key, {}) != kept.get(key, {}):
                found.append(("own", key, kept.get(key), base.get(key)))
    laid_out = Campaign.objects.filter(pk__in=RollupState.objects.values("campaign_id"))
    if campaigns is not None:
        laid_out = laid_out.filter(pk__in=[c.pk for c in campaigns])
    for campaign in laid_out:
        computed = compute_campaign(campaign, from_base=True)
        kept = {
            (u, i, w): (cum, n)
            for u, i, w, cum, n in RollupWeek.objects.filter(campaign=campaign).values_list(
                "unit_id", "indicator_id", "week_end", "cum", "n"
            )
        }
        for key in set(computed) | set(kept):
            if computed.get(key) != kept.get(key):
                found.append((f"campaign {campaign.pk}", key, kept.get(key), computed.get(key)))
    return found


# Readers ------------------------------------------------------------------------------------------


_preloaded = {"stamp": None, "rows": {}}  # {(campaign_id, week_end): [rows]} read at one version


def cuts_of(week):
    """The weeks a campaign's figures as of `week` are read at (figures())."""
    from reports.figures import PACE_WEEKS

    return (week.end, week.prev().end, week.prev(PACE_WEEKS).end)


def preload(campaign_weeks_, version):
    """Read the rows of several campaigns' figures (figures() of each (campaign, week)) in one
    query, for the figures() that follow at this version: the big screen's running campaigns."""
    stamp = version.stamp(ledger=True) if version is not None else None
    if stamp is None:
        return
    wanted = set()
    for campaign, week in campaign_weeks_:
        ensure(campaign, version)
        wanted |= {(campaign.pk, w) for w in cuts_of(week)}
    rows = defaultdict(list)
    found = RollupWeek.objects.filter(
        campaign_id__in={c for c, _w in wanted}, week_end__in={w for _c, w in wanted}
    ).values_list("campaign_id", "unit_id", "indicator_id", "week_end", "cum", "n")
    for row in found:
        if (row[0], row[3]) in wanted:
            rows[(row[0], row[3])].append(row[1:])
    for campaign, week in campaign_weeks_:
        for week_end in cuts_of(week):
            rows.setdefault((campaign.pk, week_end), [])
    _preloaded.update(stamp=None, rows=rows)
    _preloaded["stamp"] = stamp


def levels(campaign, version, week_ends, layout=None):
    """{(unit_id, indicator_id): {week_end: (cum, n)}} of the campaign's rows at these weeks."""
    ensure(campaign, version, layout)
    week_ends = list(week_ends)
    stamp = version.stamp(ledger=True) if version is not None else None
    memo = _preloaded["rows"] if stamp is not None and _preloaded["stamp"] == stamp else {}
    if all((campaign.pk, w) in memo for w in week_ends):
        rows = [row for w in week_ends for row in memo[(campaign.pk, w)]]
    else:
        rows = RollupWeek.objects.filter(campaign=campaign, week_end__in=week_ends).values_list(
            "unit_id", "indicator_id", "week_end", "cum", "n"
        )
    found = defaultdict(dict)
    for unit_id, indicator_id, week_end, cum, n in rows:
        found[(unit_id, indicator_id)][week_end] = (cum, n)
    return found


def figures(campaign, indicators, week, version, layout=None):
    """{(unit_id, indicator_id): Figure} of the campaign's tracked pairs as of a week, as
    reports/figures.figures_as_of computes them from the base tables (ratios from their parts)."""
    from reports.figures import PACE_WEEKS, Figure, ratio_of

    weeks_so_far = (week.end - periods.week_of(campaign.start).end).days // 7 + 1
    pace_weeks = max(1, min(PACE_WEEKS, weeks_so_far))
    cuts = cuts_of(week)
    found = {}
    for key, by_week in levels(campaign, version, cuts, layout).items():
        cum, n = by_week.get(cuts[0], (ZERO, 0))
        if not n:
            continue
        found[key] = Figure(
            cum, by_week.get(cuts[1], (ZERO, 0))[0], by_week.get(cuts[2], (ZERO, 0))[0], True, pace_weeks
        )
    ratios = [i for i in indicators if i.kind == Kind.RATIO]
    if ratios:
        units = {u for u, _i in found} | set(
            Target.objects.filter(campaign=campaign, indicator__in=ratios).values_list("unit_id", flat=True)
        )
        for r in ratios:
            for unit_id in units:
                num = found.get((unit_id, r.numerator_id), Figure())
                den = found.get((unit_id, r.denominator_id), Figure())
                found[(unit_id, r.pk)] = Figure(
                    cum=ratio_of(num.cum, den.cum),
                    prev=ratio_of(num.prev, den.prev),
                    back4=ratio_of(num.back4, den.back4),
                    reported=num.reported and den.reported,
                    pace_weeks=pace_weeks,
                )
    return found


def trend_totals(campaign, version, units_of, weeks):
    """{indicator_id: [total at the end of each week]} over each indicator's units (`units_of`:
    {indicator: units, none inside another}), as reports/figures.trend_totals computes it."""
    week_ends = [w.end for w in weeks]
    totals = {indicator.pk: [ZERO] * len(week_ends) for indicator in units_of}
    if not week_ends:
        return totals
    found = levels(campaign, version, week_ends)
    for indicator, units in units_of.items():
        series = totals[indicator.pk]
        for unit in units:
            by_week = found.get((unit.pk, indicator.pk), {})
            for n, week_end in enumerate(week_ends):
                series[n] += by_week.get(week_end, (ZERO, 0))[0]
    return totals


# Triggers -----------------------------------------------------------------------------------------

TRIGGER_PREFIX = "duban_rollup"
# (table's model, kind, events, how the unit is found: a column, or (parent model, its foreign key))
WATCHED = (
    ("reports.ReportValue", REPORTS, ("insert", "update", "delete"), ("reports.WeeklyReport", "report_id")),
    ("reports.WeeklyReport", REPORTS, ("update", "delete"), "unit_id"),
    ("requisition.Household", HOUSEHOLDS, ("update", "delete"), "village_id"),
    ("requisition.Grave", HOUSEHOLDS, ("update", "delete"), "village_id"),
    ("requisition.Enterprise", HOUSEHOLDS, ("update", "delete"), "village_id"),
    ("projects.Project", PROJECTS, ("update", "delete"), "unit_id"),
    ("projects.MonthlyInvestment", PROJECTS, ("update", "delete"), ("projects.Project", "project_id")),
    ("projects.YearOpening", PROJECTS, ("update", "delete"), ("projects.Project", "project_id")),
    ("projects.Milestone", PROJECTS, ("update", "delete"), ("projects.Project", "project_id")),
    ("land.LandBatch", LAND, ("update", "delete"), "unit_id"),
    ("land.Parcel", LAND, ("update", "delete"), "unit_id"),
)
REPORT_FIELDS = ("status", "unit_id", "week_end")  # a report's other fields do not move a figure


def _trigger_parts():
    from django.apps import apps

    dirty = RollupDirty._meta.db_table
    for label, kind, events, unit in WATCHED:
        table = apps.get_model(label)._meta.db_table

        def insert(row, unit=unit, kind=kind):
            into = f"INSERT INTO {dirty} (unit_id, kind)"
            if isinstance(unit, str):
                return f"{into} SELECT {row}.{unit}, '{kind}' WHERE {row}.{unit} IS NOT NULL;"
            parent = apps.get_model(unit[0])._meta.db_table
            return f"{into} SELECT unit_id, '{kind}' FROM {parent} WHERE id = {row}.{unit[1]};"

        yield label, table, events, insert


def _when(label, vendor):
    if label != "reports.WeeklyReport":
        return ""
    op = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return "(" + " OR ".join(f"OLD.{f} {op} NEW.{f}" for f in REPORT_FIELDS) + ")"


def install_triggers(connection=None):
    """Create the triggers that mark units dirty (idempotent), where the tables exist."""
    from django.db import connection as default

    connection = connection or default
    present = set(connection.introspection.table_names())
    if RollupDirty._meta.db_table not in present or connection.vendor not in ("sqlite", "postgresql"):
        return
    statements = []
    for label, table, events, insert in _trigger_parts():
        if table not in present:
            continue
        for event in events:
            name = f"{TRIGGER_PREFIX}_{table}_{event}"
            rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[event]
            body = " ".join(insert(row) for row in rows)
            when = _when(label, connection.vendor) if event == "update" else ""
            if connection.vendor == "sqlite":
                statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
                statements.append(
                    f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON "{table}" '
                    + (f"WHEN {when} " if when else "")
                    + f"BEGIN {body} END"
                )
            else:
                statements.append(
                    f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
                    f"{body} RETURN NULL; END $$"
                )
                statements.append(
                    f'CREATE OR REPLACE TRIGGER "{name}" AFTER {event.upper()} ON "{table}" FOR EACH ROW '
                    + (f"WHEN {when} " if when else "")
                    + f'EXECUTE FUNCTION "{name}"()'
                )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _drain_after_write(*args):
    drain()


def subscribe():
    """The writers' hooks (duban/hooks.py) drain the units their write marked, in their own
    transaction: the campaigns' roll-ups move with the write."""
    from duban import hooks

    for event in hooks.EVENTS:
        hooks.subscribe(event, _drain_after_write)


def expected_triggers(connection=None):
    from django.apps import apps

    return {
        f"{TRIGGER_PREFIX}_{apps.get_model(label)._meta.db_table}_{event}"
        for label, _kind, events, _unit in WATCHED
        for event in events
    }


def installed_triggers(connection=None):
    from django.db import connection as default

    connection = connection or default
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER_PREFIX + "%"]
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [TRIGGER_PREFIX + "%"])
        return {row[0] for row in cursor.fetchall()}
