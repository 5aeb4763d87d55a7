"""The office's search through the audit trail at /audit/."""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

import audit
from audit.models import Entry
from audit.views import PAGE_SIZE
from org.models import OrgUnit
from tests.conftest import PASSWORD

URL = reverse("audit")


@pytest.fixture
def trail(world):
    OrgUnit.objects.create(name="丁指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone)
    audit.record(Entry.Action.LOGIN, "auth.user", user=world.owner)
    audit.record(Entry.Action.EXPORT, "", user=world.office, note='attachment; filename="projects.xlsx"')
    return world


def rows(response):
    return response.content.decode().count("<tr data-action=")


@pytest.mark.parametrize("name", ["owner", "colleague", "outsider", "leader"])
def test_only_the_office_may_search_it(trail, client, name):
    client.force_login(getattr(trail, name))
    assert client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_office_sees_every_entry_of_its_zone_with_chinese_labels(trail, client):
    client.force_login(trail.office)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "审计日志" in html
    mine = Entry.objects.filter(unit_path__startswith=trail.zone.path)
    assert rows(response) == mine.count() > 10
    assert "丁指挥部" in html and "组织单位" in html and "新增" in html  # the create of an org unit
    assert "下载" in html and "projects.xlsx" in html
    assert "丙指挥部" not in html and "外区行动" not in html  # the other zone's records


def test_it_keeps_each_zones_entries_from_the_other_zones_office(trail, client):
    client.force_login(trail.other_office)
    html = client.get(URL).content.decode()
    assert "丙指挥部" in html and "外区行动" in html
    assert "丁指挥部" not in html and "测试攻坚行动" not in html and "projects.xlsx" not in html
    assert rows(client.get(URL, {"who": "owner"})) == 0


def test_each_entry_knows_the_unit_it_is_about(trail):
    unit = OrgUnit.objects.get(name="丁指挥部")
    assert Entry.objects.get(model="org.orgunit", object_id=str(unit.pk)).unit_path == unit.path
    target = trail.campaign.targets.filter(unit=trail.b).first()
    assert Entry.objects.get(model="campaigns.target", object_id=str(target.pk)).unit_path == trail.b.path
    assert Entry.objects.get(model="campaigns.campaign", object_id=str(trail.other_campaign.pk)).unit_path == (
        trail.other_zone.path
    )
    login = Entry.objects.get(action=Entry.Action.LOGIN, username="owner")
    assert login.unit_path == trail.a.path  # an entry about no record: the person's unit


def test_filters_by_who_record_type_object_and_action(trail, client):
    client.force_login(trail.office)
    assert rows(client.get(URL, {"who": "owner"})) == Entry.objects.filter(username__icontains="owner").count()
    assert rows(client.get(URL, {"action": "export"})) == 1
    assert rows(client.get(URL, {"model": "org.orgunit"})) == 5  # 测试区, 甲, 甲一, 乙, 丁 (not 外区, 丙)
    unit = OrgUnit.objects.get(name="丁指挥部")
    assert rows(client.get(URL, {"object": str(unit.pk), "model": "org.orgunit"})) == 1
    assert rows(client.get(URL, {"object": "丁指挥"})) == 1
    assert rows(client.get(URL, {"object": "nothing-like-it"})) == 0


def test_filters_by_date_range(trail, client, monkeypatch):
    old = timezone.make_aware(datetime(2025, 3, 1, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: old)
    audit.record(Entry.Action.IMPORT, "projects.project", note="old import", user=trail.office)
    monkeypatch.undo()
    client.force_login(trail.office)
    mine = Entry.objects.filter(unit_path__startswith=trail.zone.path)
    assert rows(client.get(URL, {"start": "2025-03-01", "end": "2025-03-01"})) == 1
    assert rows(client.get(URL, {"start": "2025-03-02"})) == mine.count() - 1
    assert rows(client.get(URL, {"end": "2025-02-28"})) == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2025-13-01"}, "请按 年-月-日 输入日期"),
        ({"start": "2025-03-05", "end": "2025-03-01"}, "开始日期晚于结束日期"),
        ({"action": "hack"}, "没有这种操作"),
        ({"model": "auth.permission"}, "没有这种记录类型"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_list_nothing(trail, client, params, message):
    client.force_login(trail.office)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode() and rows(response) == 0


def test_pages_of_fifty(trail, client):
    for n in range(PAGE_SIZE + 5):
        audit.record(Entry.Action.IMPORT, "projects.project", note=f"n{n}", user=trail.office)
    client.force_login(trail.office)
    total = Entry.objects.filter(unit_path__startswith=trail.zone.path).count()
    first = client.get(URL)
    assert rows(first) == PAGE_SIZE and "page=2" in first.content.decode()
    assert rows(client.get(URL, {"page": 2})) == total - PAGE_SIZE
    bad = client.get(URL, {"page": "x"})  # a bad page number is refused (duban.params)
    assert bad.status_code == 400 and "参数 page 应为整数" in bad.content.decode()
    two = client.get(URL, {"action": "import", "page": 2}).content.decode()
    assert "action=import" in two  # paging keeps the filters


def test_a_superuser_without_membership_may_search_it(db, client):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    assert client.get(URL).status_code == 200


def test_the_search_itself_changes_nothing(trail, client):
    client.force_login(trail.office)
    before = Entry.objects.count()
    client.get(URL, {"who": "owner"})
    assert Entry.objects.count() == before + 0  # a search is not an entry (log-in was force_login)


def test_entries_show_before_and_after(trail, client):
    unit = OrgUnit.objects.get(name="丁指挥部")
    unit.leader = "李四"
    unit.save()
    client.force_login(trail.office)
    html = client.get(URL, {"action": "update", "model": "org.orgunit"}).content.decode()
    assert "包保领导" in html and "→ 李四" in html


def test_values_are_shown_in_words_not_codes(world, client, settings):
    """Choices by their labels, links by names, m2m changes by names, times in Beijing time (even
    on a server set to another time zone)."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from projects.models import Project

    project = Project.objects.create(unit=world.a, name="词语项目", total_investment=Decimal(100))
    project.campaigns.add(world.campaign)
    entry = audit.record(
        Entry.Action.UPDATE,
        "problems.problem",
        {"status": "raised", "raised_by_unit_id": world.a.pk, "created_at": "2026-12-03T09:00:00Z"},
        {"status": "assigned", "raised_by_unit_id": world.b.pk, "created_at": "2026-12-03T09:30:00Z"},
        user=world.office,
    )
    settings.TIME_ZONE = "UTC"
    client.force_login(world.office)
    html = client.get(URL).content.decode()
    assert "提出" in html and "→ 交办" in html and "raised" not in html and "assigned" not in html
    assert "提出单位" in html and "raised_by_unit_id" not in html  # the verbose name, not the column
    assert f"{world.a.name}</td>" in html and f"→ {world.b.name}</td>" in html
    assert f"增加：{world.campaign.name}" in html and "'added'" not in html and "{&#x27;added" not in html
    assert entry.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S") in html
    assert "2026-12-03 17:30:00" in html  # a stored time, 09:30 UTC, in Beijing time
    assert "北京时间" in html


def test_a_linked_record_that_is_gone_says_so(world, client):
    gone, now = {"raised_by_unit_id": 999999}, {"raised_by_unit_id": None}
    audit.record(Entry.Action.UPDATE, "problems.problem", gone, now, user=world.office)
    client.force_login(world.office)
    html = client.get(URL).content.decode()
    assert "#999999（已不存在）" in html
