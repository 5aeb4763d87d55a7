"""The deadline colours offices use for problems and task-list items, in one function.

- red: overdue (today is after the deadline);
- blue: the deadline is within 3 days (today up to the deadline, both included);
- yellow: more than half the time from start to deadline has passed and nothing has been reported;
- no colour otherwise, for closed items and for items without a deadline.

Red comes before blue, blue before yellow: an item due tomorrow with no progress is blue.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RED, BLUE, YELLOW, NONE = "red", "blue", "yellow", ""
DUE_SOON_DAYS = 3
LABELS = {RED: _("Overdue"), BLUE: _("Due within 3 days"), YELLOW: _("Past half its time, no progress"), NONE: ""}


def deadline_colour(start, deadline, today, progressed, closed=False):
    """Colour of an item with `start` and `deadline` dates on `today`."""
    if closed or deadline is None:
        return NONE
    if today > deadline:
        return RED
    if (deadline - today).days <= DUE_SOON_DAYS:
        return BLUE
    if start is not None and not progressed and 2 * (today - start).days > (deadline - start).days:
        return YELLOW
    return NONE


def local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def problem_colour(problem, today):
    start = local_date(problem.assigned_at or problem.created_at)
    progressed = problem.progress_at is not None and (
        problem.assigned_at is None or problem.progress_at >= problem.assigned_at
    )
    return deadline_colour(start, problem.deadline, today, progressed, closed=not problem.is_open)


def task_colour(task, today):
    """A task's time runs from the campaign's start, or from the day the item was added if later (a
    meeting's follow-up task); a progress note or evidence counts as progress."""
    start = max(task.campaign.start, local_date(task.created_at)) if task.created_at else task.campaign.start
    progressed = task.progress_at is not None or bool(task.evidence)
    return deadline_colour(start, task.deadline, today, progressed, closed=task.status != "open")
