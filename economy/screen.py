"""The big screen's strip of economic tiles: the latest month's 1-N月累计 of each indicator of the
first unit in reach holding figures, with its 比增 (dashboard/screen_data.py calls strip())."""

from django.utils.translation import gettext as _

from economy import growth
from economy.models import MonthlyFigure
from org.models import OrgUnit


def strip(scope, roots=None):
    """{"reach", "period", "tiles": [...]} or None when no unit in reach holds figures. `roots`:
    the units the screen counts (None: the user's reach; every unit for a superuser)."""
    figures = MonthlyFigure.objects.visible_to(scope)
    if roots is not None:
        figures = figures.filter(OrgUnit.subtree_q([u.path for u in roots], "unit__path"))
    first = figures.order_by("unit__path", "-year", "-month").select_related("unit").first()
    if first is None:
        return None
    unit = first.unit
    year, month = growth.latest_month(unit)
    tiles = []
    for r in growth.readings(unit, year, month):
        if r.cumulative is None:
            continue
        tiles.append(
            {
                "name": r.indicator.short_name or r.indicator.name,
                "value": r.value_text,
                "unit": r.indicator.unit_of_measure,
                "growth": None if r.growth is None else float(r.growth_rounded),
                "growth_text": _("比增 %(g)s%%") % {"g": r.growth_rounded} if r.growth is not None else r.growth_note,
            }
        )
    return {"reach": unit.name, "period": f"{year}年1-{month}月" if month > 1 else f"{year}年1月", "tiles": tiles}
