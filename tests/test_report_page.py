from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportValue, WeekLock, WeeklyReport
from tests.conftest import submit


def url(unit, week):
    return reverse("report", args=[unit.pk, week.label])


def post(client, unit, week, data, submit=False):
    payload = {"progress_text": "本周进展", "experience_text": "", "problems_text": ""}
    payload.update(data)
    payload["submit" if submit else "save"] = "1"
    return client.post(url(unit, week), payload, follow=True)


def values(unit, week):
    report = WeeklyReport.objects.filter(unit=unit, week_end=week.end).first()
    return {v.indicator.code: v.amount for v in report.values.all()} if report else None


# Permissions ---------------------------------------------------------------------------


def test_it_shows_the_form_to_the_owner(world, login):
    response = login(world.owner).get(url(world.a, world.week))
    assert response.status_code == 200
    assert f'name="v_{world.land.pk}"' in response.content.decode()


def test_it_hides_another_units_report_from_a_colleague(world, login):
    assert login(world.colleague).get(url(world.a, world.week)).status_code == 404


def test_it_hides_the_report_from_an_outsider(world, login):
    assert login(world.outsider).get(url(world.a, world.week)).status_code == 404


def test_it_lets_the_office_read_but_not_edit(world, login):
    client = login(world.office)
    response = client.get(url(world.a, world.week))
    assert response.status_code == 200
    assert f'name="v_{world.land.pk}"' not in response.content.decode()
    assert client.post(url(world.a, world.week), {f"v_{world.land.pk}": "5", "save": "1"}).status_code == 403
    assert values(world.a, world.week) is None


def test_it_refuses_a_post_from_a_colleague_with_404(world, login):
    response = login(world.colleague).post(url(world.a, world.week), {f"v_{world.land.pk}": "5", "save": "1"})
    assert response.status_code == 404
    assert values(world.a, world.week) is None


def test_it_requires_login(world, client):
    response = client.get(url(world.a, world.week))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_working_group_reporter_cannot_report_for_the_parent(world, login):
    from org.models import Membership
    from tests.conftest import make_user

    group_user = make_user("group", world.a1, Membership.Role.REPORTER)
    assert login(group_user).get(url(world.a, world.week)).status_code == 404
    assert login(group_user).get(url(world.a1, world.week)).status_code == 200


# The form --------------------------------------------------------------------------------


def test_it_shows_target_last_weeks_cumulative_and_what_is_left(world, login):
    submit(world.a, world.week.prev(), {world.land: 30})
    submit(world.a, world.week.prev(2), {world.land: 12})
    html = login(world.owner).get(url(world.a, world.week)).content.decode()
    assert "100.00" in html  # target
    assert "42.00" in html  # cumulative to last week
    assert "58.00" in html  # still to do


def test_it_saves_a_draft_then_submits(world, login):
    client = login(world.owner)
    response = post(client, world.a, world.week, {f"v_{world.land.pk}": "12.5", f"v_{world.projects.pk}": "3"})
    assert "草稿已保存" in response.content.decode()
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert report.status == WeeklyReport.Status.DRAFT
    assert values(world.a, world.week) == {"land": Decimal("12.5"), "projects": Decimal("3")}

    response = post(client, world.a, world.week, {f"v_{world.land.pk}": "13", f"v_{world.projects.pk}": "3"}, True)
    report.refresh_from_db()
    assert report.status == WeeklyReport.Status.SUBMITTED
    assert report.submitted_by == world.owner
    assert report.submitted_at is not None
    # blank flows count as zero on submit
    assert values(world.a, world.week) == {"land": Decimal("13"), "households": Decimal("0"), "projects": Decimal("3")}
    assert "已提交" in response.content.decode()


def test_cumulative_figures_are_derived_not_typed(world, login):
    submit(world.a, world.week.prev(), {world.land: 40})
    post(login(world.owner), world.a, world.week, {f"v_{world.land.pk}": "10", f"v_{world.projects.pk}": "1"}, True)
    from campaigns.progress import campaign_progress

    progress = campaign_progress(world.campaign, week=world.week)
    assert progress.rows[(world.a.pk, world.land.pk)].done == Decimal(50)


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        ("-5", "不能为负数"),
        ("abc", "不是有效的数字"),
        ("1e400", "不超过十六位数字"),
        ("NaN", "不是有效的数字"),
        ("1.234", "两位小数"),
    ],
)
def test_it_refuses_bad_amounts_and_changes_nothing(world, login, raw, message):
    client = login(world.owner)
    post(client, world.a, world.week, {f"v_{world.land.pk}": "7"})
    response = post(client, world.a, world.week, {f"v_{world.land.pk}": raw}, submit=True)
    html = response.content.decode()
    assert message in html
    assert values(world.a, world.week) == {"land": Decimal("7")}
    assert WeeklyReport.objects.get(unit=world.a, week_end=world.week.end).status == WeeklyReport.Status.DRAFT


def test_it_refuses_a_stock_that_would_go_down(world, login):
    submit(world.a, world.week.prev(), {world.projects: 5})
    response = post(login(world.owner), world.a, world.week, {f"v_{world.projects.pk}": "4"}, submit=True)
    assert "不能减少" in response.content.decode()
    assert not WeeklyReport.objects.filter(unit=world.a, week_end=world.week.end).exists()


def test_it_refuses_a_week_outside_the_campaign(world, login):
    week = world.week.next(20)
    client = login(world.owner)
    assert "不在本单位任何攻坚行动期间" in client.get(url(world.a, week)).content.decode()
    response = post(client, world.a, week, {f"v_{world.land.pk}": "5"})
    assert "不在本单位任何攻坚行动期间" in response.content.decode()
    assert not WeeklyReport.objects.filter(unit=world.a, week_end=week.end).exists()


def test_it_refuses_a_second_submit(world, login):
    client = login(world.owner)
    post(client, world.a, world.week, {f"v_{world.land.pk}": "5", f"v_{world.projects.pk}": "1"}, True)
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    first_time = report.submitted_at
    response = post(client, world.a, world.week, {f"v_{world.land.pk}": "9", f"v_{world.projects.pk}": "1"}, True)
    assert "本周报已提交" in response.content.decode()
    report.refresh_from_db()
    assert report.submitted_at == first_time
    assert values(world.a, world.week)["land"] == Decimal(5)


def test_it_refuses_a_submission_after_the_office_locked_the_week(world, login):
    WeekLock.objects.create(unit=world.zone, week_end=world.week.end, locked_by=world.office)
    response = post(login(world.owner), world.a, world.week, {f"v_{world.land.pk}": "5"}, True)
    assert "已锁定" in response.content.decode()
    assert not WeeklyReport.objects.filter(unit=world.a, week_end=world.week.end).exists()


def test_it_requires_the_progress_text_to_submit(world, login):
    response = post(
        login(world.owner),
        world.a,
        world.week,
        {f"v_{world.land.pk}": "5", f"v_{world.projects.pk}": "1", "progress_text": " "},
        True,
    )
    assert "请先填写本周进展情况" in response.content.decode()
    assert not WeeklyReport.objects.filter(unit=world.a, week_end=world.week.end).exists()


def test_it_accepts_a_figure_above_the_target_with_a_warning(world, login):
    submit(world.a, world.week.prev(), {world.land: 95})
    response = post(
        login(world.owner), world.a, world.week, {f"v_{world.land.pk}": "10", f"v_{world.projects.pk}": "1"}, True
    )
    html = response.content.decode()
    assert "超过" in html and "目标" in html
    assert WeeklyReport.objects.get(unit=world.a, week_end=world.week.end).is_submitted


# Return --------------------------------------------------------------------------------------


def test_the_office_returns_a_report_with_a_reason_and_the_owner_resubmits(world, login):
    report = submit(world.a, world.week, {world.land: 5, world.projects: 1}, world.owner)
    office = login(world.office)
    return_url = reverse("return_report", args=[world.a.pk, world.week.label])
    response = office.post(return_url, {"reason": ""}, follow=True)
    assert "请填写退回原因" in response.content.decode()
    report.refresh_from_db()
    assert report.status == WeeklyReport.Status.SUBMITTED

    office.post(return_url, {"reason": "交地面积与台账不符"})
    report.refresh_from_db()
    assert report.status == WeeklyReport.Status.RETURNED
    assert report.returned_by == world.office

    owner = login(world.owner)
    assert "交地面积与台账不符" in owner.get(url(world.a, world.week)).content.decode()
    post(owner, world.a, world.week, {f"v_{world.land.pk}": "4", f"v_{world.projects.pk}": "1"}, True)
    report.refresh_from_db()
    assert report.status == WeeklyReport.Status.SUBMITTED
    assert ReportValue.objects.get(report=report, indicator=world.land).amount == 4


@pytest.mark.parametrize(
    "who, status", [("owner", 403), ("leader", 403), ("colleague", 404), ("outsider", 404), ("other_office", 404)]
)
def test_only_the_office_returns_reports(world, login, who, status):
    report = submit(world.a, world.week, {world.land: 5})
    response = login(getattr(world, who)).post(
        reverse("return_report", args=[world.a.pk, world.week.label]), {"reason": "x"}
    )
    assert response.status_code == status  # out of reach: 404; read-only: 403
    report.refresh_from_db()
    assert report.status == WeeklyReport.Status.SUBMITTED


def test_late_submission_is_marked_late(world):
    report = submit(world.a, world.week.prev(), {world.land: 1}, when=world.week.prev().deadline + timedelta(minutes=1))
    assert report.is_late
    on_time = submit(world.b, world.week.prev(), {world.land: 1}, when=world.week.prev().deadline)
    assert not on_time.is_late
    assert timezone.is_aware(world.week.deadline)
