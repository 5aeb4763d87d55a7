"""The campaign's progress as an Excel file (duban/table_export.py): one sheet per indicator,
the rows of campaigns/templatetags/progress_rows with the totals row, figures as numbers."""

from django.utils.translation import gettext as _

from duban.numbers import is_count
from duban.table_export import COUNT, DATE, NUMBER, PERCENT, SIGNED, Column, Table


def progress_export(campaign, progress, sections):
    """`sections` as the campaign page builds them ({"indicator", "rows", "total"})."""
    tables = []
    for s in sections:
        indicator = s["indicator"]
        uom = indicator.unit_of_measure
        figure = COUNT if is_count(uom) else NUMBER
        columns = [
            Column(_("Unit"), width=22),
            Column(_("Responsible leader"), width=12),
            Column(_("Target"), uom, figure),
            Column(_("Done to date"), uom, figure),
            Column(_("Done %%"), kind=PERCENT),
            Column(_("Time elapsed %%"), kind=PERCENT),
            Column(_("Gap (points)"), kind=SIGNED),
            Column(_("Status"), width=10),
            Column(_("Projected finish"), kind=DATE),
            Column(_("Needed per week"), uom, NUMBER),
        ]
        rows = [_row(r, r.unit.name, r.unit.leader) for r in s["rows"]]
        total = s["total"]
        totals = _row(total, _("Total"), "") if total else None
        title = _("%(campaign)s: %(indicator)s") % {"campaign": campaign.name, "indicator": indicator.name}
        tables.append(Table(title, columns, rows, totals, progress.as_of, name=indicator.name))
    return tables


def _row(r, name, leader):
    finish = r.projected_finish or _("not at this pace")
    return [name, leader, r.target, r.done, r.done_pct, r.elapsed_pct, r.gap, r.status.label, finish, r.needed_per_week]
