"""Irreversible actions ask first: locking a week, publishing a frozen table and issuing a
bulletin show what will happen and who has not reported, and are done only when confirmed;
issuing the same week twice asks whether it is a correction (更正) of an earlier issue or new."""

import shutil

import pytest
from django.urls import reverse

from assessment.models import Publication
from bulletins.models import Bulletin
from reports.models import ReportValue, WeekLock
from tests import bulletin_helpers
from tests.conftest import submit

media = bulletin_helpers.media  # the fixture


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def test_locking_a_week_shows_who_is_missing_and_waits_for_confirmation(world, login):
    submit(world.a, world.week, {world.land: 5})
    client = login(world.office)
    url = reverse("office_lock", args=[world.week.label])
    response = client.post(url, {"action": "lock"})
    html = response.content.decode()
    assert response.status_code == 200 and "确认锁定" in html
    assert "1个单位尚未报送：乙指挥部" in html and "不能再填报或修改" in html
    assert 'name="confirm" value="1"' in html and 'name="action" value="lock"' in html
    assert not WeekLock.objects.exists()
    assert client.post(url, {"action": "lock", "confirm": "1"}).status_code == 302
    assert WeekLock.objects.filter(unit=world.zone, week_end=world.week.end).count() == 1


def test_unlocking_needs_no_confirmation(world, login):
    WeekLock.objects.create(unit=world.zone, week_end=world.week.end, locked_by=world.office)
    login(world.office).post(reverse("office_lock", args=[world.week.label]), {"action": "unlock"})
    assert not WeekLock.objects.exists()


def test_publishing_a_table_shows_the_version_and_who_is_missing(world, login):
    submit(world.a, world.week, {world.land: 5})
    submit(world.b, world.week, {world.land: 5})
    client = login(world.office)
    url = reverse("assessment_publish", args=[world.campaign.pk])
    data = {"kind": "week", "key": world.week.label, "note": ""}
    html = client.post(url, data).content.decode()
    assert "确认发布" in html and "本次为第1版" in html and "所有单位均已报送" in html
    assert "冻结" in html
    assert not Publication.objects.exists()
    client.post(url, {**data, "confirm": "1"})
    assert Publication.objects.get().version == 1
    ReportValue.objects.filter(report__unit=world.a, report__week_end=world.week.end).update(amount=50)
    html = client.post(url, data).content.decode()
    assert "本次为第2版；第1版仍保留备查" in html
    assert Publication.objects.count() == 1


def test_issuing_asks_and_a_second_issue_of_the_week_asks_correction_or_new(world, login, media):
    client = login(world.office)
    url = reverse("bulletin_issue", args=[world.campaign.pk])
    data = {"kind": "week", "key": world.week.label, "issuer": "测试区攻坚办"}
    html = client.post(url, data).content.decode()
    assert "确认印发" in html and "2个单位尚未报送：甲指挥部、乙指挥部" in html and "不能修改或撤回" in html
    assert 'name="correction"' not in html  # nothing issued for this week yet
    assert not Bulletin.objects.exists()
    client.post(url, {**data, "confirm": "1"})
    first = Bulletin.objects.get()

    html = client.post(url, {**data, "confirm": "1"}).content.decode()  # confirmed, but not answered
    assert Bulletin.objects.count() == 1
    assert "此前已印发" in html and f'value="{first.pk}"' in html and f"更正{first.number_label}" in html
    assert "新的一期" in html

    client.post(url, {**data, "confirm": "1", "correction": str(first.pk)})
    correction = Bulletin.objects.exclude(pk=first.pk).get()
    assert correction.corrects == first and f"（更正{first.number_label}）" in correction.title
    assert correction.number == first.number + 1

    client.post(url, {**data, "confirm": "1", "correction": "new"})
    new = Bulletin.objects.order_by("-pk").first()
    assert new.corrects is None and new.number == first.number + 2
