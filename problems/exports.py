"""The problem list and the task list as Excel files (duban/table_export.py), the rows of the
pages (problems/list.html, problems/tasks.html) with every row of the filter, not one page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.table_export import COUNT, DATE, PERCENT, Column, Table
from problems.tasks import on_time_pct


def problems_export(problems, as_of):
    """`problems`: the filtered list, with_colours applied, in the page's order."""
    columns = [
        Column("#", kind=COUNT, width=7),
        Column(_("Problem"), width=30),
        Column(_("Campaign"), width=16),
        Column(_("Category"), width=10),
        Column(_("Raised by"), width=16),
        Column(_("Raised on"), kind=DATE),
        Column(_("Responsible department"), width=16),
        Column(_("Coordinating leader"), width=12),
        Column(_("Deadline"), kind=DATE),
        Column(_("Reminder"), width=14),
        Column(_("Status"), width=10),
    ]
    rows = [
        [
            p.pk,
            p.title,
            p.campaign.name if p.campaign else "",
            p.get_category_display(),
            p.raised_by_unit.name,
            timezone.localdate(p.created_at),
            p.responsible.name if p.responsible else "—",
            (p.leader.get_full_name() or p.leader.username) if p.leader else "—",
            p.deadline or "—",
            p.colour_label,
            p.get_status_display(),
        ]
        for p in problems
    ]
    return Table(_("Problem list"), columns, rows, as_of=as_of, name=_("Problem list"))


def task_status(task):
    if task.status == "open":
        return _("Not done yet")
    return _("Task done") if task.status == "done" else _("Task cancelled")


def _figures(f):
    return [f["total"], f["on_time"], f["late"], f["open"], f["overdue"]]


def tasks_export(campaign, figure_rows, total, tasks, as_of):
    """Two sheets: each unit's figures (the page's first table) and the items."""
    figures = Table(
        _("%(campaign)s task list: by unit") % {"campaign": campaign.name},
        [
            Column(_("Unit"), width=22),
            Column(_("Items"), kind=COUNT),
            Column(_("Done on time"), kind=COUNT),
            Column(_("Done late"), kind=COUNT),
            Column(_("Still open"), kind=COUNT),
            Column(_("Overdue"), kind=COUNT),
            Column(_("On-time rate"), kind=PERCENT),
        ],
        [[r["unit"].name, *_figures(r["f"]), r["on_time_pct"]] for r in figure_rows],
        [_("Total"), *_figures(total), on_time_pct(total)] if figure_rows else None,
        as_of=as_of,
        name=_("By unit"),
    )
    states = {"late": _("done late"), "on_time": _("done on time")}
    items = Table(
        _("%(campaign)s task list") % {"campaign": campaign.name},
        [
            Column(_("Task"), width=30),
            Column(_("Unit"), width=18),
            Column(_("Deadline"), kind=DATE),
            Column(_("Reminder"), width=14),
            Column(_("Status"), width=10),
            Column(_("Done on time or late"), width=10),
            Column(_("Done on"), kind=DATE),
            Column(_("Evidence"), width=30),
        ],
        [
            [
                t.title,
                t.unit.name,
                t.deadline,
                t.colour_label,
                task_status(t),
                states.get(t.state, ""),
                t.done_on or "—",
                t.evidence or "—",
            ]
            for t in tasks
        ],
        as_of=as_of,
        name=_("Items"),
    )
    return [figures, items]
