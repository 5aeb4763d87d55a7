from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target
from campaigns.progress import campaign_progress
from duban import periods
from org.models import Membership, OrgUnit
from requisition import stages
from requisition.models import STAGES, Enterprise, Grave, Household, RevealLog, Stage, StageEvent
from requisition.tallies import tally_level, tally_unit
from tests.conftest import make_user

ID = "110101199003074477"  # a valid check character


@pytest.fixture
def villages(world):
    area = OrgUnit.objects.create(name="甲片区", kind=OrgUnit.Kind.AREA, parent=world.a)
    v1 = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=area)
    v2 = OrgUnit.objects.create(name="二村", kind=OrgUnit.Kind.VILLAGE, parent=area)
    v3 = OrgUnit.objects.create(name="三村", kind=OrgUnit.Kind.VILLAGE, parent=world.b)
    worker = make_user("worker", v1, Membership.Role.REPORTER)
    return area, v1, v2, v3, worker


def household(village, number, stage=Stage.NONE, on=date(2026, 1, 5), **fields):
    h = Household(
        village=village, number=number, head_name=f"户主{number}", legal_area=100, unlicensed_area=20, **fields
    )
    for step in STAGES:
        if stage != Stage.NONE and STAGES.index(step) <= STAGES.index(Stage(stage)):
            setattr(h, f"{step.value}_on", on + timedelta(days=STAGES.index(step)))
    h.stage = stage
    h.save()
    return h


# Stage rules ---------------------------------------------------------------------------------------


def test_steps_go_forward_one_at_a_time(villages, world):
    _, v1, *_ = villages
    h = household(v1, "1")
    today = date(2026, 3, 1)
    with pytest.raises(stages.StageError, match="逐步|one at a time|入户摸底"):
        stages.advance(h, Stage.MEASURED, today, world.owner, measured_area=100, today=today)
    stages.advance(h, Stage.VISITED, today, world.owner, today=today)
    with pytest.raises(stages.StageError):
        stages.advance(h, Stage.MEASURED, today, world.owner, today=today)  # no measured area
    h = stages.advance(h, Stage.MEASURED, today, world.owner, measured_area=Decimal("118.5"), today=today)
    assert h.stage == Stage.MEASURED and h.measured_area == Decimal("118.5") and h.measured_on == today
    assert [(e.from_stage, e.to_stage) for e in h.events.all()] == [("none", "visited"), ("visited", "measured")]
    assert h.events.first().recorded_by == world.owner


def test_dates_cannot_be_in_the_future_or_before_the_last_step(villages, world):
    _, v1, *_ = villages
    h = household(v1, "1", Stage.VISITED, on=date(2026, 2, 10))
    with pytest.raises(stages.StageError):
        stages.advance(h, Stage.MEASURED, date(2026, 2, 9), world.owner, measured_area=1, today=date(2026, 3, 1))
    with pytest.raises(stages.StageError):
        stages.advance(h, Stage.MEASURED, date(2026, 3, 2), world.owner, measured_area=1, today=date(2026, 3, 1))
    assert Household.objects.get(pk=h.pk).stage == Stage.VISITED
    assert not StageEvent.objects.exists()


def test_moving_back_needs_a_reason_and_is_kept(villages, world):
    _, v1, *_ = villages
    h = household(v1, "1", Stage.SIGNED)
    with pytest.raises(stages.StageError):
        stages.step_back(h, Stage.MEASURED, world.owner, "  ")
    with pytest.raises(stages.StageError):
        stages.step_back(h, Stage.VACATED, world.owner, "往前不算退")
    h = stages.step_back(h, Stage.MEASURED, world.owner, "评估结果有争议,重新评估")
    assert h.stage == Stage.MEASURED and h.assessed_on is None and h.signed_on is None and h.measured_on
    event = h.events.get()
    assert event.is_backward and "重新评估" in event.reason


# Tallies -------------------------------------------------------------------------------------------


def test_tallies_match_a_hand_count(villages, world):
    area, v1, v2, v3, _ = villages
    on = date(2026, 1, 20)
    household(v1, "1", Stage.DELIVERED, land_area=Decimal("1.5"))
    household(v1, "2", Stage.SIGNED)
    household(v1, "3", Stage.VISITED)
    household(v2, "1", Stage.DEMOLISHED)
    household(v2, "2")
    household(v3, "1", Stage.SIGNED)
    household(v1, "late", Stage.SIGNED, on=date(2026, 2, 1))  # signs after the date
    Grave.objects.create(village=v1, number="g1", moved_on=date(2026, 1, 10))
    Grave.objects.create(village=v2, number="g2")
    Enterprise.objects.create(village=v2, name="厂", moved_on=date(2026, 1, 1))
    by_village = tally_level(area, area.depth + 1, on)
    t1, t2 = by_village[v1], by_village[v2]
    assert (t1.households, t1.signed, t1.at_stage(Stage.DELIVERED), t1.at_stage(Stage.SIGNED)) == (4, 2, 1, 1)
    assert t1.at_stage(Stage.VISITED) == 1  # "3"
    assert t1.at_stage(Stage.NONE) == 1  # "late" had not even been visited by the date
    assert t1.delivered_land == Decimal("1.5") and t1.demolished_area == 120
    assert (t1.graves, t1.graves_moved, t2.enterprises_moved) == (1, 1, 1)
    assert (t2.households, t2.at_stage(Stage.NONE), t2.demolished_area) == (2, 1, 120)
    total = tally_unit(area, on)
    assert (total.households, total.signed, total.graves, total.graves_moved) == (6, 3, 2, 1)
    zone = tally_unit(world.zone, on)
    assert zone.households == 7 and zone.signed == 4  # 三村 under 乙 counts for the zone
    assert tally_unit(world.zone, date(2026, 3, 1)).signed == 5


# Ledger figures in campaigns ------------------------------------------------------------------------


def test_signed_households_feed_a_campaign_indicator(villages, world):
    _, v1, v2, v3, _ = villages
    indicator = Indicator.objects.create(
        code="signed", name="签约户数", unit_of_measure="户", source=Indicator.Source.HOUSEHOLDS_SIGNED
    )
    campaign = Campaign.objects.create(name="征迁行动", owner=world.zone, start=date(2026, 1, 1), end=date(2026, 6, 30))
    Target.objects.create(campaign=campaign, unit=world.a, indicator=indicator, amount=10)
    household(v1, "1", Stage.SIGNED)
    household(v2, "1", Stage.DELIVERED)
    household(v3, "1", Stage.SIGNED)  # 乙's village: not 甲's
    progress = campaign_progress(campaign, week=periods.week_of(date(2026, 2, 1)))
    assert progress.rows[(world.a.pk, indicator.pk)].done == 2


# Pages and permissions -----------------------------------------------------------------------------


def test_the_requisition_home_lists_each_top_unit_with_todays_tally(villages, world, client, login):
    _, v1, v2, v3, worker = villages
    today = timezone.localdate()
    household(v1, "1", Stage.SIGNED, on=today - timedelta(days=20))  # signed 3 days after the visit
    household(v2, "2", Stage.DEMOLISHED, on=today - timedelta(days=20))  # 120 m² demolished
    household(v2, "3")
    outer = OrgUnit.objects.create(name="外村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    household(outer, "4")
    url = reverse("requisition")
    assert client.get(url).status_code == 302  # log in first
    # an office of one zone goes straight to it; the other zone's office never sees it
    assert login(world.office).get(url).url == reverse("requisition_unit", args=[world.zone.pk])
    assert login(world.other_office).get(url).url == reverse("requisition_unit", args=[world.other_zone.pk])
    # an office of both zones (as the demo's office is): one line each
    Membership.objects.create(user=world.office, unit=world.other_zone, role=Membership.Role.OFFICE)
    response = login(world.office).get(url)
    lines = {t.unit: t for t in response.context["tallies"]}
    assert set(lines) == {world.zone, world.other_zone}
    zone = lines[world.zone]
    assert (zone.households, zone.signed, zone.demolished_area) == (3, 2, Decimal("120.00"))
    assert (lines[world.other_zone].households, lines[world.other_zone].signed) == (1, 0)
    html = response.content.decode()
    assert f'href="{reverse("requisition_unit", args=[world.zone.pk])}"' in html
    assert "66.67%" in html  # 2 of 3 signed
    # a field worker reads one village: straight to it
    assert login(worker).get(url).url == reverse("requisition_unit", args=[v1.pk])
    # a reporter whose units hold no ledger is told so
    Household.objects.filter(village=outer).delete()
    response = login(world.outsider).get(url)
    assert response.context["tallies"] == []
    assert "您所在单位没有征迁台账。" in response.content.decode()


@pytest.mark.parametrize(
    "who, status",
    [("worker", 200), ("owner", 200), ("colleague", 404), ("outsider", 404), ("office", 200), ("other_office", 404)],
)
def test_household_file_permissions(villages, world, login, who, status):
    _, v1, *_, worker = villages
    h = household(v1, "1", id_number=ID, phone="13812345678")
    user = worker if who == "worker" else getattr(world, who)
    assert login(user).get(reverse("requisition_household", args=[h.pk])).status_code == status


def test_a_field_worker_sees_only_their_villages(villages, login):
    _, v1, v2, _, worker = villages
    h2 = household(v2, "1")
    client = login(worker)
    assert client.get(reverse("requisition_household", args=[h2.pk])).status_code == 404
    assert client.get(reverse("requisition_unit", args=[v2.pk])).status_code == 404
    response = client.post(reverse("requisition_step", args=[h2.pk]), {"to_stage": "visited", "on": "2026-01-01"})
    assert response.status_code == 404
    assert Household.objects.get(pk=h2.pk).stage == Stage.NONE


def test_personal_data_is_masked_and_each_reveal_logged(villages, world, login):
    _, v1, *_, worker = villages
    h = household(v1, "1", id_number=ID, phone="13812345678")
    html = login(worker).get(reverse("requisition_household", args=[h.pk])).content.decode()
    assert ID not in html and "13812345678" not in html and "110***********4477" in html
    assert login(worker).post(reverse("requisition_household", args=[h.pk]), {"field": "id_number"}).status_code == 403
    html = login(world.office).get(reverse("requisition_unit", args=[v1.pk])).content.decode()
    assert ID not in html and "138****5678" in html
    response = login(world.office).post(reverse("requisition_household", args=[h.pk]), {"field": "id_number"})
    assert ID in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.household, log.field) == (world.office, h, "id_number")


def test_the_field_page_records_a_step_and_a_resend_is_not_a_second_step(villages, login):
    _, v1, *_, worker = villages
    h = household(v1, "1", Stage.VISITED, on=timezone.localdate() - timedelta(days=3))
    client = login(worker)
    page = client.get(reverse("requisition_field"), {"village": v1.pk, "q": "户主1"})
    assert f'id="hh-{h.pk}"' in page.content.decode()
    data = {"to_stage": "measured", "on": timezone.localdate().isoformat(), "measured_area": "96.5"}
    for _ in range(2):  # the phone sends again after a dropped connection
        response = client.post(reverse("requisition_step", args=[h.pk]), data, HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and response.json()["ok"]
    assert StageEvent.objects.filter(household=h).count() == 1
    summary = client.get(reverse("requisition_field"), {"village": v1.pk}).context["summary"]
    assert summary == [(Stage.MEASURED, 1)]


def test_a_refused_step_answers_in_chinese(villages, login):
    _, v1, *_, worker = villages
    h = household(v1, "1")
    response = login(worker).post(
        reverse("requisition_step", args=[h.pk]),
        {"to_stage": "signed", "on": timezone.localdate().isoformat()},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and not response.json()["ok"]
    assert "入户摸底" in response.json()["message"]


@pytest.mark.parametrize("who, status", [("owner", 200), ("office", 200), ("colleague", 404), ("outsider", 404)])
def test_tally_page_permissions(villages, world, login, who, status):
    area, *_ = villages
    assert login(getattr(world, who)).get(reverse("requisition_unit", args=[area.pk])).status_code == status


def test_the_tally_page_shows_each_village_at_each_stage(villages, world, login):
    area, v1, v2, *_ = villages
    household(v1, "1", Stage.SIGNED)
    household(v1, "2", Stage.SIGNED)
    household(v2, "1")
    response = login(world.office).get(reverse("requisition_unit", args=[area.pk]), {"on": "2026-03-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-unit="{v1.pk}"' in html and f'data-unit="{v2.pk}"' in html
    rows = {t.unit: t for t in response.context["rows"]}
    assert rows[v1].at_stage("signed") == 2 and rows[v2].at_stage("none") == 1
    assert response.context["total"].signed == 2
    assert 'data-chart="stages"' in html


@pytest.mark.parametrize(
    "bad, named",
    [
        ({"on": "昨天"}, "日期"),
        ({"on": ""}, "日期"),
        ({"measured_area": "九十六"}, "丈量面积"),
        ({"measured_area": "96.5", "assessed_price": "abc"}, "评估"),
    ],
)
def test_a_bad_figure_on_the_phone_page_names_its_field_and_records_nothing(villages, login, bad, named):
    _, v1, *_, worker = villages
    h = household(v1, "1", Stage.VISITED, on=timezone.localdate() - timedelta(days=3))
    data = {"to_stage": "measured", "on": timezone.localdate().isoformat(), "measured_area": "96.5"} | bad
    response = login(worker).post(reverse("requisition_step", args=[h.pk]), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and named in response.json()["message"]
    h.refresh_from_db()
    assert h.stage == Stage.VISITED and h.measured_area is None
    assert not StageEvent.objects.filter(household=h).exists()
