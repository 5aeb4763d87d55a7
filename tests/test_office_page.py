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
    assert [u for u, _ in groups["missing"]] == []  # 丙指挥部 is due too, but in the other zone
    html = response.content.decode()
    assert 'id="count-late">1<' in html and 'id="count-missing">0<' in html and "丙指挥部" not in html
    other = login(world.other_office).get(reverse("office_week", args=[week.label]))
    assert [u for u, _ in other.context["groups"]["missing"]] == [world.c]
    assert "甲指挥部" not in other.content.decode()


def test_a_draft_or_returned_report_counts_as_missing(world, login):
    WeeklyReport.objects.create(unit=world.a, week_end=world.week.end, status=WeeklyReport.Status.DRAFT)
    WeeklyReport.objects.create(unit=world.b, week_end=world.week.end, status=WeeklyReport.Status.RETURNED)
    response = login(world.office).get(reverse("office"))
    assert {u for u, _ in response.context["groups"]["missing"]} == {world.a, world.b}


@pytest.mark.parametrize("who, status", [("owner", 403), ("colleague", 403), ("outsider", 403), ("leader", 403)])
def test_only_the_office_sees_the_submission_page(world, login, who, status):
    assert login(getattr(world, who)).get(reverse("office")).status_code == status


def test_the_office_locks_and_unlocks_a_week(world, login):
    client = login(world.office)
    lock_url = reverse("office_lock", args=[world.week.label])
    client.post(lock_url, {"action": "lock", "confirm": "1"})
    assert list(WeekLock.objects.filter(week_end=world.week.end).values_list("unit", flat=True)) == [world.zone.pk]
    client.post(lock_url, {"action": "unlock"})
    assert not WeekLock.objects.filter(week_end=world.week.end).exists()


def draft(client, unit, week):
    return client.post(reverse("report", args=[unit.pk, week.label]), {"land": "1", "progress_text": "进展"})


def test_a_lock_closes_the_week_for_the_offices_zone_only(world, login):
    login(world.other_office).post(reverse("office_lock", args=[world.week.label]), {"action": "lock", "confirm": "1"})
    assert list(WeekLock.objects.values_list("unit", flat=True)) == [world.other_zone.pk]
    owner = login(world.owner)
    assert draft(owner, world.a, world.week).status_code == 302  # 测试区 is still open
    assert WeeklyReport.objects.filter(unit=world.a, week_end=world.week.end).exists()
    page = login(world.office).get(reverse("office")).content.decode()
    assert "解锁本周" not in page  # the other zone's lock is not this office's
    login(world.office).post(reverse("office_lock", args=[world.week.label]), {"action": "unlock"})
    assert WeekLock.objects.filter(unit=world.other_zone).exists()  # and it cannot lift it
    outsider = login(world.outsider)
    assert "已锁定" in draft(outsider, world.c, world.week).content.decode()


def test_a_lock_above_covers_the_county_and_stays_when_the_county_unlocks(world, login):
    from org.models import Membership, OrgUnit
    from tests.conftest import make_user

    province = OrgUnit.objects.create(name="测试省", kind=OrgUnit.Kind.ZONE)
    world.zone.parent = province
    world.zone.save()
    province_office = make_user("province-office", province, Membership.Role.OFFICE)
    login(province_office).post(reverse("office_lock", args=[world.week.label]), {"action": "lock", "confirm": "1"})
    world.a.refresh_from_db()
    assert "已锁定" in draft(login(world.owner), world.a, world.week).content.decode()
    response = login(world.office).post(
        reverse("office_lock", args=[world.week.label]), {"action": "unlock"}, follow=True
    )
    assert "上级办公室锁定" in response.content.decode()
    assert WeekLock.objects.filter(unit=province).exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "leader"])
def test_nobody_else_locks_a_week(world, login, who):
    response = login(getattr(world, who)).post(
        reverse("office_lock", args=[world.week.label]), {"action": "lock", "confirm": "1"}
    )
    assert response.status_code == 403
    assert not WeekLock.objects.exists()


def test_a_bad_week_label_is_a_404(world, login):
    assert login(world.office).get("/office/2021-W99/").status_code == 404
