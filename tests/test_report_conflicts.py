"""Two people editing the same weekly report: the later save from a stale form is refused with a
clear message and overwrites nothing."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from org.models import Membership
from reports import entry
from reports.models import WeeklyReport
from tests.conftest import make_user

CONFLICT = "其他人在您打开后保存了这份周报"


def form(world, land, version, text="进展"):
    return {f"v_{world.land.pk}": land, "progress_text": text, "version": version, "save": "1"}


def post(user, world, data):
    client = Client()
    client.force_login(user)
    return client.post(reverse("report", args=[world.a.pk, world.week.label]), data, follow=True)


def test_the_later_of_two_forms_opened_together_is_refused(world):
    second = make_user("second", world.a, Membership.Role.REPORTER)
    first = post(world.owner, world, form(world, "10", 0))
    assert "草稿已保存" in first.content.decode()
    late = post(second, world, form(world, "99", 0, text="另一个人的进展"))
    page = late.content.decode()
    assert CONFLICT in page
    assert 'value="99"' in page  # the refused entries stay in the form
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert report.values.get(indicator=world.land).amount == Decimal(10)
    assert (report.progress_text, report.version, report.updated_by) == ("进展", 1, world.owner)


def test_a_form_at_the_current_version_saves_and_raises_it(world):
    post(world.owner, world, form(world, "10", 0))
    again = post(world.owner, world, form(world, "12", 1))
    assert CONFLICT not in again.content.decode()
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert (report.values.get(indicator=world.land).amount, report.version) == (Decimal(12), 2)


def test_a_garbled_version_is_refused(world):
    response = post(world.owner, world, form(world, "10", "abc"))
    assert CONFLICT in response.content.decode()
    assert not WeeklyReport.objects.exists()


def test_returning_raises_the_version_so_an_old_form_cannot_overwrite(world):
    data = {**form(world, "10", 0), f"v_{world.households.pk}": "1", f"v_{world.projects.pk}": "2"}
    report, _ = entry.save_report(world.a, world.week, world.owner, data, submit=True)
    entry.return_report(report, world.office, "数字有误")
    stale = post(world.owner, world, form(world, "11", report.version))
    assert CONFLICT in stale.content.decode()
    assert WeeklyReport.objects.get(pk=report.pk).values.get(indicator=world.land).amount == Decimal(10)
