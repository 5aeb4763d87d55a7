"""A campaign's task list typed as rows or read from the office's sheet in the set-up pages; bad
rows named by sheet, row and column, nothing saved."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Task
from tests.test_setup_targets import workbook


def tasks(w):
    return sorted(Task.objects.filter(campaign=w.campaign).values_list("title", "unit__name", "deadline"))


def url(w):
    return reverse("setup_campaign_tasks", args=[w.campaign.pk])


def later(days):
    return date.today() + timedelta(days=days)


def test_the_office_types_items(world, client):
    client.force_login(world.office)
    data = {
        "title_1": "完成甲地块清表",
        "unit_1": world.a.pk,
        "deadline_1": later(10).isoformat(),
        "title_2": "",
        "unit_2": "",
        "deadline_2": "",
        "title_3": "乙村签约过半",
        "unit_3": world.b.pk,
        "deadline_3": later(20).isoformat(),
    }
    assert client.post(url(world), data).status_code == 302
    assert tasks(world) == [("乙村签约过半", "乙指挥部", later(20)), ("完成甲地块清表", "甲指挥部", later(10))]
    client.post(url(world), data)  # the same rows again add nothing
    assert len(tasks(world)) == 2


def test_a_typed_row_with_another_zones_unit_saves_nothing(world, client):
    client.force_login(world.office)
    data = {"title_1": "任务", "unit_1": world.c.pk, "deadline_1": later(5).isoformat()}
    response = client.post(url(world), data)
    assert response.status_code == 400
    assert f"第1行：“{world.c.pk}”不是本行动单位树中的单位" in response.content.decode()
    assert tasks(world) == []


def sheet():
    """The office's task sheet, its deadlines counted from today when the test runs (not when the
    module was read: a run that passes midnight must not see two todays)."""
    return [
        ["测试攻坚行动任务清单"],
        ["序号", "任务", "责任单位", "完成时限", "备注"],
        [1, "完成甲地块清表", "甲指挥部", later(10), ""],
        [2, "乙村签约过半", "乙指挥部", later(20).strftime("%Y年%m月%d日"), "重点"],
    ]


def upload(client, w, rows):
    return client.post(url(w), {"file": SimpleUploadedFile("任务清单.xlsx", workbook(rows, title="任务清单"))})


def test_the_office_reads_its_task_sheet_and_saves_it(world, client):
    client.force_login(world.office)
    response = upload(client, world, sheet())
    assert response.status_code == 200
    page = response.content.decode()
    assert tasks(world) == []  # read, not saved
    assert 'value="完成甲地块清表"' in page and f'value="{later(20).isoformat()}"' in page
    data = {
        "title_1": "完成甲地块清表",
        "unit_1": world.a.pk,
        "deadline_1": later(10).isoformat(),
        "title_2": "乙村签约过半",
        "unit_2": world.b.pk,
        "deadline_2": later(20).isoformat(),
    }
    assert client.post(url(world), data).status_code == 302
    assert len(tasks(world)) == 2


@pytest.mark.parametrize(
    "row, message",
    [
        ([3, "丙村任务", "丙指挥部", later(5), ""], "工作表“任务清单”第5行C列：“丙指挥部”不是本行动单位树中的单位"),
        ([3, "无期任务", "甲指挥部", "尽快", ""], "工作表“任务清单”第5行D列：“尽快”不是日期"),
        ([3, "", "甲指挥部", later(5), ""], "工作表“任务清单”第5行B列：任务为空"),
        ([3, "过早任务", "甲指挥部", date(2000, 1, 1), ""], "第5行D列：完成时限早于行动开始"),
    ],
)
def test_a_bad_task_sheet_names_row_and_column_and_saves_nothing(world, client, row, message):
    client.force_login(world.office)
    response = upload(client, world, sheet() + [row])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert tasks(world) == []


def test_the_other_zone_office_cannot_reach_the_home_task_list(world, client):
    client.force_login(world.other_office)
    data = {"title_1": "外区任务", "unit_1": world.a.pk, "deadline_1": later(5).isoformat()}
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), data).status_code == 404
    own = reverse("setup_campaign_tasks", args=[world.other_campaign.pk])
    assert client.post(own, data).status_code == 400  # its own campaign cannot take a home unit
    assert not Task.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider", "leader"])
def test_no_one_but_the_office_sets_the_task_list(who, world, client):
    client.force_login(getattr(world, who))
    data = {"title_1": "任务", "unit_1": world.a.pk, "deadline_1": later(5).isoformat()}
    assert client.post(url(world), data).status_code == 403
    assert not Task.objects.exists()


# Layouts read through the one reading layer ---------------------------------------------------


def upload_book(client, w, rows, change):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    for row in rows:
        sheet.append(row)
    change(sheet)
    data = io.BytesIO()
    book.save(data)
    client.force_login(w.office)
    response = client.post(url(w), {"file": SimpleUploadedFile("任务清单.xlsx", data.getvalue())})
    assert response.status_code == 200, re.findall(r"msg-error\">([^<]*)", response.content.decode())
    return response.content.decode()


def saved_rows(client, w, page):
    """Post back the rows the page shows, as the office does, and return the stored tasks."""

    data = dict(re.findall(r'name="((?:title|unit|deadline)_\d+)" value="([^"]*)"', page))
    for name, unit in re.findall(r'name="(unit_\d+)".*?<option value="(\d+)" selected', page, re.S):
        data[name] = unit
    assert client.post(url(w), data).status_code == 302
    return tasks(w)


def test_a_unit_merged_over_several_rows_and_a_two_row_header(world, client):
    def change(sheet):
        sheet.merge_cells("C4:C5")  # 甲指挥部 over two tasks
        for column in "ABC":
            sheet.merge_cells(f"{column}2:{column}3")
        sheet.merge_cells("D2:D3")

    rows = [["任务清单"], ["序号", "任务", "责任单位", "完成时限"], [None, None, None, None]]
    rows += [[1, "清表", "甲指挥部", later(10)], [2, "签约", None, later(12)], [3, "交地", "乙指挥部", later(20)]]
    page = upload_book(client, world, rows, change)
    assert "表头在第2" in page
    assert saved_rows(client, world, page) == [
        ("交地", "乙指挥部", later(20)),
        ("清表", "甲指挥部", later(10)),
        ("签约", "甲指挥部", later(12)),
    ]


def test_section_rows_and_a_hidden_column_are_left_out(world, client):
    def change(sheet):
        sheet.column_dimensions["E"].hidden = True

    rows = [["序号", "任务", "责任单位", "完成时限", "辅助"], ["一、征迁任务"], [1, "清表", "甲指挥部", later(10), "x"]]
    rows += [["二、建设任务"], [1, "开工", "乙指挥部", later(30), "y"]]
    page = upload_book(client, world, rows, change)
    assert "分类标题行2行" in page and "辅助（E，已隐藏）" in page
    assert saved_rows(client, world, page) == [("开工", "乙指挥部", later(30)), ("清表", "甲指挥部", later(10))]
