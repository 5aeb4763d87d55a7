"""Roll-up tables for the big screen, kept up to date as data is written.

At province scale (a million households, fifty thousand projects with a million monthly
figures) the screen's headline figures cannot be summed from the ledgers on every request.
So they are kept per village and per unit, each computed by the module that owns the figure:

- VillageTally: requisition/tallies.py's tally of one village. requisition/stages.py refreshes
  the village of the household it steps (hooks.households_changed).
- UnitInvestment: projects/investment.py's summary of one unit's projects for the year and
  month the screen shows. The project edit page and the Excel import refresh the units they
  wrote (hooks.projects_changed).

Rows written without a hook (roster imports, bulk loads) are caught by `catch_up`: each ledger
table's highest id is remembered, and the villages or units of newer rows are refreshed on the
next screen request (one indexed query when nothing is new). `rebuild` recomputes everything
(`python manage.py refresh_screen`).
"""

from datetime import date

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from dashboard.models import Mark, UnitInvestment, VillageTally
from org.models import OrgUnit
from projects import investment
from projects.models import MonthlyInvestment, Project
from requisition.models import Enterprise, Grave, Household
from requisition.tallies import tally_level

FAR_FUTURE = date(9999, 12, 31)  # tallies "as they stand": every recorded step counts
REFRESH_ONE_BY_ONE = 50  # more changed villages or units than this: rebuild in grouped queries


def _mark(name):
    mark, _ = Mark.objects.get_or_create(name=name)
    return mark


def _set_mark(name, value=None, text=None):
    fields = {"changed_at": timezone.now()}
    if value is not None:
        fields["value"] = value
    if text is not None:
        fields["text"] = text
    Mark.objects.update_or_create(name=name, defaults=fields)


def _max_id(model):
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


# Requisition ledger ----------------------------------------------------------------------------


def _store_tallies(tallies):
    for village, tally in tallies.items():
        VillageTally.objects.update_or_create(
            village=village,
            defaults={
                "households": tally.households,
                "signed": tally.signed,
                "demolished_area": tally.demolished_area,
                "delivered_land": tally.delivered_land,
                "graves_moved": tally.graves_moved,
                "enterprises_moved": tally.enterprises_moved,
            },
        )


def refresh_villages(village_ids):
    """Recompute the tallies of these villages (a few indexed queries per village)."""
    village_ids = set(village_ids)
    if len(village_ids) > REFRESH_ONE_BY_ONE:
        rebuild_villages()
        return
    for village in OrgUnit.objects.filter(pk__in=village_ids):
        _store_tallies({village: tally_level(village, village.depth, FAR_FUTURE).get(village) or _empty(village)})


def _empty(village):
    from requisition.tallies import Tally

    return Tally(village)


def _ledger_villages():
    ids = set()
    for model in (Household, Grave, Enterprise):
        ids |= set(model.objects.order_by().values_list("village_id", flat=True).distinct())
    return ids


def rebuild_villages():
    """Every village's tally, one grouped tally per tree and depth."""
    with transaction.atomic():
        marks = {"households": _max_id(Household), "graves": _max_id(Grave), "enterprises": _max_id(Enterprise)}
        holders = {u.pk: u for u in OrgUnit.objects.filter(pk__in=_ledger_villages())}
        for root in OrgUnit.objects.filter(parent__isnull=True):
            depths = {u.depth for u in holders.values() if u.path.startswith(root.path)}
            for depth in sorted(depths):
                tallies = tally_level(root, depth, FAR_FUTURE)
                _store_tallies({u: t for u, t in tallies.items() if u.pk in holders})
        VillageTally.objects.exclude(village_id__in=list(holders)).delete()
        for name, value in marks.items():
            _set_mark(name, value)


def _catch_up_villages(marks, newest):
    changed = set()
    for name, model in (("households", Household), ("graves", Grave), ("enterprises", Enterprise)):
        seen = marks.get(name, 0)
        if newest[name] > seen:
            changed |= set(model.objects.filter(pk__gt=seen).order_by().values_list("village_id", flat=True).distinct())
        if newest[name] != seen:
            _set_mark(name, newest[name])
    if changed:
        refresh_villages(changed)


# Key projects ----------------------------------------------------------------------------------


def investment_period():
    """The year and month the screen's investment figures are for: the latest month any
    project has reported, else the current one (as on the project list)."""
    mark = _mark("investment_period")
    if mark.text:
        year, month = (int(part) for part in mark.text.split("-"))
        return year, month
    return _choose_period()


def _choose_period():
    last = MonthlyInvestment.objects.order_by("-month").values_list("month", flat=True).first()
    last = last or timezone.localdate().replace(day=1)
    return last.year, last.month


def _store_investment(year, month, projects):
    summaries = investment.summarize(projects, year, month, group_by="unit")
    for s in summaries:
        UnitInvestment.objects.update_or_create(
            unit_id=s.label,
            year=year,
            through_month=month,
            defaults={
                "projects": s.count,
                "total": s.total,
                "annual_plan": s.figures.annual_plan,
                "this_month": s.figures.this_month,
                "ytd": s.figures.ytd,
                "since_start": s.figures.since_start,
            },
        )
    return {s.label for s in summaries}


def refresh_units(unit_ids):
    """Recompute the investment roll-up of these units' own projects."""
    unit_ids = set(unit_ids)
    year, month = investment_period()
    if (year, month) != _choose_period() or len(unit_ids) > REFRESH_ONE_BY_ONE:
        rebuild_investment()
        return
    with transaction.atomic():
        kept = _store_investment(year, month, Project.objects.filter(unit_id__in=unit_ids))
        UnitInvestment.objects.filter(year=year, through_month=month, unit_id__in=unit_ids - kept).delete()


def rebuild_investment():
    with transaction.atomic():
        marks = {"projects": _max_id(Project), "investments": _max_id(MonthlyInvestment)}
        year, month = _choose_period()
        UnitInvestment.objects.all().delete()
        _store_investment(year, month, Project.objects.all())
        _set_mark("investment_period", text=f"{year}-{month:02d}")
        for name, value in marks.items():
            _set_mark(name, value)


def _catch_up_investment(marks, period, newest):
    if period != "{}-{:02d}".format(*_choose_period()):
        rebuild_investment()
        return
    changed = set()
    for name, model, unit_field in (
        ("projects", Project, "unit_id"),
        ("investments", MonthlyInvestment, "project__unit_id"),
    ):
        seen = marks.get(name, 0)
        if newest[name] > seen:
            changed |= set(model.objects.filter(pk__gt=seen).order_by().values_list(unit_field, flat=True).distinct())
        if newest[name] != seen:
            _set_mark(name, newest[name])
    if changed:
        refresh_units(changed)


# Both ------------------------------------------------------------------------------------------


LEDGER_TABLES = {
    "households": Household,
    "graves": Grave,
    "enterprises": Enterprise,
    "projects": Project,
    "investments": MonthlyInvestment,
}


def newest_ids():
    """The highest id of each ledger table, in one statement (an index lookup each)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})" for m in LEDGER_TABLES.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return {name: value or 0 for name, value in zip(LEDGER_TABLES, row, strict=True)}


def catch_up(marks=None):
    """Count rows written without a hook; True when something was. Cheap when nothing is new:
    one statement of max(id) lookups (and the marks, unless given as {name: (value, text)})."""
    if marks is None:
        marks = {name: (value, text) for name, value, text in Mark.objects.values_list("name", "value", "text")}
    values = {name: value for name, (value, _text) in marks.items()}
    newest = newest_ids()
    period = marks.get("investment_period", (0, ""))[1]
    if all(newest[name] == values.get(name, 0) for name in LEDGER_TABLES) and period == "{}-{:02d}".format(
        *_choose_period()
    ):
        return False
    _catch_up_villages(values, newest)
    _catch_up_investment(values, period, newest)
    return True


def rebuild():
    rebuild_villages()
    rebuild_investment()
