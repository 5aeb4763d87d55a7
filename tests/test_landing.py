"""Each role lands where its work is: a field worker on the phone page (the nav names it 现场登记),
a reporter whose campaigns are over is offered no report, a reporter with one unit goes straight
to its report, and the problem list can show closed problems."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Target
from org.models import Membership, OrgUnit
from problems.models import Problem
from tests.conftest import make_user


def _field_worker(world):
    village = OrgUnit.objects.create(name="东村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    return make_user("fieldworker", village, Membership.Role.REPORTER)


def test_a_field_worker_lands_on_the_phone_page_named_in_the_nav(world, login):
    client = login(_field_worker(world))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("requisition_field")
    html = client.get(reverse("requisition_field")).content.decode()
    assert f'<a href="{reverse("requisition_field")}">现场登记</a>' in html
    assert "东村" in html


def test_a_reporter_of_a_command_post_is_no_field_worker(world, login):
    html = login(world.owner).get(reverse("home")).content.decode()
    assert "现场登记" not in html
    assert world.a.name in html  # their report to fill in


def test_a_field_worker_who_is_also_office_lands_on_home(world, login):
    user = _field_worker(world)
    Membership.objects.create(user=user, unit=world.zone, role=Membership.Role.OFFICE)
    assert login(user).get(reverse("home")).status_code == 200


def test_a_reporter_whose_campaigns_are_over_is_offered_no_report(world, login):
    today = timezone.localdate()
    over = Campaign.objects.create(
        name="已结束行动", owner=world.zone, start=today - timedelta(days=200), end=today - timedelta(days=60)
    )
    unit = OrgUnit.objects.create(name="丁指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone)
    Target.objects.create(campaign=over, unit=unit, indicator=world.land, amount=10)
    client = login(make_user("late-reporter", unit, Membership.Role.REPORTER))
    home = client.get(reverse("home")).content.decode()
    assert "本周周报" not in home and reverse("report", args=[unit.pk, world.week.label]) not in home
    mine = client.get(reverse("my_reports"))
    assert mine.status_code == 200
    html = mine.content.decode()
    assert reverse("report", args=[unit.pk, world.week.label]) not in html
    assert "没有正在进行的行动" in html


def test_a_reporter_with_one_unit_goes_straight_to_its_report(world, login):
    response = login(world.owner).get(reverse("my_reports"))
    assert response.status_code == 302
    assert response["Location"] == reverse("report", args=[world.a.pk, world.week.label])


def test_the_problem_list_can_show_closed_problems(world, login):
    def problem(title, status):
        return Problem.objects.create(title=title, status=status, raised_by_unit=world.a)

    problem("开着的", Problem.Status.ASSIGNED)
    problem("已解决的", Problem.Status.SOLVED)
    problem("退回的", Problem.Status.RETURNED)
    client = login(world.office)
    default = client.get(reverse("problem_list")).content.decode()
    assert "开着的" in default and "已解决的" not in default
    closed = client.get(reverse("problem_list"), {"status": "closed"}).content.decode()
    assert "已解决的" in closed and "退回的" in closed and "开着的" not in closed
    assert 'value="closed" selected' in closed and "已办结" in closed
