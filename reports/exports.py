"""The office's submission list as an Excel file (duban/table_export.py): the page's three
groups (not submitted, late, on time) in one table, the group named in the first column."""

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.table_export import Column, Table


def submissions_export(week, sections):
    """`sections`: (title, [(unit, report or None)]) as reports/views.office_week lists them."""
    columns = [
        Column(_("Status"), width=12),
        Column(_("Unit"), width=24),
        Column(_("Submitted at"), width=18),
        Column(_("Responsible leader"), width=12),
    ]
    rows = []
    for title, entries in sections:
        for unit, report in entries:
            if report is not None and report.is_submitted:
                when = f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}"
            elif report is not None:
                when = report.get_status_display()
            else:
                when = _("Not started")
            rows.append([title, unit.name, when, unit.leader])
    count = sum(len(entries) for _title, entries in sections)
    title = _("Submissions %(week)s") % {"week": week.label}
    notes = [_("%(n)s units due") % {"n": count}]
    return Table(title, columns, rows, as_of=week.end, name=_("Submissions"), notes=notes)
