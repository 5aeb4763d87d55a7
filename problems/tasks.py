"""Task lists (任务清单) and checking against them (对单考核).

`task_figures(campaign, as_of)` gives per unit: done on time, done late, open, of which overdue,
and the total, as things stood at the end of `as_of`. A task done after `as_of` counts as open
then; cancelled tasks count nowhere. The assessment uses these figures.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Task
from duban import stale
from problems.flow import FlowError


def _empty():
    return {"on_time": 0, "late": 0, "open": 0, "overdue": 0, "total": 0}


def classify(task, as_of):
    """'on_time', 'late', 'open' or 'overdue' (open past its deadline) at the end of `as_of`;
    None for a cancelled task."""
    if task.status == Task.Status.CANCELLED:
        return None
    if task.status == Task.Status.DONE and task.done_on is not None and task.done_on <= as_of:
        return "on_time" if task.done_on <= task.deadline else "late"
    return "overdue" if as_of > task.deadline else "open"


def task_figures(campaign, as_of):
    """{unit_id: {"on_time": n, "late": n, "open": n, "overdue": n, "total": n}}; "open" includes
    the overdue ones, "total" = on_time + late + open."""
    figures = defaultdict(_empty)
    rows = Task.objects.filter(campaign=campaign).only("unit_id", "status", "done_on", "deadline")
    for task in rows:
        state = classify(task, as_of)
        if state is None:
            continue
        f = figures[task.unit_id]
        f["total"] += 1
        if state == "overdue":
            f["overdue"] += 1
            f["open"] += 1
        else:
            f[state] += 1
    return dict(figures)


def totals(figures):
    out = _empty()
    for f in figures.values():
        for key in out:
            out[key] += f[key]
    return out


def on_time_pct(f):
    """Share of the items done on time, in % of all (not cancelled) items; None without items."""
    return None if not f["total"] else Decimal(100) * f["on_time"] / f["total"]


def _parse_date(value, message):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise FlowError(message) from None


def add_task(campaign, data, units):
    """The office adds an item to the campaign's task list. `units` are the units one may choose."""
    title = (data.get("title") or "").strip()
    if not title:
        raise FlowError(_("Give the task a title."))
    if len(title) > 200:
        raise FlowError(_("The title is longer than 200 characters."))
    try:
        unit = units.get(pk=int(data.get("unit")))
    except (ValueError, TypeError, units.model.DoesNotExist):
        raise FlowError(_("Choose the responsible unit.")) from None
    deadline = _parse_date(data.get("deadline"), _("Enter the deadline as a date (YYYY-MM-DD)."))
    if deadline < campaign.start:
        raise FlowError(_("The deadline is before the campaign starts."))
    return Task.objects.create(campaign=campaign, title=title, unit=unit, deadline=deadline)


def progress_state(task):
    """What the progress form writes over (duban/stale.py): a note typed on a page opened before
    someone else's note must not silently replace it."""
    return task.status, task.progress_note, task.progress_at


@transaction.atomic
def record_progress(task, data):
    note = (data.get("progress_note") or "").strip()
    current = Task.objects.select_for_update().get(pk=task.pk)
    if stale.is_stale(data.get(stale.FIELD), *progress_state(current)):
        raise FlowError(
            _(
                "Someone else updated this task after you opened it; your note was not saved. "
                "It is still in the form: read the task's progress again, then save."
            )
        )
    if current.status != Task.Status.OPEN:
        raise FlowError(_("Only an open task takes progress notes."))
    if not note:
        raise FlowError(_("Write what has been done."))
    task.progress_note = note
    task.progress_at = timezone.now()
    task.save(update_fields=["progress_note", "progress_at"])


def mark_done(task, data, checked_files, user):
    """The unit marks its task done on a date with its evidence (text and/or files)."""
    from problems import uploads

    if task.status != Task.Status.OPEN:
        raise FlowError(_("Only an open task can be marked done."))
    today = timezone.localdate()
    done_on = _parse_date(data.get("done_on"), _("Enter the date it was done (YYYY-MM-DD)."))
    if done_on > today:
        raise FlowError(_("The date it was done cannot be in the future."))
    if done_on < task.campaign.start:
        raise FlowError(_("The date it was done is before the campaign started."))
    evidence = (data.get("evidence") or "").strip()
    if not evidence and not checked_files and not task.attachments.exists():
        raise FlowError(_("Give the evidence: a description, a photo or a document."))
    with transaction.atomic():
        task.status, task.done_on = Task.Status.DONE, done_on
        if evidence:
            task.evidence = evidence
        task.progress_at = timezone.now()
        task.save(update_fields=["status", "done_on", "evidence", "progress_at"])
        uploads.save(checked_files, user, task=task)


def set_status(task, status):
    """The office reopens a task or cancels it."""
    if status == "reopen":
        if task.status == Task.Status.OPEN:
            raise FlowError(_("The task is already open."))
        task.status, task.done_on = Task.Status.OPEN, None
    elif status == "cancel":
        if task.status == Task.Status.CANCELLED:
            raise FlowError(_("The task is already cancelled."))
        task.status = Task.Status.CANCELLED
    else:
        raise FlowError(_("Unknown action."))
    task.save(update_fields=["status", "done_on"])
