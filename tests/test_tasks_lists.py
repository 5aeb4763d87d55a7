"""Task lists (任务清单): items per unit, done on time / late / open, evidence; checked item by item."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Task
from problems.colours import BLUE, NONE, RED, YELLOW, task_colour
from problems.models import Attachment
from problems.tasks import task_figures
from tests import problem_helpers

depts = problem_helpers.depts  # the fixture

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def text(response):
    return response.content.decode()


def task(world, unit=None, deadline=None, status="open", done_on=None, title="完成地块清表"):
    return Task.objects.create(
        campaign=world.campaign,
        unit=unit or world.a,
        title=title,
        deadline=deadline or timezone.localdate() + timedelta(days=10),
        status=status,
        done_on=done_on,
    )


def test_task_figures_per_unit_as_of_a_date(world):
    d = date(2026, 6, 10)
    task(world, deadline=d, status="done", done_on=d)  # on time (the deadline itself)
    task(world, deadline=d, status="done", done_on=d + timedelta(days=1))  # late, but done after as_of: open then
    task(world, deadline=d - timedelta(days=5), status="done", done_on=d - timedelta(days=1))  # late
    task(world, deadline=d - timedelta(days=1))  # open, overdue
    task(world, deadline=d + timedelta(days=1))  # open
    task(world, deadline=d - timedelta(days=9), status="cancelled")  # counts nowhere
    task(world, unit=world.b, deadline=d, status="done", done_on=d - timedelta(days=3))
    other = task(world, unit=world.c, deadline=d)
    other.campaign = world.other_campaign
    other.save()

    figures = task_figures(world.campaign, d)
    assert figures == {
        world.a.pk: {"on_time": 1, "late": 1, "open": 3, "overdue": 1, "total": 5},
        world.b.pk: {"on_time": 1, "late": 0, "open": 0, "overdue": 0, "total": 1},
    }
    later = task_figures(world.campaign, d + timedelta(days=2))
    assert later[world.a.pk] == {"on_time": 1, "late": 2, "open": 2, "overdue": 2, "total": 5}


def test_task_colours(world):
    today = timezone.localdate()
    world.campaign.start = today - timedelta(days=20)
    world.campaign.save()
    assert task_colour(task(world, deadline=today - timedelta(days=1)), today) == RED
    assert task_colour(task(world, deadline=today + timedelta(days=3)), today) == BLUE
    slow = task(world, deadline=today + timedelta(days=10))  # added today: its time starts today
    assert task_colour(slow, today) == NONE
    slow.created_at = timezone.now() - timedelta(days=25)  # before the campaign: its time starts with it
    assert task_colour(slow, today) == YELLOW  # 20 of 30 days gone, nothing reported
    slow.progress_at = timezone.now()
    assert task_colour(slow, today) == NONE
    assert task_colour(task(world, deadline=today - timedelta(days=1), status="done", done_on=today), today) == NONE


@pytest.mark.parametrize(
    "user, status", [("owner", 200), ("colleague", 200), ("office", 200), ("leader", 200), ("outsider", 404)]
)
def test_who_may_open_the_task_list(depts, login, user, status):
    t = task(depts)
    client = login(getattr(depts, user))
    assert client.get(reverse("task_list", args=[depts.campaign.pk])).status_code == status
    assert client.get(reverse("task_detail", args=[depts.campaign.pk, t.pk])).status_code == status


def test_a_task_of_another_campaign_is_not_found_under_this_one(depts, login):
    t = task(depts)
    assert login(depts.office).get(reverse("task_detail", args=[depts.other_campaign.pk, t.pk])).status_code == 404


def test_the_list_shows_figures_and_colours(depts, login):
    today = timezone.localdate()
    task(depts, deadline=today - timedelta(days=2), title="逾期事项")
    task(depts, unit=depts.b, deadline=today - timedelta(days=1), status="done", done_on=today - timedelta(days=3))
    response = login(depts.office).get(reverse("task_list", args=[depts.campaign.pk]))
    rows = {r["unit"]: r["f"] for r in response.context["rows"]}
    assert rows[depts.a]["overdue"] == 1 and rows[depts.b]["on_time"] == 1
    page = text(response)
    assert "逾期事项" in page and 'class="badge s-red"' in page and "按单位对单考核" in page


def test_the_office_adds_items_and_bad_input_changes_nothing(depts, login):
    client = login(depts.office)
    url = reverse("task_list", args=[depts.campaign.pk])
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(url, {"title": "完成签约", "unit": depts.a1.pk, "deadline": deadline}, follow=True)
    assert "“完成签约”已列入任务清单。" in text(response)
    assert Task.objects.get().unit == depts.a1
    for data, message in [
        ({"title": "", "unit": depts.a.pk, "deadline": deadline}, "请填写任务名称。"),
        ({"title": "长" * 201, "unit": depts.a.pk, "deadline": deadline}, "任务名称超过200字。"),
        ({"title": "x", "unit": depts.c.pk, "deadline": deadline}, "请选择责任单位。"),  # not in the campaign
        ({"title": "x", "unit": "abc", "deadline": deadline}, "请选择责任单位。"),
        ({"title": "x", "unit": depts.a.pk, "deadline": "2026-13-01"}, "请按日期格式（YYYY-MM-DD）填写办结时限。"),
        ({"title": "x", "unit": depts.a.pk, "deadline": "2001-01-01"}, "完成时限早于攻坚行动开始日期。"),
    ]:
        assert message in text(client.post(url, data))
    assert Task.objects.count() == 1


@pytest.mark.parametrize("user, status", [("owner", 403), ("leader", 403), ("outsider", 404)])
def test_only_the_office_adds_items(depts, login, user, status):
    response = login(getattr(depts, user)).post(
        reverse("task_list", args=[depts.campaign.pk]), {"title": "x", "unit": depts.a.pk, "deadline": "2099-01-01"}
    )
    assert response.status_code == status
    assert not Task.objects.exists()


def test_the_unit_marks_its_item_done_with_evidence(depts, login, media):
    t = task(depts)
    url = reverse("task_detail", args=[depts.campaign.pk, t.pk])
    client = login(depts.owner)
    client.post(url, {"action": "progress", "progress_note": "已完成80%"})
    t.refresh_from_db()
    assert t.progress_note == "已完成80%" and t.progress_at is not None
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "action": "done",
            "done_on": today,
            "evidence": "清表完成,见照片",
            "files": [SimpleUploadedFile("现场.png", PNG)],
        },
        follow=True,
    )
    assert "任务已更新。" in text(response)
    t.refresh_from_db()
    assert (t.status, t.done_on.isoformat(), t.evidence, t.on_time) == ("done", today, "清表完成,见照片", True)
    attachment = Attachment.objects.get(task=t)
    assert Path(attachment.file.path).resolve().is_relative_to(Path(media).resolve())
    download = reverse("attachment_download", args=[attachment.pk])
    assert client.get(download).status_code == 200
    assert login(depts.colleague).get(download).status_code == 404  # another unit's evidence
    assert login(depts.office).get(download).status_code == 200
    assert login(depts.outsider).get(download).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"done_on": ""}, "请按日期格式（YYYY-MM-DD）填写完成日期。"),
        ({"done_on": "2099-01-01"}, "完成日期不能晚于今天。"),
        ({"done_on": "2001-01-01"}, "完成日期早于攻坚行动开始日期。"),
        ({"done_on": "TODAY", "evidence": ""}, "请提供佐证材料"),
        ({"done_on": "TODAY", "evidence": "x", "files": "EXE"}, "只接受照片"),
        ({"done_on": "TODAY", "evidence": "x", "files": "FAKE"}, "的内容不是PNG文件"),
    ],
)
def test_bad_completions_change_nothing(depts, login, data, message):
    t = task(depts)
    files = {"EXE": SimpleUploadedFile("a.exe", b"MZ"), "FAKE": SimpleUploadedFile("a.png", b"GIF89a")}
    data = {k: (timezone.localdate().isoformat() if v == "TODAY" else files.get(v, v)) for k, v in data.items()}
    response = login(depts.owner).post(
        reverse("task_detail", args=[depts.campaign.pk, t.pk]), {"action": "done", **data}
    )
    assert message in text(response)
    t.refresh_from_db()
    assert t.status == "open" and t.done_on is None and not Attachment.objects.exists()


@pytest.mark.parametrize("user, status", [("colleague", 403), ("office", 403), ("leader", 403), ("outsider", 404)])
def test_only_the_unit_completes_its_item(depts, login, user, status):
    t = task(depts)
    response = login(getattr(depts, user)).post(
        reverse("task_detail", args=[depts.campaign.pk, t.pk]),
        {"action": "done", "done_on": timezone.localdate().isoformat(), "evidence": "x"},
    )
    assert response.status_code == status
    assert Task.objects.get(pk=t.pk).status == "open"


def test_the_office_reopens_and_cancels(depts, login):
    t = task(depts, status="done", done_on=timezone.localdate())
    url = reverse("task_detail", args=[depts.campaign.pk, t.pk])
    assert login(depts.owner).post(url, {"action": "reopen"}).status_code == 403
    client = login(depts.office)
    client.post(url, {"action": "reopen"})
    t.refresh_from_db()
    assert t.status == "open" and t.done_on is None
    assert "该任务已是未完成状态。" in text(client.post(url, {"action": "reopen"}))
    client.post(url, {"action": "cancel"})
    assert Task.objects.get(pk=t.pk).status == "cancelled"
    assert client.post(url, {"action": "explode"}).status_code == 404
