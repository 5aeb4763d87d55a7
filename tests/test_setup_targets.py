"""Targets of a campaign in one grid (units × indicators): typed, or read from the office's
目标任务分解表. Bad input names sheet, row and column, and nothing is saved."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Target
from org.models import OrgUnit
from setup.models import CampaignPlan


@pytest.fixture
def plan(world):
    plan = CampaignPlan.of(world.campaign)  # seeded from the targets: land, households, projects; 甲, 乙
    plan.indicators.remove(world.projects)
    return plan


def stored(w):
    return {
        (t.unit.name, t.indicator.code): t.amount for t in Target.objects.filter(campaign=w.campaign).select_related()
    }


def grid_post(w, values):
    data = {"save": "1"}
    for (unit, indicator), text in values.items():
        data[f"t_{unit.pk}_{indicator.pk}"] = text
    return data


def workbook(rows, title="目标任务分解表", more_sheets=()):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    for name, extra in more_sheets:
        sheet = book.create_sheet(name)
        for row in extra:
            sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def upload(client, w, data):
    url = reverse("setup_campaign_targets", args=[w.campaign.pk])
    return client.post(url, {"file": SimpleUploadedFile("目标任务分解表.xlsx", data)})


OFFICE_SHEET = [
    ["测试攻坚行动目标任务分解表"],
    ["单位:亩、户", None, None, None],
    ["序号", "单位", "交地面积(亩)", "征迁户数"],
    [1, "甲指挥部", 120, 55],
    [2, "乙指挥部", "250.5", "—"],
    [3, "甲一工作组", 30, 8],
    ["合计", None, 400.5, 63],
]


def test_the_office_types_the_grid(world, plan, client):
    client.force_login(world.office)
    w = world
    url = reverse("setup_campaign_targets", args=[w.campaign.pk])
    values = {(w.a, w.land): "150", (w.a, w.households): "", (w.b, w.land): "1,200.5", (w.b, w.households): "40"}
    response = client.post(url, grid_post(w, values))
    assert response.status_code == 302
    assert stored(w) == {
        ("甲指挥部", "land"): Decimal(150),
        ("甲指挥部", "projects"): Decimal(10),  # not an indicator of the grid: left alone
        ("乙指挥部", "land"): Decimal("1200.5"),
        ("乙指挥部", "households"): Decimal(40),
    }
    page = client.get(url).content.decode()
    assert 'value="1200.5"' in page


@pytest.mark.parametrize(
    "text, message",
    [("十二", "“十二”不是数字"), ("-5", "“-5”是负数"), ("1.234", "位数过多")],
)
def test_a_bad_number_in_the_grid_saves_nothing(world, plan, client, text, message):
    client.force_login(world.office)
    before = stored(world)
    values = {(world.a, world.land): "150", (world.b, world.land): text}
    response = client.post(reverse("setup_campaign_targets", args=[world.campaign.pk]), grid_post(world, values))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "乙指挥部 · 交地面积" in page
    assert stored(world) == before


def test_another_zones_unit_in_the_grid_saves_nothing(world, plan, client):
    client.force_login(world.office)
    before = stored(world)
    values = {(world.a, world.land): "150", (world.c, world.land): "5"}
    response = client.post(reverse("setup_campaign_targets", args=[world.campaign.pk]), grid_post(world, values))
    assert response.status_code == 400
    assert f"单位#{world.c.pk}不在本行动的单位树中" in response.content.decode()
    assert "丙指挥部" not in response.content.decode()
    assert stored(world) == before


def test_the_office_reads_its_target_sheet_and_saves_the_grid(world, plan, client):
    client.force_login(world.office)
    before = stored(world)
    response = upload(client, world, workbook(OFFICE_SHEET))
    assert response.status_code == 200
    page = response.content.decode()
    assert stored(world) == before  # reading saves nothing
    assert f'name="t_{world.a.pk}_{world.land.pk}" value="120"' in page
    assert f'name="t_{world.b.pk}_{world.households.pk}" value=""' in page  # — is no target
    assert f'name="t_{world.a1.pk}_{world.households.pk}" value="8"' in page  # a unit joins from the file
    assert "合计行不读入" in page
    assert "与各单位之和" not in page  # 400.5 and 63 add up (— is nothing)
    # the page posts the grid back as shown
    values = {
        (world.a, world.land): "120",
        (world.a, world.households): "55",
        (world.b, world.land): "250.5",
        (world.b, world.households): "",
        (world.a1, world.land): "30",
        (world.a1, world.households): "8",
    }
    assert (
        client.post(reverse("setup_campaign_targets", args=[world.campaign.pk]), grid_post(world, values)).status_code
        == 302
    )
    assert stored(world) == {
        ("甲指挥部", "land"): Decimal(120),
        ("甲指挥部", "households"): Decimal(55),
        ("甲指挥部", "projects"): Decimal(10),
        ("乙指挥部", "land"): Decimal("250.5"),
        ("甲一工作组", "land"): Decimal(30),
        ("甲一工作组", "households"): Decimal(8),
    }
    assert world.a1 in CampaignPlan.objects.get(campaign=world.campaign).units.all()


def bad(rows_change):
    rows = [list(r) for r in OFFICE_SHEET]
    rows_change(rows)
    return workbook(rows)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda rows: rows[3].__setitem__(1, "丙指挥部"),
            "工作表“目标任务分解表”第4行B列：“丙指挥部”不是本行动单位树中的单位",
        ),
        (lambda rows: rows[3].__setitem__(1, "不存在的村"), "第4行B列：“不存在的村”不是本行动单位树中的单位"),
        (lambda rows: rows[4].__setitem__(2, "二百"), "第5行C列：“二百”不是数字"),
        (lambda rows: rows[4].__setitem__(3, -3), "第5行D列：“-3”是负数"),
        (lambda rows: rows[2].append("拆迁面积"), "第3行E列：“拆迁面积”不是本行动的指标"),
        (lambda rows: rows[2].__setitem__(2, "交地面积(平方米)"), "第3行C列：该列的单位是“平方米”"),
        (lambda rows: rows[5].__setitem__(1, "甲指挥部"), "第6行C列：甲指挥部 · 交地面积重复"),
    ],
)
def test_a_bad_target_sheet_names_the_row_and_column_and_changes_nothing(world, plan, client, change, message):
    client.force_login(world.office)
    before = stored(world)
    response = upload(client, world, bad(change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored(world) == before


def test_a_unit_outside_the_campaigns_tree_is_refused_from_the_sheet(world, client):
    """A campaign of 甲指挥部: 乙指挥部 is a home unit, in the office's subtree but not the campaign's."""
    from campaigns.models import Campaign

    client.force_login(world.office)
    campaign = Campaign.objects.create(name="甲行动", owner=world.a, start=world.campaign.start, end=world.campaign.end)
    CampaignPlan.of(campaign).indicators.set([world.land])
    data = workbook([["单位", "交地面积"], ["甲一工作组", 5], ["乙指挥部", 7]])
    response = client.post(
        reverse("setup_campaign_targets", args=[campaign.pk]), {"file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert response.status_code == 400
    assert "第3行A列：“乙指挥部”不是本行动单位树中的单位" in response.content.decode()
    assert not campaign.targets.exists()


def test_every_sheet_is_read_and_one_without_a_table_is_named(world, plan, client):
    client.force_login(world.office)
    two = workbook(
        [["单位", "交地面积"], ["甲指挥部", 11]], more_sheets=[("乙", [["单位", "征迁户数"], ["乙指挥部", 22]])]
    )
    page = upload(client, world, two).content.decode()
    assert f'name="t_{world.a.pk}_{world.land.pk}" value="11"' in page
    assert f'name="t_{world.b.pk}_{world.households.pk}" value="22"' in page
    broken = workbook([["单位", "交地面积"], ["甲指挥部", 11]], more_sheets=[("说明", [["本表由办公室填报"]])])
    response = upload(client, world, broken)
    assert response.status_code == 400 and "工作表“说明”的前30行中找不到表头" in response.content.decode()


def test_a_file_that_is_not_excel_is_refused(world, plan, client):
    client.force_login(world.office)
    response = upload(client, world, b"not a workbook")
    assert response.status_code == 400
    assert OrgUnit.objects.count() == 6


def test_a_total_that_does_not_add_up_is_said(world, plan, client):
    client.force_login(world.office)
    rows = [list(r) for r in OFFICE_SHEET]
    rows[6][2] = 1400.5
    page = upload(client, world, workbook(rows)).content.decode()
    assert "第7行C列：表中合计1,400.50与各单位之和400.50不符" in page


def test_a_name_two_units_carry_is_refused_naming_both(world, plan, client):
    for village in ("东村", "西村"):
        parent = OrgUnit.objects.create(name=village, kind=OrgUnit.Kind.VILLAGE, parent=world.a)
        OrgUnit.objects.create(name="一组", kind=OrgUnit.Kind.VILLAGE_GROUP, parent=parent)
    client.force_login(world.office)
    response = upload(client, world, workbook([["单位", "交地面积"], ["一组", 5]]))
    assert response.status_code == 400
    assert "第2行A列：有多个单位名为“一组”，请写明是哪一个（东村一组、西村一组）" in response.content.decode()
    assert not Target.objects.filter(unit__name="一组").exists()


# Layouts read through the one reading layer ---------------------------------------------------


def read_grid(client, w, data):
    client.force_login(w.office)
    response = upload(client, w, data)
    assert response.status_code == 200, response.content.decode()[-3000:]
    return response.content.decode()


def book_of(rows, change=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标任务分解表"
    for row in rows:
        sheet.append(row)
    if change:
        change(sheet)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def shown(page, unit, indicator, value):
    return f'name="t_{unit.pk}_{indicator.pk}" value="{value}"' in page


def test_a_two_row_header_with_the_unit_under_the_indicator(world, plan, client):
    def merge(sheet):
        for column in "AB":
            sheet.merge_cells(f"{column}2:{column}3")

    rows = [["目标任务分解表"], ["序号", "单位", "交地面积", "征迁户数"], [None, None, "亩", "户"]]
    rows += [[1, "甲指挥部", 120, 55], [2, "乙指挥部", 80, 7]]
    page = read_grid(client, world, book_of(rows, merge))
    assert shown(page, world.a, world.land, "120") and shown(page, world.b, world.households, "7")
    assert "表头在第2-3行" in page


def test_a_header_merged_over_the_indicators(world, plan, client):
    def merge(sheet):
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:C1")

    rows = [["单位", "目标任务", None], [None, "交地面积(亩)", "征迁户数(户)"], ["甲指挥部", 12, 5]]
    page = read_grid(client, world, book_of(rows, merge))
    assert shown(page, world.a, world.land, "12") and shown(page, world.a, world.households, "5")


def test_a_hidden_helper_column_is_ignored_and_said(world, plan, client):
    def hide(sheet):
        sheet.column_dimensions["C"].hidden = True

    rows = [["单位", "交地面积", "辅助列"], ["甲指挥部", 12, "x"], ["乙指挥部", 9, "y"]]
    page = read_grid(client, world, book_of(rows, hide))
    assert shown(page, world.a, world.land, "12") and shown(page, world.b, world.land, "9")
    assert "辅助列（C，已隐藏）" in page


def test_section_rows_are_left_out(world, plan, client):
    rows = [["序号", "单位", "交地面积"], ["一、指挥部", None, None], [1, "甲指挥部", 12]]
    rows += [["二、工作组", None, None], [1, "甲一工作组", 3], ["小计", None, 3]]
    page = read_grid(client, world, book_of(rows))
    assert shown(page, world.a, world.land, "12") and shown(page, world.a1, world.land, "3")
    assert "分类标题行2行" in page


def test_a_money_indicator_is_read_in_the_unit_of_the_note_row(world, plan, client):
    from campaigns.models import Indicator

    money = Indicator.objects.create(code="invest", name="完成投资", unit_of_measure="万元", sort_order=5)
    plan.indicators.add(money)
    rows = [["目标任务分解表"], ["单位:亿元"], ["单位", "完成投资"], ["甲指挥部", 1.5], ["乙指挥部", "0.25"]]
    page = read_grid(client, world, book_of(rows))
    assert shown(page, world.a, money, "15000") and shown(page, world.b, money, "2500")
    assert "金额单位：亿元" in page
