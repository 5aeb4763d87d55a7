"""The flow of a coordination problem: each transition allowed or refused, with who/when/reply."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from org.scoping import Scope
from problems import flow
from problems.colours import BLUE, NONE, RED, YELLOW, deadline_colour, problem_colour
from problems.models import Problem, Step
from tests import problem_helpers
from tests.problem_helpers import raise_problem

depts = problem_helpers.depts  # the fixture

S = Problem.Status


def act(problem, action, user, **data):
    problem.refresh_from_db()
    return flow.act(problem, action, user, Scope(user), data)


def soon(days=10):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def assign(world, problem, dept=None, days=10):
    return act(problem, "assign", world.office, responsible=str((dept or world.land_dept).pk), deadline=soon(days))


def test_the_whole_way_to_solved_records_every_step(depts):
    w = depts
    p = raise_problem(w)
    assign(w, p)
    act(p, "accept", w.clerk, reply="已接收")
    act(p, "progress", w.clerk, reply="已完成用地预审")
    act(p, "solve", w.clerk, reply="已办结")
    p.refresh_from_db()
    assert p.status == S.SOLVED and p.solved_at is not None and p.progress_at is not None
    steps = list(p.steps.values_list("action", "from_status", "to_status", "by__username", "reply"))
    assert steps == [
        ("raise", "", "raised", "owner", "详细情况"),
        ("assign", "raised", "assigned", "office", ""),
        ("accept", "assigned", "in_progress", "clerk", "已接收"),
        ("progress", "in_progress", "in_progress", "clerk", "已完成用地预审"),
        ("solve", "in_progress", "solved", "clerk", "已办结"),
    ]
    assign_step = p.steps.get(action="assign")
    assert assign_step.responsible == w.land_dept and assign_step.deadline == timezone.localdate() + timedelta(days=10)
    assert all(s.at is not None for s in p.steps.all())


def test_assigning_sets_department_deadline_and_leader(depts):
    w = depts
    p = raise_problem(w)
    act(p, "assign", w.office, responsible=str(w.land_dept.pk), deadline=soon(5), leader=str(w.leader.pk))
    p.refresh_from_db()
    assert (p.status, p.responsible, p.leader) == (S.ASSIGNED, w.land_dept, w.leader)
    assert p.assigned_at is not None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"deadline": "2099-01-01"}, "请选择责任部门"),
        ({"responsible": "abc", "deadline": "2099-01-01"}, "请选择责任部门"),
        ({"responsible": "DEPT", "deadline": ""}, "日期"),
        ({"responsible": "DEPT", "deadline": "2026-02-30"}, "日期"),
        ({"responsible": "DEPT", "deadline": "2000-01-01"}, "不能早于今天"),
        ({"responsible": "DEPT", "deadline": "2099-01-01", "leader": "999999"}, "协调领导"),
    ],
)
def test_a_bad_assignment_is_refused_and_changes_nothing(depts, data, message):
    w = depts
    p = raise_problem(w)
    data = {k: (str(w.land_dept.pk) if v == "DEPT" else v) for k, v in data.items()}
    with pytest.raises(flow.FlowError) as err:
        act(p, "assign", w.office, **data)
    from django.utils import translation

    with translation.override("zh-hans"):
        pass
    assert err.value.message
    p.refresh_from_db()
    assert p.status == S.RAISED and p.responsible is None and p.steps.count() == 1


def test_a_non_department_cannot_be_made_responsible(depts):
    w = depts
    p = raise_problem(w)
    with pytest.raises(flow.FlowError):
        act(p, "assign", w.office, responsible=str(w.b.pk), deadline=soon())
    assert Problem.objects.get(pk=p.pk).status == S.RAISED


@pytest.mark.parametrize(
    "status, action, user, allowed",
    [
        # office
        ("raised", "assign", "office", True),
        ("returned", "assign", "office", True),
        ("assigned", "assign", "office", False),
        ("solved", "assign", "office", False),
        ("raised", "return", "office", True),
        ("assigned", "solve", "office", True),
        ("raised", "solve", "office", False),
        ("meeting", "solve", "office", False),
        # department
        ("assigned", "accept", "clerk", True),
        ("in_progress", "accept", "clerk", False),
        ("in_progress", "progress", "clerk", True),
        ("assigned", "progress", "clerk", False),
        ("in_progress", "solve", "clerk", True),
        ("solved", "solve", "clerk", False),
        ("assigned", "return", "clerk", True),
        ("meeting", "return", "clerk", False),
        # raiser
        ("returned", "resubmit", "owner", True),
        ("raised", "resubmit", "owner", False),
    ],
)
def test_each_transition_is_allowed_or_refused_by_status(depts, status, action, user, allowed):
    w = depts
    p = raise_problem(w, responsible=w.land_dept, deadline=timezone.localdate() + timedelta(days=9))
    Problem.objects.filter(pk=p.pk).update(status=status)
    data = {"reply": "答复", "reason": "理由", "responsible": str(w.land_dept.pk), "deadline": soon()}
    user = getattr(w, user)
    if allowed:
        step = act(p, action, user, **data)
        assert Problem.objects.get(pk=p.pk).status == step.to_status
    else:
        with pytest.raises(flow.FlowError):
            act(p, action, user, **data)
        assert Problem.objects.get(pk=p.pk).status == status
        assert p.steps.count() == 1


@pytest.mark.parametrize(
    "action, user",
    [
        ("assign", "owner"),  # the raiser does not assign
        ("assign", "clerk"),
        ("accept", "office"),  # the office does not accept for the department
        ("accept", "fin_clerk"),  # another department
        ("progress", "owner"),
        ("solve", "colleague"),
        ("resubmit", "clerk"),
        ("assign", "leader"),  # leaders read
    ],
)
def test_acting_without_the_part_to_play_is_forbidden(depts, action, user):
    w = depts
    p = raise_problem(w, responsible=w.land_dept)
    Problem.objects.filter(pk=p.pk).update(
        status={"accept": "assigned", "progress": "in_progress", "solve": "in_progress", "resubmit": "returned"}.get(
            action, "raised"
        )
    )
    before = Problem.objects.get(pk=p.pk).status
    with pytest.raises(PermissionDenied):
        act(p, action, getattr(w, user), reply="x", reason="y", responsible=str(w.land_dept.pk), deadline=soon())
    assert Problem.objects.get(pk=p.pk).status == before


@pytest.mark.parametrize(
    "action, status", [("accept", "assigned"), ("progress", "in_progress"), ("solve", "in_progress")]
)
def test_a_reply_is_required(depts, action, status):
    w = depts
    p = raise_problem(w, responsible=w.land_dept)
    Problem.objects.filter(pk=p.pk).update(status=status)
    with pytest.raises(flow.FlowError):
        act(p, action, w.clerk, reply="   ")
    assert Problem.objects.get(pk=p.pk).status == status


def test_returning_needs_a_reason_and_keeps_it(depts):
    w = depts
    p = raise_problem(w)
    with pytest.raises(flow.FlowError):
        act(p, "return", w.office, reason="")
    assert Problem.objects.get(pk=p.pk).status == S.RAISED
    act(p, "return", w.office, reason="不属于协调范围")
    p.refresh_from_db()
    assert p.status == S.RETURNED and not p.is_open
    assert p.steps.last().reason == "不属于协调范围"
    act(p, "resubmit", w.owner, reply="补充了材料")
    assert Problem.objects.get(pk=p.pk).status == S.RAISED


def test_an_unknown_action_is_refused(depts):
    p = raise_problem(depts)
    with pytest.raises(flow.FlowError):
        act(p, "delete", depts.office)


def test_a_stale_page_cannot_act_twice(depts):
    """Two clerks press 'solve' on the same page: the second finds the status changed."""
    w = depts
    p = raise_problem(w, responsible=w.land_dept)
    Problem.objects.filter(pk=p.pk).update(status=S.IN_PROGRESS)
    p.refresh_from_db()
    stale = Problem.objects.get(pk=p.pk)
    flow.act(p, "solve", w.clerk, Scope(w.clerk), {"reply": "办结"})
    with pytest.raises(flow.FlowError):
        flow.act(stale, "progress", w.clerk, Scope(w.clerk), {"reply": "又一次"})
    assert p.steps.filter(action="progress").count() == 0


def test_allowed_actions_follow_the_rules(depts):
    w = depts
    p = raise_problem(w, responsible=w.land_dept)
    assert flow.allowed_actions(p, Scope(w.office)) == {"assign", "return"}
    assert flow.allowed_actions(p, Scope(w.clerk)) == set()
    Problem.objects.filter(pk=p.pk).update(status=S.ASSIGNED)
    p.refresh_from_db()
    assert flow.allowed_actions(p, Scope(w.clerk)) == {"accept", "solve", "return"}
    assert flow.allowed_actions(p, Scope(w.owner)) == set()


# Colours at the boundaries -------------------------------------------------------------------

START = date(2026, 3, 1)
DEADLINE = date(2026, 3, 21)  # 20 days: half time is 10 days, "within 3 days" from 3-18


@pytest.mark.parametrize(
    "today, progressed, colour",
    [
        (date(2026, 3, 11), False, NONE),  # exactly half: not yet past half
        (date(2026, 3, 12), False, YELLOW),  # past half, nothing reported
        (date(2026, 3, 12), True, NONE),  # past half, with progress
        (date(2026, 3, 17), False, YELLOW),  # 4 days left
        (date(2026, 3, 17), True, NONE),
        (date(2026, 3, 18), False, BLUE),  # 3 days left
        (date(2026, 3, 18), True, BLUE),
        (date(2026, 3, 21), True, BLUE),  # the deadline itself
        (date(2026, 3, 22), True, RED),  # the day after
        (date(2026, 3, 1), False, NONE),
    ],
)
def test_deadline_colours_at_the_boundaries(today, progressed, colour):
    assert deadline_colour(START, DEADLINE, today, progressed) == colour


def test_closed_items_and_items_without_a_deadline_have_no_colour():
    assert deadline_colour(START, DEADLINE, date(2026, 4, 1), False, closed=True) == NONE
    assert deadline_colour(START, None, date(2026, 4, 1), False) == NONE


def test_a_problems_time_runs_from_its_assignment(depts):
    w = depts
    p = raise_problem(w)
    today = timezone.localdate()
    assign(w, p, days=20)
    p.refresh_from_db()
    assert problem_colour(p, today) == NONE
    assert problem_colour(p, today + timedelta(days=11)) == YELLOW
    act(p, "accept", w.clerk, reply="收到")
    assert (
        problem_colour(Problem.objects.get(pk=p.pk), today + timedelta(days=11)) == YELLOW
    )  # accepting is not progress
    act(p, "progress", w.clerk, reply="进展")
    p.refresh_from_db()
    assert problem_colour(p, today + timedelta(days=11)) == NONE
    assert problem_colour(p, today + timedelta(days=17)) == BLUE
    assert problem_colour(p, today + timedelta(days=21)) == RED
    act(p, "solve", w.clerk, reply="办结")
    assert problem_colour(Problem.objects.get(pk=p.pk), today + timedelta(days=21)) == NONE
    assert Step.objects.filter(problem=p).count() == 5
