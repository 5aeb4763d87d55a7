"""A reporter turns a problem of the weekly report into a coordination problem; the office sees it on
its list, assigns it, and the counts page draws its chart — in Debian's chromium."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Task
from org.models import Membership, OrgUnit
from problems.models import Meeting, Problem
from tests.conftest import ARTIFACTS, log_in, make_user, submit

pytestmark = pytest.mark.browser


def test_a_problem_from_a_weekly_report_reaches_the_offices_list(server, world, page):
    OrgUnit.objects.create(name="自然资源局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.zone)
    report = submit(world.a, world.week, {world.land: 10})
    report.problems_text = "1. 3号地块有2户对补偿标准有异议\n2. 临时用地报批未完成"
    report.save()

    log_in(page, server, "owner")
    page.goto(f"{server.url}{reverse('report', args=[world.a.pk, world.week.label])}")
    block = page.locator("#raised-problems")
    assert "临时用地报批未完成" in block.inner_text()
    page.screenshot(path=ARTIFACTS / "problems-report-block.png", full_page=True)
    block.locator("li", has_text="临时用地报批未完成").get_by_role("link", name="转为协调事项").click()
    page.wait_for_selector("#problem-form")
    assert page.input_value("input[name=title]") == "临时用地报批未完成"
    page.select_option("select[name=category]", "approval")
    page.fill("textarea[name=description]", "临时用地报批未完成,影响3号地块交地。")
    page.screenshot(path=ARTIFACTS / "problems-new.png", full_page=True)
    page.click("#problem-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert "协调事项已提出。" in page.inner_text(".messages")
    problem = Problem.objects.get()
    assert (problem.report_id, problem.source, problem.category) == (report.pk, "report", "approval")

    page.context.clear_cookies()
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('problem_list')}")
    row = page.locator(f'#problems tr[data-problem="{problem.pk}"]')
    assert "临时用地报批未完成" in row.inner_text() and "甲指挥部" in row.inner_text() and "提出" in row.inner_text()
    page.screenshot(path=ARTIFACTS / "problems-office-list.png", full_page=True)

    row.get_by_role("link", name="临时用地报批未完成").click()
    page.wait_for_selector("#actions")
    page.select_option("#actions select[name=responsible]", label="自然资源局")
    page.fill("#actions input[name=deadline]", (timezone.localdate() + timedelta(days=2)).isoformat())
    page.click("#actions button.primary")
    page.wait_for_selector(".msg-success")
    assert "交办" in page.inner_text("#problem-status")
    assert "3天内到期" in page.inner_text("h1")
    page.screenshot(path=ARTIFACTS / "problems-detail.png", full_page=True)

    page.goto(f"{server.url}{reverse('problem_stats')}")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    page.screenshot(path=ARTIFACTS / "problems-stats.png", full_page=True)


def test_the_meeting_and_task_list_pages_render(server, world, page):
    dept = OrgUnit.objects.create(name="财政局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.zone)
    make_user("clerk", dept, Membership.Role.REPORTER)
    meeting = Meeting.objects.create(
        title="第3次征迁调度会", held_on=timezone.localdate(), campaign=world.campaign, unit=world.zone
    )
    today = timezone.localdate()
    Task.objects.create(
        campaign=world.campaign, unit=world.a, title="完成3号地块清表", deadline=today - timedelta(days=1)
    )
    Task.objects.create(
        campaign=world.campaign,
        unit=world.b,
        title="完成迁坟30座",
        deadline=today - timedelta(days=3),
        status="done",
        done_on=today - timedelta(days=4),
        evidence="迁坟台账",
    )
    Problem.objects.create(title="征迁资金缺口", raised_by_unit=world.b, category="funding", campaign=world.campaign)

    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('meeting_detail', args=[meeting.pk])}")
    page.click("#add-item button")
    page.wait_for_selector(".msg-success")
    page.fill("#agenda textarea[name=decision]", "由财政局本月内拨付")
    page.select_option("#agenda select[name=responsible]", label="财政局")
    page.fill("#agenda input[name=deadline]", (today + timedelta(days=20)).isoformat())
    page.click("#agenda details summary")
    page.fill("#agenda input[name=task_title_1]", "拨付征迁资金")
    page.select_option("#agenda select[name=task_unit_1]", label="乙指挥部")
    page.fill("#agenda input[name=task_deadline_1]", (today + timedelta(days=10)).isoformat())
    page.click("#agenda button.primary")
    page.wait_for_selector(".decided")
    assert "拨付征迁资金" in page.inner_text("#agenda")
    page.screenshot(path=ARTIFACTS / "problems-meeting.png", full_page=True)

    page.goto(f"{server.url}{reverse('task_list', args=[world.campaign.pk])}")
    assert "完成3号地块清表" in page.inner_text("#tasks") and "拨付征迁资金" in page.inner_text("#tasks")
    page.screenshot(path=ARTIFACTS / "problems-tasks.png", full_page=True)
