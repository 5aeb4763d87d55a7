"""The league table as an Excel file (duban/table_export.py): the page's rows, figures as numbers."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.numbers import is_count
from duban.table_export import COUNT, NUMBER, PERCENT, Column, Table
from ranking.league import change_text


def league_export(table, campaign, week):
    """The rows of ranking/templatetags/league_rows for `table` (ranking/league.LeagueTable)."""
    columns = [Column(_("Rank"), kind=COUNT, width=6), Column(pgettext("league", "Change"), width=7)]
    columns.append(Column(_("Unit"), width=22))
    for i in table.indicators:
        columns.append(Column(i.name, i.unit_of_measure, COUNT if is_count(i.unit_of_measure) else NUMBER))
        columns.append(Column(_("Done %%"), kind=PERCENT))
    columns += [Column(_("Score (done %%)"), kind=PERCENT), Column(_("Status"), width=10)]
    rows = []
    for e in table.entries:
        by_indicator = {r.indicator.pk: r for r in e.rows}
        row = [e.rank, change_text(e.change), e.unit.name]
        for i in table.indicators:
            r = by_indicator.get(i.pk)
            row += [r.done, r.done_pct] if r is not None else ["—", "—"]
        row += [e.done_pct, e.status.label if e.status else ""]
        rows.append(row)
    title = _("%(campaign)s weekly league table, %(week)s") % {"campaign": campaign.name, "week": week.label}
    return Table(title, columns, rows, as_of=table.progress.as_of, name=_("League table"))
