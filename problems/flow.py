"""The problem flow: 提出 → 交办 → 办理中 → 已解决, or 上会研究, or 退回 with a reason.

Every change goes through `act()`, which checks who may do it and from which status, and records
a Step (who, when, reply, reason). A refusal raises FlowError with a message for the user and
changes nothing; acting without the right part to play raises PermissionDenied (403).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from org.models import OrgUnit, zone_paths
from problems.access import roles_on
from problems.models import Problem, Step

S = Problem.Status
A = Step.Action


class FlowError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Rule:
    action: str
    role: str
    sources: frozenset
    target: str


RULES = [
    Rule(A.ASSIGN, "office", frozenset({S.RAISED, S.RETURNED}), S.ASSIGNED),
    Rule(A.RETURN, "office", frozenset({S.RAISED}), S.RETURNED),
    Rule(A.SOLVE, "office", frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.SOLVED),
    Rule(A.ACCEPT, "department", frozenset({S.ASSIGNED}), S.IN_PROGRESS),
    Rule(A.PROGRESS, "department", frozenset({S.IN_PROGRESS}), S.IN_PROGRESS),
    Rule(A.SOLVE, "department", frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.SOLVED),
    Rule(A.RETURN, "department", frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.RETURNED),
    Rule(A.RESUBMIT, "raiser", frozenset({S.RETURNED}), S.RAISED),
]
FORM_ACTIONS = {r.action for r in RULES}


def allowed_actions(problem, scope):
    """Actions this user may take on the problem now (for the buttons on its page)."""
    roles = roles_on(problem, scope)
    return {r.action for r in RULES if r.role in roles and problem.status in r.sources}


def _rule_for(problem, action, scope):
    roles = roles_on(problem, scope)
    mine = [r for r in RULES if r.action == action and r.role in roles]
    if not mine:
        raise PermissionDenied
    for rule in mine:
        if problem.status in rule.sources:
            return rule
    raise FlowError(
        _("A problem that is “%(status)s” cannot be “%(action)s”.")
        % {"status": problem.get_status_display(), "action": A(action).label}
    )


def _text(data, name):
    return (data.get(name) or "").strip()


def department_choices(*units):
    """The departments a problem of these units may go to: those of the units' zones."""
    paths = zone_paths(units)
    return OrgUnit.objects.filter(OrgUnit.subtree_q(paths), kind=OrgUnit.Kind.DEPARTMENT).order_by("path")


def parse_deadline(value, today):
    from datetime import date

    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        raise FlowError(_("Enter the deadline as a date (YYYY-MM-DD).")) from None
    if day < today:
        raise FlowError(_("The deadline cannot be in the past."))
    return day


def parse_department(value, problem):
    try:
        return department_choices(problem.raised_by_unit).get(pk=int(value))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise FlowError(_("Choose the responsible department.")) from None


def leader_choices(*units):
    """The people who may coordinate a problem of these units: the leaders and office members
    of the units' zones."""
    from django.contrib.auth import get_user_model

    from org.models import Membership

    return (
        get_user_model()
        .objects.filter(
            OrgUnit.subtree_q(zone_paths(units), "memberships__unit__path"),
            memberships__role__in=[Membership.Role.LEADER, Membership.Role.OFFICE],
        )
        .distinct()
        .order_by("first_name", "username")
    )


def parse_leader(value, problem):
    from django.contrib.auth import get_user_model

    if not value:
        return None
    try:
        return leader_choices(problem.raised_by_unit).get(pk=int(value))
    except (ValueError, TypeError, get_user_model().DoesNotExist):
        raise FlowError(_("Choose a coordinating leader from the list.")) from None


def act(problem, action, user, scope, data):
    """Apply `action` to `problem` with the posted `data`; returns the Step recorded."""
    if action not in FORM_ACTIONS:
        raise FlowError(_("Unknown action."))
    rule = _rule_for(problem, action, scope)
    now = timezone.now()
    today = timezone.localdate()
    reply, reason = _text(data, "reply"), _text(data, "reason")
    step = Step(problem=problem, action=action, from_status=problem.status, to_status=rule.target, by=user)

    if action == A.ASSIGN:
        problem.responsible = parse_department(data.get("responsible"), problem)
        problem.deadline = parse_deadline(data.get("deadline"), today)
        leader = parse_leader(data.get("leader"), problem)
        if leader is not None:
            problem.leader = leader
        problem.assigned_at = now
        problem.progress_at = None
        step.responsible, step.deadline = problem.responsible, problem.deadline
    elif action == A.RETURN:
        if not reason:
            raise FlowError(_("Give the reason for returning the problem."))
    elif action in (A.ACCEPT, A.PROGRESS, A.SOLVE):
        if not reply:
            raise FlowError(_("Write the reply (what has been done)."))
        if action in (A.PROGRESS, A.SOLVE):
            problem.progress_at = now
        if action == A.SOLVE:
            problem.solved_at = now
    step.reply, step.reason = reply, reason
    problem.status = rule.target
    with transaction.atomic():
        # The status the page showed must still hold: two people acting at once cannot both win.
        updated = Problem.objects.filter(pk=problem.pk, status=step.from_status).update(
            status=problem.status,
            responsible=problem.responsible,
            deadline=problem.deadline,
            leader=problem.leader,
            assigned_at=problem.assigned_at,
            progress_at=problem.progress_at,
            solved_at=problem.solved_at,
        )
        if not updated:
            raise FlowError(_("Someone else changed this problem in the meantime; look at it again."))
        step.save()
        audit.record("update", problem, {"status": step.from_status}, {"status": problem.status})
    return step


def record_raise(problem, user):
    return Step.objects.create(
        problem=problem, action=A.RAISE, from_status="", to_status=problem.status, by=user, reply=problem.description
    )


def put_on_agenda(problem, user, meeting):
    """The office puts an open problem on a meeting's agenda (上会研究)."""
    if problem.status not in (S.RAISED, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED):
        raise FlowError(
            _("A problem that is “%(status)s” cannot go on a meeting's agenda.")
            % {"status": problem.get_status_display()}
        )
    from_status = problem.status
    with transaction.atomic():
        if not Problem.objects.filter(pk=problem.pk, status=from_status).update(status=S.MEETING):
            raise FlowError(_("Someone else changed this problem in the meantime; look at it again."))
        problem.status = S.MEETING
        audit.record("update", problem, {"status": from_status}, {"status": S.MEETING})
        return Step.objects.create(
            problem=problem,
            action=A.TO_MEETING,
            from_status=from_status,
            to_status=S.MEETING,
            by=user,
            reply=_("On the agenda of “%(meeting)s” (%(date)s)") % {"meeting": meeting.title, "date": meeting.held_on},
        )
