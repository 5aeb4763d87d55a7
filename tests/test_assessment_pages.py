"""Assessment pages: tables, publishing frozen versions, the scheme page, warnings; permissions
and bad input."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Part, Publication, Scheme
from assessment.publishing import publish
from assessment.scoring import weekly_table
from assessment.warnings import bottom_streaks, in_bottom, red_streaks
from reports.models import ReportValue
from tests.conftest import submit


def url(name, world, *args):
    return reverse(name, args=[world.campaign.pk, *args])


def publish_post(client, world, key=None, kind="week", note=""):
    return client.post(
        url("assessment_publish", world),
        {"kind": kind, "key": key or world.week.label, "note": note, "confirm": "1"},
        follow=True,
    )


# Permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["assessment_week", "assessment_month", "assessment_scheme"])
def test_readers_of_the_campaign_see_the_tables_and_others_get_404(world, client, name):
    for user in (world.owner, world.colleague, world.office, world.leader):
        client.force_login(user)
        assert client.get(url(name, world)).status_code == 200, user
    client.force_login(world.outsider)
    assert client.get(url(name, world)).status_code == 404
    client.logout()
    response = client.get(url(name, world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_only_the_office_publishes(world, client):
    for user, status in ((world.owner, 403), (world.colleague, 403), (world.leader, 403), (world.outsider, 404)):
        client.force_login(user)
        response = client.post(url("assessment_publish", world), {"kind": "week", "key": world.week.label})
        assert response.status_code == status, user
    client.logout()
    assert client.post(url("assessment_publish", world), {"kind": "week"}).status_code == 302
    assert not Publication.objects.exists()
    client.force_login(world.office)
    response = publish_post(client, world, note="首次发布")
    assert response.status_code == 200
    assert "已发布" in response.content.decode()
    publication = Publication.objects.get()
    assert publication.version == 1 and publication.published_by == world.office and publication.note == "首次发布"


def test_the_publish_button_shows_for_the_office_only(world, client):
    client.force_login(world.owner)
    assert 'id="publish"' not in client.get(url("assessment_week", world)).content.decode()
    client.force_login(world.office)
    assert 'id="publish"' in client.get(url("assessment_week", world)).content.decode()


def test_a_publication_is_scoped_to_its_campaign(world, client):
    publication = publish(weekly_table(world.campaign, world.week))
    target = url("assessment_publication", world, publication.pk)
    client.force_login(world.colleague)
    assert client.get(target).status_code == 200
    client.force_login(world.outsider)
    assert client.get(target).status_code == 404
    other = reverse("assessment_publication", args=[world.other_campaign.pk, publication.pk])
    client.force_login(world.office)
    assert client.get(other).status_code == 404


def test_only_the_office_changes_the_scheme(world, client):
    client.force_login(world.owner)
    assert client.post(url("assessment_scheme", world), {"action": "reset"}).status_code == 403
    page = client.get(url("assessment_scheme", world)).content.decode()
    assert "默认方案" in page and '<form method="post" class="card' not in page
    client.force_login(world.outsider)
    assert client.post(url("assessment_scheme", world), {}).status_code == 404
    assert not Scheme.objects.exists()


def test_warnings_are_for_the_office_and_leaders(world, client):
    for user, status in ((world.office, 200), (world.leader, 200), (world.owner, 403), (world.outsider, 404)):
        client.force_login(user)
        assert client.get(url("assessment_warnings", world)).status_code == status, user


# Publishing and corrections ---------------------------------------------------------------------


def test_a_published_table_survives_a_later_correction_unchanged(world, client):
    report = submit(world.a, world.week, {world.land: 50, world.households: 25})
    client.force_login(world.office)
    publish_post(client, world)
    first = Publication.objects.get()
    frozen = first.data
    a_before = next(r for r in frozen["rows"] if r["unit"] == "甲指挥部")

    ReportValue.objects.filter(report=report, indicator=world.land).update(amount=Decimal(90))  # a correction

    first.refresh_from_db()
    assert first.data == frozen
    page = client.get(url("assessment_publication", world, first.pk)).content.decode()
    assert a_before["total"] in page and "已冻结" in page
    live = client.get(url("assessment_week", world)).content.decode()
    assert 'id="differs"' in live

    response = publish_post(client, world, note="更正甲指挥部交地数据")
    assert "第2版" in response.content.decode()
    second = Publication.objects.get(version=2)
    first.refresh_from_db()
    assert first.data == frozen
    changed = {(c["unit"], c["what"]) for c in second.changes}
    assert ("甲指挥部", "交地面积完成率") in changed and ("甲指挥部", "综合得分") in changed
    page = client.get(url("assessment_publication", world, second.pk)).content.decode()
    assert "与上一版本相比的变动" in page and "更正甲指挥部交地数据" in page


def test_publishing_the_same_numbers_again_is_refused(world, client):
    client.force_login(world.office)
    publish_post(client, world)
    response = publish_post(client, world)
    assert "数据与最新发布的版本相同" in response.content.decode()
    assert Publication.objects.count() == 1


def test_the_monthly_ranking_is_published_under_its_month(world, client):
    client.force_login(world.office)
    month = world.week.prev().end.strftime("%Y-%m")
    publish_post(client, world, key=month, kind="month")
    assert Publication.objects.get().period_key == month


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "week", "key": "2021-23"}, "周次格式应为"),
        ({"kind": "week", "key": "1999-W01"}, "不在本行动期间内"),
        ({"kind": "month", "key": "2021/05"}, "月份格式应为"),
        ({"kind": "month", "key": "1999-05"}, "没有截止的周次"),
        ({"kind": "year", "key": "2021"}, "请选择要发布的"),
        ({"kind": "week", "key": ""}, "请指定要发布的"),
        ({"kind": "week", "key": "WEEK", "note": "长" * 201}, "周次格式应为"),
    ],
)
def test_bad_publish_input_gets_a_message_and_publishes_nothing(world, client, data, message):
    client.force_login(world.office)
    response = client.post(url("assessment_publish", world), data, follow=True)
    assert message in response.content.decode()
    assert not Publication.objects.exists()


def test_a_too_long_note_is_refused(world, client):
    client.force_login(world.office)
    response = publish_post(client, world, note="长" * 201)
    assert "说明太长" in response.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.parametrize("param, value, message", [("week", "x", "周次格式应为"), ("week", "1999-W01", "不在本行动")])
def test_bad_period_in_the_address_gets_a_message(world, client, param, value, message):
    client.force_login(world.owner)
    response = client.get(url("assessment_week", world), {param: value})
    assert response.status_code == 400 and message in response.content.decode()
    response = client.get(url("assessment_month", world), {"month": "2021-13"})
    assert response.status_code == 400 and "月份格式应为" in response.content.decode()


def test_the_weekly_page_shows_each_parts_score_and_colours(world, client):
    submit(world.a, world.week, {world.land: 100, world.households: 50, world.projects: 10})
    client.force_login(world.colleague)
    page = client.get(url("assessment_week", world)).content.decode()
    for text in ("交地面积完成率", "周报按时报送", "任务清单按期完成", "协调问题解决", "综合得分", "c-green"):
        assert text in page
    assert page.index("甲指挥部") < page.index("乙指挥部")


# The scheme page ---------------------------------------------------------------------------


def scheme_post(world, parts, **fields):
    data = {
        "tie_rule": "parts",
        "green_from": "85",
        "yellow_from": "60",
        "bottom_n": "1",
        "streak": "3",
        "red_weeks": "3",
        "parts-TOTAL_FORMS": str(len(parts)),
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for n, part in enumerate(parts):
        base = {"capped": "on", "green_from": "90", "yellow_from": "60", "sort_order": str(n), "indicator": ""}
        base.update(part)
        for key, value in base.items():
            if value is not None:
                data[f"parts-{n}-{key}"] = value
    return data


def test_the_office_sets_a_scheme_on_the_page(world, client):
    client.force_login(world.office)
    page = client.get(url("assessment_scheme", world)).content.decode()
    assert "parts-TOTAL_FORMS" in page and 'value="7"' in page  # the default, ready to edit
    data = scheme_post(
        world,
        [{"kind": "indicator", "indicator": str(world.land.pk), "weight": "70"}, {"kind": "reports", "weight": "30"}],
    )
    response = client.post(url("assessment_scheme", world), data)
    assert response.status_code == 302
    scheme = Scheme.objects.get(campaign=world.campaign)
    assert scheme.updated_by == world.office
    assert [(p.kind, p.weight) for p in scheme.parts.all()] == [("indicator", 70), ("reports", 30)]
    table = weekly_table(world.campaign, world.week)
    assert [p.kind for p in table.parts] == ["indicator", "reports"]
    response = client.post(url("assessment_scheme", world), {"action": "reset"})
    assert response.status_code == 302 and not Scheme.objects.exists()


@pytest.mark.parametrize(
    "parts, fields, message",
    [
        ([{"kind": "indicator", "weight": "50"}], {}, "须选择指标"),
        ([{"kind": "reports", "weight": "50", "indicator": "LAND"}], {}, "只有按指标完成率考评的项才选择指标"),
        ([{"kind": "reports", "weight": "0"}], {}, "0.01"),
        ([{"kind": "reports", "weight": "abc"}], {}, "输入一个数字"),
        ([{"kind": "reports", "weight": "10"}, {"kind": "reports", "weight": "10"}], {}, "每个考评项只能出现一次"),
        ([], {}, "至少要有一个考评项"),
        ([{"kind": "reports", "weight": "10"}], {"green_from": "50", "yellow_from": "70"}, "黄灯线不能高于绿灯线"),
        ([{"kind": "reports", "weight": "10", "green_from": "50", "yellow_from": "70"}], {}, "黄灯线不能高于绿灯线"),
        ([{"kind": "reports", "weight": "10"}], {"streak": "1"}, "2"),
        ([{"kind": "bogus", "weight": "10"}], {}, "bogus"),
    ],
)
def test_a_bad_scheme_is_refused_with_a_message(world, client, parts, fields, message):
    for part in parts:
        if part.get("indicator") == "LAND":
            part["indicator"] = str(world.land.pk)
    client.force_login(world.office)
    response = client.post(url("assessment_scheme", world), scheme_post(world, parts, **fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert "考评方案未保存" in page and message in page
    assert not Scheme.objects.exists() and not Part.objects.exists()


def test_an_indicator_of_another_campaign_is_refused(world, client):
    from campaigns.models import Indicator

    stray = Indicator.objects.create(code="stray", name="别的指标", unit_of_measure="个")
    client.force_login(world.office)
    data = scheme_post(world, [{"kind": "indicator", "indicator": str(stray.pk), "weight": "10"}])
    response = client.post(url("assessment_scheme", world), data)
    assert response.status_code == 400 and not Scheme.objects.exists()


# Warnings on a hand-made history --------------------------------------------------------------


def history(*tables):
    """[(key, rows)] from [(key, {unit: rank or (rank, status)})]."""
    result = []
    for key, ranks in tables:
        rows = []
        for n, (unit, value) in enumerate(ranks.items()):
            rank, status = value if isinstance(value, tuple) else (value, "green")
            rows.append({"unit_id": n + 1, "unit": unit, "rank": rank, "status": status})
        result.append((key, rows))
    return result


def test_a_unit_last_k_times_in_a_row_is_flagged():
    h = history(
        ("W1", {"甲": 1, "乙": 2, "丙": 3}),
        ("W2", {"甲": 1, "乙": 3, "丙": 2}),
        ("W3", {"甲": 1, "乙": 3, "丙": 2}),
        ("W4", {"甲": 1, "乙": 3, "丙": 2}),
    )
    streaks = bottom_streaks(h, 1, 3)
    assert [(s.unit, s.keys, s.ongoing) for s in streaks] == [("乙", ["W2", "W3", "W4"], True)]
    assert bottom_streaks(h, 1, 4) == []


def test_a_run_that_ended_is_reported_as_ended_and_short_runs_are_not():
    h = history(
        ("W1", {"甲": 3, "乙": 1, "丙": 2}),
        ("W2", {"甲": 3, "乙": 1, "丙": 2}),
        ("W3", {"甲": 1, "乙": 2, "丙": 3}),
        ("W4", {"甲": 1, "乙": 2, "丙": 3}),
    )
    streaks = bottom_streaks(h, 1, 2)
    assert [(s.unit, s.keys, s.ongoing) for s in streaks] == [("丙", ["W3", "W4"], True), ("甲", ["W1", "W2"], False)]


def test_bottom_n_counts_units_sharing_the_last_place():
    assert in_bottom(3, [1, 2, 3, 3], 1)
    assert not in_bottom(2, [1, 2, 3, 3], 1)
    assert in_bottom(2, [1, 2, 3, 4], 3) and not in_bottom(1, [1, 2, 3, 4], 3)
    assert not in_bottom(1, [1, 1, 1], 1)  # everybody equal: nobody is last
    h = history(("M1", {"甲": 1, "乙": 2, "丙": 2}), ("M2", {"甲": 1, "乙": 2, "丙": 2}))
    assert {s.unit for s in bottom_streaks(h, 1, 2)} == {"乙", "丙"}


def test_red_k_weeks_in_a_row_is_flagged():
    h = history(
        ("W1", {"甲": (1, "red"), "乙": (2, "red")}),
        ("W2", {"甲": (1, "red"), "乙": (2, "yellow")}),
        ("W3", {"甲": (1, "red"), "乙": (2, "red")}),
    )
    assert [(s.unit, s.length) for s in red_streaks(h, 3)] == [("甲", 3)]
    assert [(s.unit, s.length) for s in red_streaks(h, 1)][0] == ("甲", 3)


def test_the_warnings_page_uses_published_tables(world, client):
    """Three published weeks with 乙 last and red: the page flags it; 甲 is not flagged."""
    Scheme.objects.create(campaign=world.campaign, bottom_n=1, streak=3, red_weeks=3)
    week = world.week
    for w in (week.prev(2), week.prev(), week):
        rows = [
            {"unit_id": world.a.pk, "unit": "甲指挥部", "rank": 1, "status": "green", "cells": [], "total": "90"},
            {"unit_id": world.b.pk, "unit": "乙指挥部", "rank": 2, "status": "red", "cells": [], "total": "10"},
        ]
        data = {"kind": "week", "key": w.label, "parts": [], "rows": rows, "full_score": "100"}
        Publication.objects.create(campaign=world.campaign, kind="week", period_key=w.label, version=1, data=data)
    client.force_login(world.office)
    page = client.get(url("assessment_warnings", world), {"week": week.label}).content.decode()
    weekly = page[page.index('id="weekly-bottom"') : page.index('id="monthly-bottom"')]
    red = page[page.index('id="red-weeks"') :]

    def row(section, unit):
        match = re.search(rf'<tr data-unit="{unit.pk}">.*?</tr>', section, re.S)
        return match.group(0) if match else ""

    assert "仍在持续" in row(weekly, world.b) and week.label in row(weekly, world.b)
    assert "仍在持续" not in row(weekly, world.a)  # first in the published weeks
    assert "仍在持续" in row(red, world.b) and "仍在持续" not in row(red, world.a)
