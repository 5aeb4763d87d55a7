"""Importing the statistics office's table: read through duban/spreadsheet (unit in a note row,
1-N月累计 headers, several sheets), a dry run that writes nothing, all rows or none, a 比增 column
checked against the computed growth and never stored; bad files refused in Chinese with nothing
changed."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from economy import growth, importer
from economy.models import FigureRevision, MonthlyFigure
from tests.economy_helpers import economy_fingerprint, indicators, load_raw

HEADER = ["序号", "指标名称", "计量单位", "本月", "1-3月累计", "比增(%)"]


def workbook(sheets, title="测试区2021年1-3月主要经济指标", note="单位:亿元"):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([title])
        if note:
            sheet.append([note])
        sheet.append(HEADER)
        for n, row in enumerate(rows, start=1):
            sheet.append([n, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The statistics office's table for 2021年1-3月 with the 2020 figures already stored (raw rows).
GOOD = {
    "投资工业": [
        ["固定资产投资", "亿元", None, 60.3, 46.7],
        ["工业固投", "亿元", None, 29.3, 163.7],
        ["规模以上工业总产值", "亿元", 19.7, 49, 41.2],
    ],
    "财政外贸": [
        ["一般公共预算总收入", "亿元", 3.2, 9.1, 15.4],
        ["进出口总额", "亿元", 2.7, 6.9, 11],
        ["实际利用外资", "万元", 1362, 3392, None],
        ["社会消费品零售总额(全口径)", "亿元", 8.1, 20.5, 9.9],  # not in the catalogue: left out
    ],
}


@pytest.fixture
def econ(world):
    world.ind = indicators()
    # last year's figures: the raw 2020 rows of the demo
    load_raw(world.zone)
    MonthlyFigure.objects.filter(unit=world.zone, year=2021).delete()
    return world


def test_a_dry_run_reads_every_sheet_and_writes_nothing(econ):
    before = economy_fingerprint()
    result = importer.import_file(workbook(GOOD), econ.zone, dry_run=True, filename="统计月报.xlsx")
    assert result.ok, result.errors
    assert (result.year, result.month) == (2021, 3)
    assert result.created == 6
    assert any("投资工业" in line for line in result.understood) and any(
        "财政外贸" in line for line in result.understood
    )
    assert any("社会消费品零售总额(全口径)" in w and "不在指标目录中" in w for w in result.warnings)
    assert economy_fingerprint() == before


def test_the_import_stores_the_figures_and_the_growth_comes_back(econ):
    result = importer.import_file(workbook(GOOD), econ.zone, filename="统计月报.xlsx")
    assert result.ok, result.errors
    found = {r.indicator.code: r for r in growth.readings(econ.zone, 2021, 3)}
    assert found["fixed_investment"].cumulative == Decimal("60.3") and found["fixed_investment"].month_value is None
    assert found["fixed_investment"].growth_rounded == Decimal("46.7")
    assert found["industrial_output"].growth_rounded == Decimal("41.2")
    assert found["foreign_investment"].cumulative == Decimal("3392")  # 万元, as its 计量单位 says
    # every 比增 of the file agrees with the computed one: no disagreement reported
    assert not [w for w in result.warnings if "按数值计算" in w]
    # importing the same file again changes nothing
    again = importer.import_file(workbook(GOOD), econ.zone)
    assert again.ok and again.changed == 0


def test_a_growth_column_that_disagrees_is_reported_and_not_stored(econ):
    rows = {"表1": [["固投", "亿元", None, 60.3, 50.0]]}
    result = importer.import_file(workbook(rows), econ.zone)
    assert result.ok
    assert any("比增为50%" in w and "按数值计算应为47%" in w for w in result.warnings), result.warnings
    assert growth.readings(econ.zone, 2021, 3, [econ.ind["fixed_investment"]])[0].growth_rounded == Decimal("46.7")


def test_a_unit_in_wan_converts_to_the_indicators_unit(econ):
    rows = {"表1": [["进出口总额", "", 27000, 69000, None]]}
    result = importer.import_file(workbook(rows, note="单位:万元"), econ.zone)
    assert result.ok, result.errors
    assert MonthlyFigure.objects.get(
        unit=econ.zone, year=2021, indicator=econ.ind["foreign_trade"]
    ).cumulative == Decimal("6.9")


BAD = [
    (
        "a growth rate in a value cell",
        {"表1": [["固投", "亿元", None, "46.7%", None], ["进出口总额", "亿元", 2.7, 6.9, None]]},
        {},
        "是增长率，不是数值",
    ),
    ("not a number", {"表1": [["进出口总额", "亿元", "两亿", 6.9, None]]}, {}, "不是数字"),
    ("negative", {"表1": [["进出口总额", "亿元", -2.7, 6.9, None]]}, {}, "为负数"),
    (
        "another year than chosen",
        {"表1": [["进出口总额", "亿元", 2.7, 6.9, None]]},
        {"year": 2022},
        "不是导入时选择的2022年",
    ),
    ("an unknown unit", {"表1": [["进出口总额", "千元", 2.7, 6.9, None]]}, {}, "无法识别计量单位"),
    (
        "the same indicator twice",
        {"表1": [["进出口总额", "亿元", 2.7, 6.9, None]], "表2": [["进出口总额", "亿元", 2.7, 6.9, None]]},
        {},
        "已在",
    ),
]


@pytest.mark.parametrize("label,sheets,options,message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_whole_with_a_chinese_message(econ, label, sheets, options, message):
    before = economy_fingerprint()
    result = importer.import_file(workbook(sheets), econ.zone, **options)
    assert not result.ok and any(message in e for e in result.errors), result.errors
    assert result.changed == 0
    assert economy_fingerprint() == before


def test_a_file_without_its_month_asks_for_it(econ):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["主要经济指标"])
    sheet.append(["单位:亿元"])
    sheet.append(["指标名称", "本月", "累计"])
    sheet.append(["进出口总额", 2.7, 6.9])
    out = io.BytesIO()
    book.save(out)
    before = economy_fingerprint()
    result = importer.import_file(out.getvalue(), econ.zone)
    assert not result.ok and "请在导入时选择" in result.errors[0]
    assert economy_fingerprint() == before
    assert importer.import_file(out.getvalue(), econ.zone, year=2021, month=3).ok


def test_a_revision_by_import_needs_a_reason_and_is_refused(econ):
    importer.import_file(workbook(GOOD), econ.zone)
    before = economy_fingerprint()
    changed = {"表1": [["固投", "亿元", None, 61.2, None]]}
    result = importer.import_file(workbook(changed), econ.zone)
    assert not result.ok and "须填写修订原因" in result.errors[0]
    assert economy_fingerprint() == before
    result = importer.import_file(workbook(changed), econ.zone, reason="统计局口径调整")
    assert result.ok and result.updated == 1
    revision = FigureRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (
        Decimal("60.3"),
        Decimal("61.2"),
        "统计局口径调整",
    )


# The page ---------------------------------------------------------------------------------------


def upload(data, name="统计月报.xlsx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_the_office_checks_then_confirms(econ, login):
    client = login(econ.office)
    before = economy_fingerprint()
    response = client.post(reverse("economy_import"), {"unit": econ.zone.pk, "file": upload(workbook(GOOD))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "读取到的内容" in page and "新建6条" in page
    assert economy_fingerprint() == before  # the dry run wrote nothing
    token = client.session["economy_import"]["token"]
    response = client.post(reverse("economy_import"), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert MonthlyFigure.objects.filter(unit=econ.zone, year=2021).count() == 6


def test_a_unit_outside_the_offices_zone_is_refused(econ, login):
    before = economy_fingerprint()
    response = login(econ.office).post(reverse("economy_import"), {"unit": econ.c.pk, "file": upload(workbook(GOOD))})
    assert response.status_code == 400 and "请选择本区内的单位" in response.content.decode()
    response = login(econ.other_office).post(
        reverse("economy_import"), {"unit": econ.zone.pk, "file": upload(workbook(GOOD))}
    )
    assert response.status_code == 400 and "请选择本区内的单位" in response.content.decode()
    assert economy_fingerprint() == before


def test_a_bad_upload_on_the_page_changes_nothing(econ, login):
    before = economy_fingerprint()
    client = login(econ.office)
    bad = workbook({"表1": [["固投", "亿元", None, "46.7%", None]]})
    response = client.post(reverse("economy_import"), {"unit": econ.zone.pk, "file": upload(bad)})
    assert response.status_code == 400 and "是增长率，不是数值" in response.content.decode()
    response = client.post(
        reverse("economy_import"), {"unit": econ.zone.pk, "month": "13", "file": upload(workbook(GOOD))}
    )
    assert response.status_code == 400 and "不是一年中的月份" in response.content.decode()
    response = client.post(
        reverse("economy_import"), {"unit": econ.zone.pk, "file": upload(b"not a workbook", "x.xlsx")}
    )
    assert response.status_code == 400
    assert economy_fingerprint() == before
