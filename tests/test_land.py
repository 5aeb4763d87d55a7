"""Land approval batches and supply (issue 19 part 2): the seed's figures from raw rows, the
pages and who reaches them, each bad input refused with nothing changed, the ledger indicators."""

import io
import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from faker import Faker

from accounts.models import AccountSecurity
from audit.models import Entry
from campaigns.models import Campaign, Indicator, Target
from campaigns.progress import campaign_progress
from duban import periods
from land import figures
from land.forms import BatchForm
from land.models import LandBatch, Parcel
from org.models import Membership, OrgUnit
from org.scoping import Scope
from projects.models import Milestone, Project
from reports import rollups
from requisition.models import Household, Stage

D = Decimal


def household(village, number, mu, delivered_on=None):
    return Household.objects.create(
        village=village,
        number=number,
        head_name=f"户主{number}",
        land_area=D(mu),
        stage=Stage.DELIVERED if delivered_on else Stage.SIGNED,
        delivered_on=delivered_on,
    )


@pytest.fixture
def land(world):
    """甲庄村 (under 甲指挥部) holds 100 亩 in the ledger, one of its two households delivered;
    乙庄村 (under 乙) 80 亩, all delivered; 丙庄村 lies in the other zone."""
    w = world
    w.v1 = OrgUnit.objects.create(name="甲庄村", kind=OrgUnit.Kind.VILLAGE, parent=w.a)
    w.v2 = OrgUnit.objects.create(name="乙庄村", kind=OrgUnit.Kind.VILLAGE, parent=w.b)
    w.v3 = OrgUnit.objects.create(name="丙庄村", kind=OrgUnit.Kind.VILLAGE, parent=w.c)
    household(w.v1, "1", "60", date(2021, 5, 1))
    household(w.v1, "2", "40")
    household(w.v2, "1", "80", date(2021, 4, 1))
    household(w.v3, "1", "500", date(2021, 4, 1))
    w.project = Project.objects.create(unit=w.a, name="甲区化工项目", total_investment=D(10**9))
    w.project2 = Project.objects.create(unit=w.b, name="乙区物流项目", total_investment=D(10**9))
    w.other_project = Project.objects.create(unit=w.c, name="外区项目", total_investment=D(10**9))
    w.batch = LandBatch.objects.create(
        unit=w.zone,
        name="测试区第一批次",
        area=D("70"),
        packaged_on=date(2021, 1, 5),
        submitted_on=date(2021, 2, 1),
        approved_on=date(2021, 3, 1),
    )
    w.batch.villages.set([w.v2])
    w.a_batch = LandBatch.objects.create(unit=w.a, name="甲指挥部批次", area=D("50"))  # reachable by owner
    w.a_batch.villages.set([w.v1])
    w.parcel = Parcel.objects.create(
        unit=w.zone, code="T-01", area=D("30"), batch=w.batch, project=w.project2, supplied_on=date(2021, 4, 1)
    )
    w.parcel.villages.set([w.v2])
    return w


def batch_post(w, **changes):
    data = {
        "unit": w.zone.pk,
        "name": "测试区第二批次",
        "area": "45",
        "farmland_area": "30",
        "construction_area": "",
        "villages": [w.v1.pk],
        "projects": [w.project.pk],
        "packaged_on": "2021-03-01",
        "submitted_on": "2021-03-20",
        "approved_on": "2021-05-10",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def parcel_post(w, **changes):
    data = {
        "unit": w.zone.pk,
        "code": "T-02",
        "name": "二号地块",
        "phase": "一期",
        "area": "25",
        "batch": w.batch.pk,
        "villages": [w.v2.pk],
        "project": w.project.pk,
        "supplied_on": "2021-06-01",
        "way": "listing",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def land_state():
    """Everything the land forms could change."""
    return (
        list(
            LandBatch.objects.order_by("pk").values_list("pk", "unit_id", "name", "area", "approved_on", "updated_at")
        ),
        list(LandBatch.villages.through.objects.order_by("pk").values_list("landbatch_id", "orgunit_id")),
        list(
            Parcel.objects.order_by("pk").values_list("pk", "code", "area", "project_id", "supplied_on", "updated_at")
        ),
        Entry.objects.exclude(action__in=[Entry.Action.LOGIN, Entry.Action.LOGOUT]).count(),
    )


# The seed's figures from raw rows -----------------------------------------------------------------


@pytest.fixture
def suizhou(db):
    from demo import land as land_demo
    from demo import requisition as requisition_demo
    from demo.loader import Loader

    loader = Loader("demo-pass-123", date(2021, 9, 30))

    def users(village, zone):
        loader.user("sz-office", "随州高新区征迁指挥部", zone, Membership.Role.OFFICE)

    Faker.seed(2020)
    zone = requisition_demo.load_suizhou(users, Faker("zh_CN"))
    land_demo.load(loader, zone)
    return loader, zone


def summary_json(unit):
    out = StringIO()
    call_command("land_summary", "--unit", unit, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_it_reproduces_six_batches_of_1128_mu_and_the_1420_mu_first_phase(suizhou):
    _loader, zone = suizhou
    data = summary_json("随州高新区")
    assert (data["batches_approved"], data["mu_approved"]) == (6, "1128.00")
    assert [b["mu"] for b in data["approved"]] == ["188.00", "206.00", "165.00", "224.00", "152.00", "193.00"]
    phase = next(f for f in data["phases"] if f["phase"] == "青春化工园一期")
    assert phase["mu"] == "1420.00" and phase["parcels"] == 8
    for key in ("mu_requisitioned", "mu_cleared", "mu_levelled", "mu_seven_services", "mu_ready_to_build"):
        assert phase[key] == "1420.00", key
    assert phase["all_ready_to_build"] is True
    # the other parks: two parcels still wait for a service
    others = {f["phase"]: f for f in data["phases"] if f["phase"] != "青春化工园一期"}
    assert others["城东工业园"]["all_ready_to_build"] is False and others["城东工业园"]["mu_ready_to_build"] == "110.00"
    # the same by id, and as text
    assert summary_json(str(zone.pk))["mu_approved"] == "1128.00"
    out = StringIO()
    call_command("land_summary", "--unit", "随州高新区", stdout=out)
    assert "已有6个批次1,128.00亩土地手续获批" in out.getvalue()
    assert "青春化工园一期：8宗地块1,420.00亩" in out.getvalue() and "全部拿地即可开工" in out.getvalue()


def test_the_demo_records_pass_the_offices_checks_and_load_twice_the_same(suizhou):
    from demo import land as land_demo

    loader, zone = suizhou
    office = Membership.objects.get(unit=zone, role=Membership.Role.OFFICE).user
    scope = Scope(office)
    for batch in LandBatch.objects.filter(unit=zone):
        data = {
            "unit": zone.pk,
            "name": batch.name,
            "area": str(batch.area),
            "villages": [v.pk for v in batch.villages.all()],
            **{
                f: getattr(batch, f).isoformat()
                for f in ("packaged_on", "submitted_on", "approved_on")
                if getattr(batch, f)
            },
        }
        form = BatchForm(data, instance=batch, scope=scope)
        assert form.is_valid(), form.errors
    before = (LandBatch.objects.count(), Parcel.objects.count(), Project.objects.count())
    land_demo.load(loader, zone)
    assert (LandBatch.objects.count(), Parcel.objects.count(), Project.objects.count()) == before == (8, 14, 10)


def test_it_refuses_an_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有名为"):
        call_command("land_summary", "--unit", "无此区", stdout=StringIO())


# Figures -----------------------------------------------------------------------------------------


def test_a_batchs_status_follows_its_dates(land):
    b = LandBatch(area=D(1))
    assert b.status == "preparing"
    b.packaged_on = date(2021, 1, 1)
    assert b.status == "packaged"
    b.submitted_on = date(2021, 1, 2)
    assert b.status == "submitted"
    b.approved_on = date(2021, 1, 3)
    assert b.status == "approved" and str(b.status_label) == "已获批"


def test_a_parcel_is_ready_when_requisition_and_the_seven_services_and_levelling_are_in(land):
    w = land
    p = Parcel.objects.create(unit=w.zone, code="R-1", area=D(10))
    p.villages.set([w.v1])  # one household of 甲庄村 has not delivered
    fields = ["cleared_on", "water_on", "drainage_on", "power_on", "telecom_on", "road_on", "gas_on", "heat_on"]
    for name in fields:
        setattr(p, name, date(2021, 6, 1))
    p.save()
    [state] = figures.parcel_states([p])
    assert not state.ready and state.missing == ["征迁到位", "场地平整"] and state.items_done == 8
    p.levelled_on = date(2021, 6, 2)
    p.save()
    Household.objects.filter(village=w.v1).update(delivered_on=date(2021, 6, 3))
    [state] = figures.parcel_states([p])
    assert state.ready and state.items_done == figures.ITEM_COUNT == 10


def test_a_projects_land_is_a_figure(land, login):
    w = land
    w.batch.projects.add(w.project2)
    Parcel.objects.create(unit=w.zone, code="T-09", area=D("15"), project=w.project2)  # planned, not supplied
    land_of = figures.project_land(w.project2)
    assert (land_of.planned, land_of.supplied) == (D("45"), D("30"))
    assert land_of.all_relocated  # 乙庄村's one household delivered
    Milestone.objects.create(project=w.project2, kind=Milestone.Kind.START, actual=date(2021, 3, 15))
    html = login(w.office).get(reverse("project_detail", args=[w.project2.pk])).content.decode()
    assert 'id="project-land"' in html and "项目用地全部征迁到位" in html and "开工早于供地" in html
    assert '<b id="land-planned">45.00</b>' in html and '<b id="land-supplied">30.00</b>' in html
    # 甲庄村 not fully delivered: a project of its batch is not all requisitioned
    w.a_batch.projects.add(w.project)
    assert not figures.project_land(w.project).all_relocated
    # the colleague (reporter of 乙) reads the project, not the land block
    assert (
        'id="project-land"'
        not in login(w.colleague).get(reverse("project_detail", args=[w.project2.pk])).content.decode()
    )


def test_approved_and_supplied_mu_feed_campaign_indicators(land):
    w = land
    approved = Indicator.objects.create(
        code="mu-approved", name="报批获批", unit_of_measure="亩", source=Indicator.Source.LAND_APPROVED
    )
    supplied = Indicator.objects.create(
        code="mu-supplied", name="供地面积", unit_of_measure="亩", source=Indicator.Source.LAND_SUPPLIED
    )
    campaign = Campaign.objects.create(
        name="用地保障行动", owner=w.zone, start=date(2021, 1, 1), end=date(2021, 12, 31)
    )
    for indicator in (approved, supplied):
        Target.objects.create(campaign=campaign, unit=w.a, indicator=indicator, amount=200)
    LandBatch.objects.filter(pk=w.a_batch.pk).update(approved_on=date(2021, 6, 2), submitted_on=date(2021, 5, 1))
    Parcel.objects.create(unit=w.a, code="A-1", area=D("12.5"), project=w.project, supplied_on=date(2021, 6, 20))
    Parcel.objects.create(unit=w.a, code="A-2", area=D("7.5"), project=w.project, supplied_on=date(2021, 8, 1))
    progress = campaign_progress(campaign, week=periods.week_of(date(2021, 7, 1)))
    assert progress.rows[(w.a.pk, approved.pk)].done == D("50")
    assert progress.rows[(w.a.pk, supplied.pk)].done == D("12.5")  # the August parcel is after the week
    assert approved.ledger_note == "取自土地台账"
    # a later change to the ledger moves the campaign's roll-ups by its delta (reports/rollups.py)
    Parcel.objects.filter(code="A-2").update(supplied_on=date(2021, 6, 25))
    Parcel.objects.filter(code="A-1").update(area=D("10"))
    progress = campaign_progress(campaign, week=periods.week_of(date(2021, 7, 1)))
    assert progress.rows[(w.a.pk, supplied.pk)].done == D("17.5")
    LandBatch.objects.filter(pk=w.a_batch.pk).delete()
    progress = campaign_progress(campaign, week=periods.week_of(date(2021, 7, 1)))
    assert progress.rows[(w.a.pk, approved.pk)].done == D("0")
    assert rollups.differences() == []


# Pages and permissions ----------------------------------------------------------------------------

PAGES = {
    # name: (url of the land world, {person: status})
    "batches": (
        lambda w: reverse("land_batches"),
        {"office": 200, "leader": 200, "owner": 403, "colleague": 403, "outsider": 403, "other_office": 200},
    ),
    "batch": (
        lambda w: reverse("land_batch", args=[w.batch.pk]),
        {"office": 200, "leader": 200, "owner": 404, "colleague": 404, "outsider": 404, "other_office": 404},
    ),
    "a batch": (
        lambda w: reverse("land_batch", args=[w.a_batch.pk]),
        {"office": 200, "leader": 200, "owner": 403, "colleague": 404, "outsider": 404, "other_office": 404},
    ),
    "batch edit": (
        lambda w: reverse("land_batch_edit", args=[w.batch.pk]),
        {"office": 200, "leader": 403, "owner": 404, "colleague": 404, "outsider": 404, "other_office": 404},
    ),
    "batch new": (
        lambda w: reverse("land_batch_new"),
        {"office": 200, "leader": 403, "owner": 403, "colleague": 403, "outsider": 403, "other_office": 200},
    ),
    "parcels": (
        lambda w: reverse("land_parcels"),
        {"office": 200, "leader": 200, "owner": 403, "colleague": 403, "outsider": 403, "other_office": 200},
    ),
    "parcel new": (
        lambda w: reverse("land_parcel_new"),
        {"office": 200, "leader": 403, "owner": 403, "colleague": 403, "outsider": 403, "other_office": 200},
    ),
    "parcel edit": (
        lambda w: reverse("land_parcel_edit", args=[w.parcel.pk]),
        {"office": 200, "leader": 403, "owner": 404, "colleague": 404, "outsider": 404, "other_office": 404},
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_who_reaches_each_land_page(page, land, client, login):
    w = land
    url, expected = PAGES[page]
    assert client.get(url(w)).status_code == 302  # log in first
    for person, status in expected.items():
        response = login(getattr(w, person)).get(url(w))
        assert response.status_code == status, f"{page} {person}: {response.status_code}"
        if person == "other_office" and status == 200:
            html = response.content.decode()
            assert "测试区第一批次" not in html and "甲庄村" not in html and "T-01" not in html


@pytest.mark.parametrize("name", ["land_batch_edit", "land_parcel_edit"])
def test_a_leader_or_reporter_posting_an_edit_changes_nothing(name, land, login):
    w = land
    obj = w.batch if name == "land_batch_edit" else w.parcel
    data = batch_post(w) if name == "land_batch_edit" else parcel_post(w)
    before = land_state()
    assert login(w.leader).post(reverse(name, args=[obj.pk]), data).status_code == 403
    assert login(w.owner).post(reverse(name, args=[obj.pk]), data).status_code == 404
    assert login(w.other_office).post(reverse(name, args=[obj.pk]), data).status_code == 404
    assert login(w.leader).post(reverse("land_batch_new"), batch_post(w)).status_code == 403
    assert land_state() == before


def test_the_office_adds_a_batch_and_a_parcel_and_the_pages_show_them(land, login):
    w = land
    client = login(w.office)
    response = client.post(reverse("land_batch_new"), batch_post(w))
    batch = LandBatch.objects.get(name="测试区第二批次")
    assert response.status_code == 302 and response.url == reverse("land_batch", args=[batch.pk])
    assert (
        batch.status == "approved" and set(batch.villages.all()) == {w.v1} and set(batch.projects.all()) == {w.project}
    )
    assert Entry.objects.filter(model="land.landbatch", object_id=str(batch.pk), action="create").exists()
    response = client.post(reverse("land_parcel_new"), parcel_post(w, batch=batch.pk, villages=[w.v1.pk]))
    assert response.status_code == 302
    parcel = Parcel.objects.get(code="T-02")
    assert Entry.objects.filter(model="land.parcel", object_id=str(parcel.pk)).exists()
    html = client.get(reverse("land_batches")).content.decode()
    assert '<b id="approved-count">2</b>' in html and '<b id="approved-area">115.00</b>' in html
    assert 'data-chart="land-status"' in html and 'data-chart="land-timeline"' in html
    detail = client.get(reverse("land_batch", args=[batch.pk])).content.decode()
    assert "甲庄村" in detail and '<b id="relocated">1 / 2</b>' in detail and "T-02" in detail
    board = client.get(reverse("land_parcels"), {"phase": "一期"}).content.decode()
    assert "T-02" in board and "T-01" not in board and 'data-chart="land-ready"' in board
    # an edit keeps the batch and says so in the trail
    response = client.post(reverse("land_batch_edit", args=[batch.pk]), batch_post(w, area="48"))
    assert response.status_code == 302 and LandBatch.objects.get(pk=batch.pk).area == D("48")
    assert Entry.objects.filter(model="land.landbatch", object_id=str(batch.pk), action="update").exists()


def test_the_lists_export_to_excel_with_their_figures(land, login):
    w = land
    client = login(w.office)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("land_batches"), {"format": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][:3] == ("批次", "单位", "面积（亩）")
    assert rows[3][:3] == ("测试区第一批次", "测试区", 70) or rows[3][:3] == ("测试区第一批次", "测试区", 70.0)
    assert rows[-1][0] == "合计" and rows[-1][2] == 120
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("land_parcels"), {"format": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[3][0] == "T-01" and rows[3][3] == 30 and rows[3][-1] == "否"
    assert "通热力" in rows[2] and "场地平整" in rows[2]


# Bad input: a Chinese message and nothing changed -------------------------------------------------

BAD_BATCHES = {
    "more mu than the villages hold": (
        {"area": "101"},
        "所涉村在征迁台账中的土地共 100.00 亩，其他批次已占用 50.00 亩，本批次 101.00 亩超出 51.00 亩。",
    ),
    "other batches over the village take its land": ({"area": "51"}, "本批次 51.00 亩超出 1.00 亩"),
    "approved before submitted": ({"approved_on": "2021-03-10"}, "获批日期不能早于上报日期。"),
    "submitted before packaged": ({"submitted_on": "2021-02-01"}, "上报日期不能早于组卷日期。"),
    "approved with no submission": ({"submitted_on": ""}, "填写获批日期前，须先填写上报日期。"),
    "not a number": ({"area": "九十亩"}, "面积须填亩数（数字），如 188.5。"),
    "negative": ({"area": "-5"}, "面积不能为负数。"),
    "zero": ({"area": "0"}, "面积须大于零亩。"),
    "farmland above the area": ({"farmland_area": "95"}, "耕地与建设用地合计超过本批次的 45.00 亩。"),
    "a unit of another zone": ({"unit": "other-zone"}, "所选单位不在本办公室管辖范围内。"),
    "a village of another zone": ({"villages": "other-village"}, "所选村不在本办公室管辖范围内。"),
    "a project of another zone": ({"projects": "other-project"}, "所选项目不在本办公室管辖范围内。"),
    "a village outside the batch's unit": ({"unit": "b", "area": "10"}, "甲庄村不在乙指挥部范围内。"),
    "not a date": ({"approved_on": "2021-13-45"}, "请填写日期，如 2021-06-30。"),
}


def _resolve(w, data):
    swaps = {
        "other-zone": w.other_zone.pk,
        "other-village": [w.v3.pk],
        "other-project": [w.other_project.pk],
        "b": w.b.pk,
    }
    return {k: swaps.get(v, v) if isinstance(v, str) else v for k, v in data.items()}


@pytest.mark.parametrize("case", sorted(BAD_BATCHES))
def test_it_refuses_a_bad_batch_and_changes_nothing(case, land, login):
    w = land
    changes, message = BAD_BATCHES[case]
    client = login(w.office)
    before = land_state()
    response = client.post(reverse("land_batch_new"), _resolve(w, batch_post(w, **changes)))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "未保存" in html
    assert land_state() == before
    # the same on an edit of an existing batch
    response = client.post(reverse("land_batch_edit", args=[w.batch.pk]), _resolve(w, batch_post(w, **changes)))
    assert response.status_code == 400 and land_state() == before


def test_the_other_zones_office_cannot_put_a_batch_in_the_home_zone(land, login):
    w = land
    before = land_state()
    response = login(w.other_office).post(reverse("land_batch_new"), batch_post(w))
    assert response.status_code == 400 and "所选单位不在本办公室管辖范围内。" in response.content.decode()
    response = login(w.other_office).post(reverse("land_parcel_new"), parcel_post(w))
    assert response.status_code == 400 and "所选单位不在本办公室管辖范围内。" in response.content.decode()
    assert land_state() == before


BAD_PARCELS = {
    "the same parcel to another project": (
        {"code": "T-01"},
        "地块 T-01 已登记（乙区物流项目），同一地块不能重复供地。",
    ),
    "overlapping supply from a batch": (
        {"area": "45"},
        "批次“测试区第一批次”获批 70.00 亩，其地块已占 30.00 亩，本地块 45.00 亩与已供土地重叠。",
    ),
    "supplied before the batch was approved": (
        {"supplied_on": "2021-02-01"},
        "供地日期不能早于所属批次的获批日期（2021-03-01）。",
    ),
    "supplied with no project": ({"project": ""}, "已供地的地块须填写供给的项目。"),
    "supplied with no way": ({"way": ""}, "请选择供地方式：挂牌、划拨或协议。"),
    "not a number": ({"area": "abc"}, "面积须填亩数（数字），如 188.5。"),
    "negative": ({"area": "-1"}, "面积不能为负数。"),
    "a project of another zone": ({"project": "other-project-1"}, "所选项目不在本办公室管辖范围内。"),
    "a unit of another zone": ({"unit": "other-zone"}, "所选单位不在本办公室管辖范围内。"),
}


@pytest.mark.parametrize("case", sorted(BAD_PARCELS))
def test_it_refuses_a_bad_parcel_and_changes_nothing(case, land, login):
    w = land
    changes, message = BAD_PARCELS[case]
    data = _resolve(w, parcel_post(w, **changes))
    if data.get("project") == "other-project-1":
        data["project"] = w.other_project.pk
    before = land_state()
    response = login(w.office).post(reverse("land_parcel_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert land_state() == before


def test_a_supplied_parcel_is_not_supplied_again_to_another_project(land, login):
    w = land
    before = land_state()
    data = parcel_post(w, code="T-01", area="30", project=w.project.pk, supplied_on="2021-04-01")
    response = login(w.office).post(reverse("land_parcel_edit", args=[w.parcel.pk]), data)
    assert response.status_code == 400
    assert "该地块已于 2021-04-01 供给乙区物流项目，同一地块只能供地一次。" in response.content.decode()
    assert land_state() == before


def test_a_fresh_zone_runs_the_flow_from_setup(db, client):
    """The office of a zone made by start_zone (no demo data): empty pages, then a batch once the
    ledger holds its village's land."""
    from django.contrib.auth import get_user_model

    call_command("start_zone", "新区", "--office", "xq-office", stdout=StringIO())
    office = get_user_model().objects.get(username="xq-office")
    AccountSecurity.objects.filter(user=office).update(must_change_password=False)  # changed at first log-in
    client.force_login(office)
    assert "暂无报批批次。" in client.get(reverse("land_batches")).content.decode()
    assert "暂无地块。" in client.get(reverse("land_parcels")).content.decode()
    zone = OrgUnit.objects.get(name="新区")
    village = OrgUnit.objects.create(name="新村", kind=OrgUnit.Kind.VILLAGE, parent=zone)
    response = client.post(
        reverse("land_batch_new"), {"unit": zone.pk, "name": "首批", "area": "5", "villages": [village.pk]}
    )
    assert response.status_code == 400 and "所涉村在征迁台账中的土地共 0.00 亩" in response.content.decode()
    household(village, "1", "8")
    response = client.post(
        reverse("land_batch_new"), {"unit": zone.pk, "name": "首批", "area": "5", "villages": [village.pk]}
    )
    assert response.status_code == 302 and LandBatch.objects.get(name="首批").status == "preparing"


# Import of a batch list from Excel --------------------------------------------------------------


def batch_sheet_file(rows, title="测试区土地报批批次一览表"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["序号", "批次名称", "面积(亩)", "耕地(亩)", "涉及村", "组卷日期", "上报日期", "获批日期"])
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    sheet.append(["合计", None, sum(r[1] for r in rows if isinstance(r[1], int | float))])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("批次.xlsx", out.getvalue())


GOOD_ROWS = [
    ["导入第一批次", 10, 5, "乙庄村", "2021-01-04", "2021-02-01", date(2021, 3, 5)],
    ["导入第二批次", 20.5, None, "甲庄村", "2021年2月1日", None, None],
]


def test_the_office_imports_a_batch_list_after_a_dry_run(land, login):
    w = land
    client = login(w.office)
    before = land_state()
    response = client.post(reverse("land_batch_import"), {"unit": w.zone.pk, "file": batch_sheet_file(GOOD_ROWS)})
    html = response.content.decode()
    assert response.status_code == 200, re.findall(r'<li class="msg-error">(.*?)</li>', html)
    assert "已检查：可导入 2 个批次" in html and "导入第一批次" in html
    assert land_state() == before  # a dry run saves nothing
    token = client.session["land_batch_import"]["token"]
    response = client.post(reverse("land_batch_import"), {"unit": w.zone.pk, "token": token})
    assert response.status_code == 302
    first, second = LandBatch.objects.get(name="导入第一批次"), LandBatch.objects.get(name="导入第二批次")
    assert (first.area, first.farmland_area, first.approved_on, first.status) == (
        D(10),
        D(5),
        date(2021, 3, 5),
        "approved",
    )
    assert set(first.villages.all()) == {w.v2} and (second.area, second.status) == (D("20.5"), "packaged")
    assert Entry.objects.filter(model="land.landbatch", object_id=str(first.pk), action="create").exists()
    # the token is spent
    assert client.post(reverse("land_batch_import"), {"unit": w.zone.pk, "token": token}).status_code == 400


BAD_SHEETS = {
    "approved before submitted": (
        [GOOD_ROWS[0], ["坏批次", 5, None, "甲庄村", "2021-01-04", "2021-03-01", "2021-02-01"]],
        "工作表“Sheet”第4行，获批日期：获批日期不能早于上报日期。",
    ),
    "two rows over one village exceed its land": (
        [["甲一", 30, None, "甲庄村", None, None, None], ["甲二", 25, None, "甲庄村", None, None, None]],
        "本批次 25.00 亩超出 5.00 亩",
    ),
    "an unknown village": ([["无村批次", 5, None, "丙庄村", None, None, None]], "没有名为丙庄村的村"),
    "not a number": ([["文字批次", "三十亩", None, "甲庄村", None, None, None]], "面积须填亩数（数字），如 188.5。"),
    "negative": ([["负数批次", -3, None, "甲庄村", None, None, None]], "面积不能为负数。"),
}


@pytest.mark.parametrize("case", sorted(BAD_SHEETS))
def test_it_refuses_a_bad_batch_sheet_whole(case, land, login):
    w = land
    rows, message = BAD_SHEETS[case]
    before = land_state()
    response = login(w.office).post(reverse("land_batch_import"), {"unit": w.zone.pk, "file": batch_sheet_file(rows)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "未保存任何数据" in html
    assert land_state() == before


def test_only_the_office_imports_batches(land, login):
    w = land
    before = land_state()
    assert login(w.leader).get(reverse("land_batch_import")).status_code == 403
    assert (
        login(w.owner)
        .post(reverse("land_batch_import"), {"unit": w.a.pk, "file": batch_sheet_file(GOOD_ROWS)})
        .status_code
        == 403
    )
    response = login(w.other_office).post(
        reverse("land_batch_import"), {"unit": w.zone.pk, "file": batch_sheet_file(GOOD_ROWS)}
    )
    assert response.status_code == 400 and "所选单位不在本办公室管辖范围内。" in response.content.decode()
    assert land_state() == before
