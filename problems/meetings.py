"""Coordination meetings (调度会): agenda from problems, a decision per item, follow-up tasks.

A decision takes the problem off the meeting: either solved at the meeting, or assigned to a
department with a deadline. Each follow-up task it creates is an item of a campaign's task list
(campaigns.Task), so it is checked like every other item (对单考核).
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from campaigns.models import Task
from org.models import OrgUnit
from problems.flow import FlowError, parse_deadline, parse_department, put_on_agenda
from problems.models import AgendaItem, Problem, Step

S = Problem.Status


def add_to_agenda(meeting, problem, user):
    if AgendaItem.objects.filter(meeting=meeting, problem=problem).exists():
        raise FlowError(_("This problem is already on the agenda."))
    with transaction.atomic():
        put_on_agenda(problem, user, meeting)
        order = (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1
        return AgendaItem.objects.create(meeting=meeting, problem=problem, order=order)


def parse_follow_up_tasks(data, meeting, problem, today):
    """Rows task_title_N / task_unit_N / task_deadline_N; empty rows are skipped."""
    campaign = problem.campaign or meeting.campaign
    tasks = []
    for n in range(1, 6):
        title = (data.get(f"task_title_{n}") or "").strip()
        unit_id, deadline = data.get(f"task_unit_{n}"), data.get(f"task_deadline_{n}")
        if not (title or unit_id or deadline):
            continue
        if not title:
            raise FlowError(_("Follow-up task %(n)s needs a title.") % {"n": n})
        if len(title) > 200:
            raise FlowError(_("The title of follow-up task %(n)s is longer than 200 characters.") % {"n": n})
        if campaign is None:
            raise FlowError(
                _("Follow-up tasks go on a campaign's task list: give the meeting or the problem a campaign.")
            )
        try:
            # a unit of the campaign, or of the holding unit's subtree: never another zone's
            units = OrgUnit.objects.filter(Q(targets__campaign=campaign) | meeting.unit.within_q())
            unit = units.distinct().get(pk=int(unit_id))
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            raise FlowError(_("Choose the unit of follow-up task %(n)s.") % {"n": n}) from None
        try:
            due = parse_deadline(deadline, today)
        except FlowError as err:
            raise FlowError(_("Follow-up task %(n)s: %(error)s") % {"n": n, "error": err.message}) from None
        tasks.append(Task(campaign=campaign, title=title, unit=unit, deadline=due))
    return tasks


def decide(item, user, data):
    """Record the meeting's decision on one agenda item."""
    if item.outcome != AgendaItem.Outcome.PENDING:
        raise FlowError(_("This item has already been decided."))
    problem = item.problem
    if problem.status != S.MEETING:
        raise FlowError(_("The problem is no longer on a meeting's agenda."))
    text = (data.get("decision") or "").strip()
    if not text:
        raise FlowError(_("Write the meeting's decision."))
    outcome = data.get("outcome")
    today = timezone.localdate()
    now = timezone.now()
    step = Step(problem=problem, action=Step.Action.DECIDE, from_status=S.MEETING, by=user, reply=text)
    if outcome == AgendaItem.Outcome.SOLVED:
        problem.status, problem.solved_at, problem.progress_at = S.SOLVED, now, now
    elif outcome == AgendaItem.Outcome.ASSIGNED:
        problem.responsible = parse_department(data.get("responsible"), problem)
        problem.deadline = parse_deadline(data.get("deadline"), today)
        problem.status, problem.assigned_at, problem.progress_at = S.ASSIGNED, now, None
        step.responsible, step.deadline = problem.responsible, problem.deadline
    else:
        raise FlowError(_("Choose the outcome: solved at the meeting, or assigned for follow-up."))
    tasks = parse_follow_up_tasks(data, item.meeting, problem, today)
    step.to_status = problem.status
    with transaction.atomic():
        if not Problem.objects.filter(pk=problem.pk, status=S.MEETING).update(
            status=problem.status,
            responsible=problem.responsible,
            deadline=problem.deadline,
            assigned_at=problem.assigned_at,
            progress_at=problem.progress_at,
            solved_at=problem.solved_at,
        ):
            raise FlowError(_("Someone else changed this problem in the meantime; look at it again."))
        step.save()
        audit.record("update", problem, {"status": S.MEETING}, {"status": problem.status})
        for task in tasks:
            task.save()
        item.tasks.add(*tasks)
        item.outcome, item.decision, item.decided_at, item.decided_by = outcome, text, now, user
        item.save(update_fields=["outcome", "decision", "decided_at", "decided_by"])
    return item
