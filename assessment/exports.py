"""The assessment table (week, month, a published ranking) as an Excel file
(duban/table_export.py), from the same data the page renders (Table.as_data or a Publication's
frozen data): per part its points and its rate, numbers with their formats."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.table_export import COUNT, NUMBER, PERCENT, Column, Table
from ranking.league import change_text


def status_label(status):
    return {
        "red": pgettext("assessment", "Seriously behind"),
        "yellow": pgettext("assessment", "Behind schedule"),
        "green": pgettext("assessment", "On schedule"),
    }.get(status, pgettext("assessment", "No target"))


def assessment_export(data, title):
    """`data` as assessment/templates/assessment/_table.html renders it."""
    columns = [
        Column(pgettext("assessment", "Rank"), kind=COUNT, width=6),
        Column(pgettext("assessment", "Change"), width=7),
        Column(pgettext("assessment", "Unit"), width=22),
    ]
    for p in data["parts"]:
        columns.append(Column(p["label"], _("%(w)s points") % {"w": p["weight"]}, NUMBER))
        columns.append(Column(f"{p['label']}{_('rate')}", kind=PERCENT))
    columns.append(Column(pgettext("assessment", "Total score"), _("of %(w)s") % {"w": data["full_score"]}, NUMBER))
    columns.append(Column(pgettext("assessment", "Status"), width=10))
    rows = []
    for r in data["rows"]:
        row = [r["rank"], change_text(r["change"]), r["unit"]]
        for c in r["cells"]:
            row += [None, None] if c["rate"] is None else [c["points"], c["rate"]]
        row += [r["total"], status_label(r["status"])]
        rows.append(row)
    return Table(title, columns, rows, as_of=date.fromisoformat(data["as_of"]), name=pgettext("assessment", "Ranking"))
