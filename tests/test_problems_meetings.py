"""Coordination meetings: an agenda from problems, a decision per item, follow-up tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Task
from problems.models import AgendaItem, Meeting, Problem
from tests import problem_helpers
from tests.problem_helpers import raise_problem

depts = problem_helpers.depts  # the fixture


@pytest.fixture
def meeting(depts):
    return Meeting.objects.create(
        title="第12次征迁调度会",
        held_on=timezone.localdate(),
        chaired_by="王副区长",
        campaign=depts.campaign,
        unit=depts.zone,
    )


def text(response):
    return response.content.decode()


def soon(days=10):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def add(client, meeting, problem):
    return client.post(reverse("meeting_add_item", args=[meeting.pk]), {"problem": problem.pk}, follow=True)


def decide(client, item, **data):
    return client.post(reverse("meeting_decide", args=[item.pk]), data, follow=True)


def test_the_office_creates_a_meeting(depts, login):
    client = login(depts.office)
    response = client.post(
        reverse("meeting_list"), {"title": "周调度会", "held_on": timezone.localdate().isoformat(), "chaired_by": "李"}
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.unit == depts.zone  # the office's own zone
    response = client.post(reverse("meeting_list"), {"title": "", "held_on": "昨天"})
    assert "是必填项。" in text(response) and Meeting.objects.count() == 1


def test_the_office_of_another_zone_holds_no_meeting_for_this_zone(depts, meeting, login):
    client = login(depts.other_office)
    response = client.post(
        reverse("meeting_list"), {"title": "越界", "held_on": timezone.localdate().isoformat(), "unit": depts.zone.pk}
    )
    assert Meeting.objects.filter(unit=depts.zone).count() == 1
    created = Meeting.objects.filter(title="越界").first()
    assert created is None or created.unit == depts.other_zone
    assert response.status_code in (200, 302, 400)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert "第12次征迁调度会" not in text(client.get(reverse("meeting_list")))


def test_a_problem_goes_on_the_agenda_and_is_solved_there(depts, meeting, login):
    p = raise_problem(depts, responsible=depts.land_dept)
    client = login(depts.office)
    assert "“地块交地受阻”已列入议题。" in text(add(client, meeting, p))
    p.refresh_from_db()
    assert p.status == Problem.Status.MEETING and p.is_open
    assert p.steps.last().action == "to_meeting"
    assert "该事项已在本次会议议题中。" in text(add(client, meeting, p))
    item = AgendaItem.objects.get()
    assert "请填写会议决定。" in text(decide(client, item, decision="", outcome="solved"))
    assert "请选择处理结果" in text(decide(client, item, decision="会议明确", outcome="maybe"))
    assert Problem.objects.get(pk=p.pk).status == "meeting"
    decide(client, item, decision="会议明确由国土部门本周内调剂指标", outcome="solved")
    p.refresh_from_db()
    item.refresh_from_db()
    assert p.status == "solved" and p.solved_at is not None
    assert (item.outcome, item.decided_by) == ("solved", depts.office)
    assert p.steps.last().reply == "会议明确由国土部门本周内调剂指标"
    assert "该议题已作出决定。" in text(decide(client, item, decision="再议", outcome="solved"))


def test_a_decision_assigns_and_creates_follow_up_tasks(depts, meeting, login):
    p = raise_problem(depts)
    client = login(depts.office)
    add(client, meeting, p)
    item = AgendaItem.objects.get()
    response = decide(
        client,
        item,
        decision="由财政局牵头,甲指挥部配合",
        outcome="assigned",
        responsible=depts.fin_dept.pk,
        deadline=soon(14),
        task_title_1="拨付征迁资金2000万元",
        task_unit_1=depts.a.pk,
        task_deadline_1=soon(7),
        task_title_2="完成资金审计",
        task_unit_2=depts.b.pk,
        task_deadline_2=soon(20),
    )
    assert "的会议决定已记录" in text(response)
    p.refresh_from_db()
    assert (p.status, p.responsible) == ("assigned", depts.fin_dept)
    tasks = list(item.tasks.order_by("deadline"))
    assert [(t.title, t.unit, t.campaign) for t in tasks] == [
        ("拨付征迁资金2000万元", depts.a, depts.campaign),
        ("完成资金审计", depts.b, depts.campaign),
    ]
    page = text(client.get(reverse("meeting_detail", args=[meeting.pk])))
    assert "拨付征迁资金2000万元" in page and "交办跟进" in page
    # the follow-up lands on the campaign's task list
    assert "拨付征迁资金2000万元" in text(client.get(reverse("task_list", args=[depts.campaign.pk])))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"outcome": "assigned", "deadline": "D"}, "请选择责任部门。"),
        ({"outcome": "assigned", "responsible": "F", "deadline": "2001-01-01"}, "办结时限不能早于今天。"),
        ({"outcome": "solved", "task_unit_1": "A", "task_deadline_1": "D"}, "第1项后续任务缺少任务名称。"),
        ({"outcome": "solved", "task_title_1": "任务", "task_deadline_1": "D"}, "请选择第1项后续任务的责任单位。"),
        ({"outcome": "solved", "task_title_1": "任务", "task_unit_1": "A", "task_deadline_1": "x"}, "第1项后续任务："),
        ({"outcome": "solved", "task_title_1": "长" * 201, "task_unit_1": "A", "task_deadline_1": "D"}, "超过200字"),
    ],
)
def test_bad_decisions_change_nothing(depts, meeting, login, data, message):
    p = raise_problem(depts)
    client = login(depts.office)
    add(client, meeting, p)
    item = AgendaItem.objects.get()
    swap = {"D": soon(), "F": depts.fin_dept.pk, "A": depts.a.pk}
    data = {k: swap.get(v, v) for k, v in data.items()}
    assert message in text(decide(client, item, decision="决定", **data))
    assert Problem.objects.get(pk=p.pk).status == "meeting"
    assert AgendaItem.objects.get().outcome == "pending"
    assert not Task.objects.exists()


def test_follow_up_tasks_need_a_campaign(depts, login):
    meeting = Meeting.objects.create(title="专题会", held_on=timezone.localdate(), unit=depts.zone)
    p = raise_problem(depts, campaign=None)
    client = login(depts.office)
    add(client, meeting, p)
    response = decide(
        client,
        AgendaItem.objects.get(),
        decision="决定",
        outcome="solved",
        task_title_1="任务",
        task_unit_1=depts.a.pk,
        task_deadline_1=soon(),
    )
    assert "后续任务要列入攻坚行动的任务清单" in text(response)
    assert Problem.objects.get(pk=p.pk).status == "meeting"


def test_closed_problems_cannot_go_on_the_agenda(depts, meeting, login):
    p = raise_problem(depts, status="solved")
    response = add(login(depts.office), meeting, p)
    assert "不能提交上会研究" in text(response)
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    "user, status", [("owner", 403), ("clerk", 403), ("outsider", 403), ("leader", 200), ("office", 200)]
)
def test_who_may_open_meetings(depts, meeting, login, user, status):
    client = login(getattr(depts, user))
    assert client.get(reverse("meeting_list")).status_code == status
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == status


@pytest.mark.parametrize("user", ["owner", "leader", "clerk"])
def test_only_the_office_changes_meetings(depts, meeting, login, user):
    p = raise_problem(depts)
    client = login(getattr(depts, user))
    assert client.post(reverse("meeting_add_item", args=[meeting.pk]), {"problem": p.pk}).status_code == 403
    assert client.post(reverse("meeting_list"), {"title": "会", "held_on": "2026-01-01"}).status_code == 403
    item = AgendaItem.objects.create(meeting=meeting, problem=p)
    assert (
        client.post(reverse("meeting_decide", args=[item.pk]), {"decision": "x", "outcome": "solved"}).status_code
        == 403
    )
    assert Problem.objects.get(pk=p.pk).status == "raised" and Meeting.objects.count() == 1


def test_anonymous_meeting_posts_go_to_login(depts, meeting, client):
    response = client.post(reverse("meeting_add_item", args=[meeting.pk]), {"problem": 1})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
