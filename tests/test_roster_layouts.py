"""Village rosters as offices keep them, read through the one reading layer
(duban.spreadsheet.reader): a two-row header, 村/组 merged over several rows, a hidden column,
section and 小计 rows, placeholders, a sheet per village; each checked on the stored households,
and what was read shown by the dry run (page and command)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from requisition import roster
from requisition.models import Household
from tests.test_requisition_roster import ID1, ID2, ID3, checked, upload
from tests.test_requisition_roster import pending_dir as pending_dir  # noqa: F401 (autouse)
from tests.test_requisition_roster import villages as villages  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("villages")

ID5 = checked("35030219700505005")
HEAD = ["序号", "户主姓名", "身份证号", "联系电话", "村/组", "合法面积(㎡)", "当前阶段"]


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def book(rows, title="江尾村征迁入户摸底花名册"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    return workbook, sheet


def stored():
    return {
        h.head_name: (h.village.name, h.id_number, h.phone, h.legal_area, h.land_area, h.stage)
        for h in Household.objects.select_related("village")
    }


def imported(data, **kwargs):
    result = roster.import_file(data, **kwargs)
    assert result.ok, result.errors
    return result


def test_a_two_row_header_with_units_under_the_names():
    workbook, sheet = book(
        [
            ["序号", "户主姓名", "身份证号", "村/组", "合法面积", "土地面积", "当前阶段"],
            [None, None, None, None, "㎡", "亩", None],
            [1, "张三", ID1, "江尾村", 120.5, 0.5, "入户摸底"],
            [2, "李四", ID2, "江尾村", 80, 1, "丈量"],
        ]
    )
    for column in "ABCDG":
        sheet.merge_cells(f"{column}2:{column}3")
    result = imported(save(workbook))
    assert result.created == 2
    assert stored() == {
        "张三": ("江尾村", ID1, "", Decimal("120.50"), Decimal("0.5000"), "visited"),
        "李四": ("江尾村", ID2, "", Decimal("80.00"), Decimal("1.0000"), "measured"),
    }
    assert any("第2-3行" in line for line in result.understood), result.understood


def test_a_village_merged_over_several_rows_fills_each():
    workbook, sheet = book(
        [
            HEAD,
            [1, "张三", ID1, "13812345678", "江尾村", 100, "入户摸底"],
            [2, "李四", ID2, "13812345679", None, 90, "入户摸底"],
            [3, "王五", ID3, "13812345670", None, 80, "入户摸底"],
            [4, "赵六", ID5, "13812345671", "东阳村", 70, "入户摸底"],
        ]
    )
    sheet.merge_cells("E3:E5")
    imported(save(workbook))
    villages_of = {name: values[0] for name, values in stored().items()}
    assert villages_of == {"张三": "江尾村", "李四": "江尾村", "王五": "江尾村", "赵六": "东阳村"}


def test_a_hidden_column_is_ignored_and_said():
    workbook, sheet = book(
        [
            [*HEAD, "户主姓名"],
            [1, "张三", ID1, "13812345678", "江尾村", 100, "入户摸底", "辅助列"],
        ]
    )
    sheet.column_dimensions["H"].hidden = True
    result = imported(save(workbook))
    assert stored() == {"张三": ("江尾村", ID1, "13812345678", Decimal("100.00"), Decimal("0.0000"), "visited")}
    assert any("户主姓名（H" in line and "隐藏" in line for line in result.understood), result.understood


def test_section_and_subtotal_rows_are_left_out():
    workbook, _sheet = book(
        [
            HEAD,
            ["一、江尾村"],
            [1, "张三", ID1, "13812345678", "江尾村", 100, "入户摸底"],
            [2, "李四", ID2, "13812345679", "江尾村", 90, "签约"],
            ["小计", None, None, None, None, 190],
            ["二、东阳村"],
            [1, "王五", ID3, "13812345670", "东阳村", 80, "入户摸底"],
            ["合计", None, None, None, None, 270],
        ]
    )
    result = imported(save(workbook))
    assert result.rows == 3 and result.created == 3
    assert {name: v[0] for name, v in stored().items()} == {"张三": "江尾村", "李四": "江尾村", "王五": "东阳村"}
    assert any("分类标题行2行，小计或合计行2行" in line for line in result.understood), result.understood


@pytest.mark.parametrize("placeholder", ["—", "/", "无"])
def test_placeholders_are_nothing(placeholder):
    workbook, _sheet = book(
        [
            [*HEAD, "土地面积(亩)", "补偿方式"],
            [1, "张三", placeholder, placeholder, "江尾村", placeholder, placeholder, placeholder, placeholder],
        ]
    )
    imported(save(workbook))
    assert stored() == {"张三": ("江尾村", "", "", Decimal("0.00"), Decimal("0.0000"), "none")}


def test_a_sheet_per_village_without_a_village_column():
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "江尾村"
    for row in (["户主姓名", "身份证号", "合法面积"], ["张三", ID1, 100], ["李四", ID2, 90]):
        first.append(row)
    second = workbook.create_sheet("东阳村")
    for row in (["东阳村花名册"], ["户主姓名", "身份证号", "合法面积"], ["王五", ID3, 80]):
        second.append(row)
    result = imported(save(workbook))
    assert {name: v[0] for name, v in stored().items()} == {"张三": "江尾村", "李四": "江尾村", "王五": "东阳村"}
    text = "".join(result.understood)
    assert "工作表“江尾村”" in text and "工作表“东阳村”" in text


def test_a_household_twice_in_two_sheets_is_named_with_its_sheet():
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "一组"
    for row in (HEAD, [1, "张三", ID1, None, "江尾村", 100, None]):
        first.append(row)
    second = workbook.create_sheet("二组")
    for row in (HEAD, [1, "张三", ID1, None, "江尾村", 100, None]):
        second.append(row)
    result = roster.import_file(save(workbook))
    assert not result.ok and Household.objects.count() == 0
    assert any("2(二组)" in error and "2(一组)" in error for error in result.errors), result.errors


def test_a_sheet_without_a_village_column_named_for_no_village_is_refused():
    workbook, sheet = book([["户主姓名", "身份证号"], ["张三", ID1]], title=None)
    sheet.title = "花名册"
    result = roster.import_file(save(workbook))
    assert not result.ok and Household.objects.count() == 0
    assert result.errors == [
        "工作表“花名册”没有村/组列，也没有名为“花名册”的村；请加上这一列，或以所属村命名工作表。"
    ], result.errors


def test_a_sheet_without_a_header_among_good_ones_refuses_the_file_naming_it():
    workbook, _sheet = book([HEAD, [1, "张三", ID1, None, "江尾村", 100, None]])
    other = workbook.create_sheet("说明")
    other.append(["填表说明"])
    other.append(["请如实填写", "谢谢"])
    result = roster.import_file(save(workbook))
    assert not result.ok and Household.objects.count() == 0
    assert "“说明”" in result.errors[0], result.errors


def test_the_command_and_the_page_show_what_was_read(tmp_path, capsys, world, login):
    workbook, _sheet = book([HEAD, [1, "张三", ID1, None, "江尾村", 100, None]])
    path = tmp_path / "roster.xlsx"
    path.write_bytes(save(workbook))
    call_command("import_households", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "工作表“Sheet”：表头在第2行；数据1行。" in out, out
    assert "已读取的列：" in out
    assert Household.objects.count() == 0
    page = upload(login(world.owner), save(workbook)).content.decode()
    assert 'id="import-understood"' in page and "工作表“Sheet”：表头在第2行；数据1行。" in page
    assert Household.objects.count() == 0
