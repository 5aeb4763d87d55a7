"""Office files write Chinese punctuation: （万元）, 单位：亿元, 1－5月 or 1～5月, 2020．9．26. The
readers take these exactly as they take the ASCII forms (单位:亿元, (万元), 1-5月)."""

from datetime import date
from decimal import Decimal

import pytest

from cadres.importing import parse_span
from duban.spreadsheet.context import _PERIOD, _TITLE_UNIT, _UNIT_NOTE
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.wording import unit_word, words
from projects import excel
from projects.models import Project
from tests.test_spreadsheet_layouts import YI, book, month_of, save, state


@pytest.mark.parametrize(
    "header",
    [
        "2021年1-5月累计完成投资(亿元)",
        "2021年1－5月累计完成投资（亿元）",
        "2021年1～5月累计完成投资（亿元）",
        "2021年1〜5月累计完成投资（单位：亿元）",
        "2021年1—5月累计完成投资【亿元】",
        "2021年1―5月累计完成投资（亿元）",
    ],
)
def test_a_span_of_months_in_either_punctuation(header):
    w = words(header)
    assert (w.base, w.unit, w.year, w.month, w.span) == ("累计完成投资", "亿元", 2021, 5, True)


@pytest.mark.parametrize("text", ["单位：万元", "单位:万元", "（万元）", "(万元)", "（单位：万元）", "万元"])
def test_a_unit_cell_in_either_punctuation(text):
    assert unit_word(text) == "万元"


@pytest.mark.parametrize("note", ["单位：亿元", "单位:亿元", "金额单位：亿元", "单位 ： 亿元"])
def test_a_unit_note_in_either_punctuation(note):
    assert _UNIT_NOTE.search(note)[1] == "亿元"


@pytest.mark.parametrize("title", ["重点项目表（亿元）", "重点项目表(亿元)"])
def test_a_title_unit_in_either_punctuation(title):
    assert _TITLE_UNIT.search(title)[1] == "亿元"


@pytest.mark.parametrize("title", ["2021年1－5月重点项目", "2021年1～5月", "2021年1-5月重点项目", "2021年1〜5月"])
def test_a_title_period_in_either_punctuation(title):
    match = _PERIOD.search(title)
    assert (match[1], match[2], match[3]) == ("2021", "1", "5")


@pytest.mark.parametrize("alias", ["乡镇(街道)", "乡镇（街道）"])
@pytest.mark.parametrize("header", ["乡镇(街道)", "乡镇（街道）", "乡镇 （街道）"])
def test_an_alias_matches_a_header_in_either_punctuation(alias, header):
    layout = Layout("t", (Column("unit", "单位", (alias,)), Column("n", "数量")))
    assert layout.match(header)[0] == "unit"
    assert layout.match("数量（个）")[0] == "n"


def test_our_export_headers_are_full_width_and_read_back():
    column = Column("total", "总投资", money=True)
    assert column.header("亿元") == "总投资（亿元）"
    assert Column("area", "面积", suffix="亩").header() == "面积（亩）"
    assert Layout("t", (column,)).match(column.header("亿元"))[1].unit == "亿元"


@pytest.mark.parametrize(
    "written, start, end",
    [
        ("2020-09-26至2020-12-31", date(2020, 9, 26), date(2020, 12, 31)),
        ("2020．9．26－2020．12．31", date(2020, 9, 26), date(2020, 12, 31)),
        ("2020／9／26—至今", date(2020, 9, 26), None),
    ],
)
def test_a_cadres_span_in_either_punctuation(written, start, end):
    assert parse_span(written) == (start, end)


def test_a_progress_table_written_in_chinese_punctuation_throughout(world):
    head = ["序号", "项目名称", "责任单位", "总投资（亿元）", "年度计划投资（亿元）", "5月完成投资（亿元）"]
    head += ["2021年1－5月累计完成（亿元）", "形象进度"]
    data = save(
        book(
            (
                "Sheet1",
                [
                    ["2021年1－5月重点项目投资进展情况表"],
                    ["填报单位：测试区", None, None, None, None, None, "单位：亿元"],
                    head,
                    [1, "全角项目", "甲指挥部", 12.5, 3, 0.48, 0.48, "主体施工"],
                ],
            )
        )
    )
    result = excel.import_file(data, month=None, year=None)
    assert result.ok, result.errors
    assert (result.year, result.month) == (2021, 5)
    project = Project.objects.get(name="全角项目")
    assert project.total_investment == Decimal("12.5") * YI
    assert project.plans.get(year=2021).amount == 3 * YI
    assert month_of("全角项目") == Decimal("0.48") * YI


def test_a_contradiction_in_chinese_punctuation_is_refused_in_chinese_punctuation(world):
    data = save(
        book(
            (
                "汇总",
                [
                    ["2021年5月重点项目"],
                    ["单位：亿元"],
                    ["项目名称", "责任单位", "总投资（万元）", "本月完成"],
                    ["矛盾项目", "甲指挥部", 100, 1],
                ],
            )
        )
    )
    before = state()
    result = excel.import_file(data)
    assert not result.ok
    assert (
        "工作表“汇总”：第2行写明金额单位为亿元，但C列表头“总投资（万元）”写的是万元；请改正其中之一。" in result.errors
    ), result.errors
    assert state() == before
