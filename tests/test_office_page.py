from datetime import timedelta

import pytest
from django.urls import reverse

from reports.models import WeekLock, WeeklyReport
from tests.conftest import submit


def test_it_counts_on_time_late_and_missing(world, login):
    week = world.week.prev()
    submit(world.a, week, {world.land: 1}, when=week.deadline - timedelta(hours=2))
    submit(world.b, week, {world.land: 1}, when=week.deadline + timedelta(hours=2))
    response = login(world.office).get(reverse("office_week", args=[week.label]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [u for u, _ in groups["on_time"]] == [world.a]
    assert [u for u, _ in groups["late"]] == [world.b]
    # 丙指挥部 is in a campaign of another zone running this week: due too, and missing
    assert [u for u, _ in groups["missing"]] == [world.c]
    html = response.content.decode()
    assert 'id="count-late">1<' in html and 'id="count-missing">1<' in html


def test_a_draft_or_returned_report_counts_as_missing(world, login):
    WeeklyReport.objects.create(unit=world.a, week_end=world.week.end, status=WeeklyReport.Status.DRAFT)
    WeeklyReport.objects.create(unit=world.b, week_end=world.week.end, status=WeeklyReport.Status.RETURNED)
    response = login(world.office).get(reverse("office"))
    assert {u for u, _ in response.context["groups"]["missing"]} == {world.a, world.b, world.c}


@pytest.mark.parametrize("who, status", [("owner", 403), ("colleague", 403), ("outsider", 403), ("leader", 403)])
def test_only_the_office_sees_the_submission_page(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("office")).status_code == status


def test_the_office_locks_and_unlocks_a_week(world, login):
    client = login(world.office)
    lock_url = reverse("office_lock", args=[world.week.label])
    client.post(lock_url, {"action": "lock"})
    assert WeekLock.objects.filter(week_end=world.week.end).exists()
    client.post(lock_url, {"action": "unlock"})
    assert not WeekLock.objects.filter(week_end=world.week.end).exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "leader"])
def test_nobody_else_locks_a_week(world, login, who):
    response = login(getattr(world, who)).post(reverse("office_lock", args=[world.week.label]), {"action": "lock"})
    assert response.status_code == 403
    assert not WeekLock.objects.exists()


def test_a_bad_week_label_is_a_404(world, login):
    assert login(world.office).get("/office/2021-W99/").status_code == 404
