"""The requisition unit page's tallies as an Excel file (duban/table_export.py): a row per unit
below (the page's table, with the unit's own total as the totals row), or at a village its own
tally — never a household's personal data (that is the ledger export's, logged look by look)."""

from django.utils.translation import gettext as _

from duban.table_export import COUNT, NUMBER, PERCENT, Column, Table
from requisition.models import STAGES, Stage


def tallies_export(unit, rows, total, on):
    """`rows`: the tallies (requisition/tallies.Tally) the page lists; `total`: the unit's."""
    columns = [Column(_("Unit"), width=22), Column(_("Households"), kind=COUNT), Column(_("Not visited"), kind=COUNT)]
    columns += [Column(s.label, kind=COUNT) for s in STAGES]
    columns += [
        Column(_("Signed %%"), kind=PERCENT),
        Column(_("m² demolished"), kind=NUMBER),
        Column(_("mu delivered"), kind=NUMBER),
        Column(_("Graves moved"), kind=COUNT),
        Column(_("Graves"), kind=COUNT),
        Column(_("Enterprises moved"), kind=COUNT),
        Column(_("Enterprises"), kind=COUNT),
    ]
    title = _("%(unit)s requisition tallies") % {"unit": unit.name}
    body = [_row(t, t.unit.name) for t in rows] if rows is not None else [_row(total, unit.name)]
    totals = _row(total, _("Total")) if rows else None
    return Table(title, columns, body, totals, as_of=on, name=_("Tallies"))


def _row(t, name):
    stages = [t.at_stage(s) for s in STAGES]
    return [
        name,
        t.households,
        t.at_stage(Stage.NONE),
        *stages,
        t.signed_pct,
        t.demolished_area,
        t.delivered_land,
        t.graves_moved,
        t.graves,
        t.enterprises_moved,
        t.enterprises,
    ]
