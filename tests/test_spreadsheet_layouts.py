"""The reading layer (duban/spreadsheet) on the layouts offices really keep, each built here with
openpyxl and imported through projects.excel; each case checks the stored figures."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from projects import excel, investment
from projects.models import AnnualPlan, MonthlyInvestment, Project, YearOpening

YI, WAN = Decimal(100_000_000), Decimal(10_000)
HEAD = ["序号", "项目名称", "责任单位", "总投资", "年度计划投资", "本月完成", "年度累计完成", "形象进度"]


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def book(*sheets):
    """A workbook of (title, rows) sheets."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    return workbook


def state():
    return (
        list(Project.objects.order_by("pk").values_list()),
        list(AnnualPlan.objects.order_by("pk").values_list()),
        list(MonthlyInvestment.objects.order_by("pk").values_list()),
        list(YearOpening.objects.order_by("pk").values_list()),
    )


def refused(data, message, **kwargs):
    before = state()
    result = excel.import_file(data, **kwargs)
    assert not result.ok
    assert message in result.errors, result.errors
    assert state() == before
    return result


def month_of(name, year=2021, month=5):
    return Project.objects.get(name=name).investments.get(month=date(year, month, 1)).amount


def test_a_unit_note_row_reads_every_amount_in_yi(world):
    data = save(
        book(
            (
                "Sheet1",
                [
                    ["2021年1-5月重点项目投资进展情况表"],
                    ["填报单位:测试区", None, None, None, None, None, "单位:亿元"],
                    HEAD,
                    [1, "一号项目", "甲指挥部", 12.5, 3, 0.48, 0.48, "主体施工"],
                ],
            )
        )
    )
    result = excel.import_file(data, month=None, year=None)
    assert result.ok, result.errors
    project = Project.objects.get(name="一号项目")
    assert project.total_investment == Decimal("12.5") * YI
    assert project.plans.get(year=2021).amount == 3 * YI
    assert month_of("一号项目") == Decimal("0.48") * YI
    assert any("亿元" in line and "第2行" in line for line in result.understood)


def test_the_title_is_the_period_and_a_filling_date_above_the_header_is_not(world):
    data = save(
        book(
            (
                "五月",
                [
                    ["2021年5月全区重点项目推进情况"],
                    ["填报日期:2021年6月3日"],
                    ["序号", "项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"],
                    [1, "二号项目", "甲指挥部", 1000, 120],
                ],
            )
        )
    )
    result = excel.import_file(data)
    assert result.ok, result.errors
    assert (result.year, result.month) == (2021, 5)
    assert month_of("二号项目") == 120 * WAN
    assert not MonthlyInvestment.objects.filter(month=date(2021, 6, 1)).exists()


def test_a_file_that_names_no_period_asks_for_it(world):
    data = save(
        book(("Sheet1", [["项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"], ["三号", "甲指挥部", 10, 1]]))
    )
    refused(data, "文件没有写明表格对应的年份和月份（标题、说明行和表头中都没有），请选择。")
    result = excel.import_file(data, year=2021, month=4)
    assert result.ok, result.errors
    assert month_of("三号", month=4) == WAN


def test_published_wordings_and_a_month_named_in_the_headers(world):
    headers = ["序号", "项目名称", "责任单位", "总投资(亿元)", "年度投资计划(亿元)", "5月完成投资(亿元)"]
    headers += ["1-5月累计完成(亿元)", "项目进展情况", "存在的困难和问题"]
    data = save(
        book(("Sheet1", [["2021年重点项目"], headers, [1, "四号", "甲指挥部", 10, 2, 0.1, 0.1, "桩基完成", "无"]]))
    )
    result = excel.import_file(data, year=2021)
    assert result.ok, result.errors
    project = Project.objects.get(name="四号")
    assert project.plans.get(year=2021).amount == 2 * YI
    assert month_of("四号") == Decimal("0.1") * YI
    assert project.progress_text == "桩基完成"
    assert result.month == 5


def test_a_new_project_keeps_the_offices_year_to_date_as_its_opening(world):
    data = save(
        book(
            (
                "Sheet1",
                [
                    ["2021年1-12月重点项目投资进展情况表(单位:亿元)"],
                    ["序号", "项目名称", "责任单位", "总投资", "年度计划投资", "本月完成", "年度累计完成"],
                    [1, "五号", "甲指挥部", 30, 20, 2.48, 17.65],
                ],
            )
        )
    )
    result = excel.import_file(data, year=2021, month=12)
    assert result.ok, result.errors
    project = Project.objects.get(name="五号")
    opening = project.openings.get(year=2021)
    assert (opening.amount, opening.as_of, opening.imported) == (Decimal("15.17") * YI, 11, True)
    figures = investment.project_figures([project.pk], 2021, 12)[project.pk]
    assert figures.ytd == Decimal("17.65") * YI and figures.this_month == Decimal("2.48") * YI
    again = excel.import_file(data, year=2021, month=12)  # the same file again changes nothing
    assert again.ok and again.unchanged == 1 and project.openings.get().amount == Decimal("15.17") * YI


def test_earlier_months_that_disagree_are_shown_and_the_office_chooses(world):
    project = Project.objects.create(name="六号", unit=world.a, total_investment=10 * YI)
    MonthlyInvestment.objects.create(project=project, month=date(2021, 4, 1), amount=YI)
    rows = [["2021年1-5月表(单位:亿元)"], ["项目名称", "责任单位", "总投资", "本月完成", "年度累计完成"]]
    data = save(book(("Sheet1", [*rows, ["六号", "甲指挥部", 10, 1, 3]])))
    refused(
        data,
        "第3行：文件中年度累计完成为30,000.00万元，而督办中为20,000.00万元（5月以前各月加本月），请选择以哪个为准。",
    )
    kept = excel.import_file(data, ytd=excel.KEEP)
    assert kept.ok and not YearOpening.objects.exists()
    assert investment.project_figures([project.pk], 2021, 5)[project.pk].ytd == 2 * YI
    taken = excel.import_file(data, ytd=excel.SHEET)
    assert taken.ok, taken.errors
    assert investment.project_figures([project.pk], 2021, 5)[project.pk].ytd == 3 * YI
    assert project.investments.get(month=date(2021, 4, 1)).amount == YI  # the months are left as they are


def test_several_sheets_per_category_are_all_read(world):
    head = ["序号", "项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"]
    data = save(
        book(
            ("产业项目", [["2021年1-5月产业项目"], head, [1, "七号", "甲指挥部", 100, 10]]),
            ("民生项目", [["2021年1-5月民生项目"], head, [1, "八号", "乙指挥部", 200, 20]]),
            ("Sheet3", []),
        )
    )
    result = excel.import_file(data)
    assert result.ok, result.errors
    assert (month_of("七号"), month_of("八号")) == (10 * WAN, 20 * WAN)
    assert any("Sheet3" in line for line in result.understood)


def test_sheets_that_disagree_on_the_period_are_refused(world):
    head = ["序号", "项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"]
    data = save(
        book(
            ("4月", [["2021年4月重点项目"], head, [1, "九号", "甲指挥部", 100, 10]]),
            ("5月", [["2021年5月重点项目"], head, [1, "九号", "甲指挥部", 100, 12]]),
        )
    )
    message = "各工作表对应的期间不一致（“4月” 2021年4月、“5月” 2021年5月）；"
    refused(data, message + "请每个期间导入一个文件，或在每个工作表中写明其所属期间。")


def test_a_unit_note_that_contradicts_the_header_is_refused(world):
    rows = [["2021年5月表"], ["单位:亿元"], ["项目名称", "责任单位", "总投资(万元)"], ["十号", "甲指挥部", 100]]
    refused(
        save(book(("汇总", rows))),
        "工作表“汇总”：第2行写明金额单位为亿元，但C列表头“总投资(万元)”写的是万元；请改正其中之一。",
    )


def test_a_sheet_that_cannot_be_read_refuses_the_file_and_is_named(world):
    good = ["项目名称", "责任单位", "总投资(万元)"]
    data = save(
        book(
            ("项目", [["2021年5月表"], good, ["十一号", "甲指挥部", 1]]),
            ("说明", [["本表由发改局汇总"], ["联系人", "张三"]]),
        )
    )
    refused(
        data,
        "工作表“说明”的前30行中找不到表头（需要这些列：项目名称、责任单位、总投资）；请删除这些工作表或改正表头后重新导入。",
    )


def test_a_two_row_header_with_units_under_the_names(world):
    workbook = book(
        (
            "Sheet1",
            [
                ["2021年1-5月重点项目"],
                ["序号", "项目名称", "责任单位", "总投资", "总投资", "本月完成"],
                [None, None, None, "亿元", "万元", "万元"],
                [1, "十二号", "甲指挥部", 1.5, 15000, 300],
            ],
        )
    )
    sheet = workbook["Sheet1"]
    for column in "ABC":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    result = excel.import_file(save(workbook))
    assert result.ok, result.errors
    project = Project.objects.get(name="十二号")
    assert project.total_investment == Decimal("1.5") * YI
    assert month_of("十二号") == 300 * WAN
    assert any("第2-3行" in line for line in result.understood)


def test_a_unit_merged_over_several_rows_fills_each(world):
    workbook = book(
        (
            "Sheet1",
            [
                ["2021年1-5月重点项目"],
                ["序号", "项目名称", "责任单位", "总投资(万元)"],
                [1, "十三号", "甲指挥部", 100],
                [2, "十四号", None, 200],
                [3, "十五号", None, 300],
            ],
        )
    )
    workbook["Sheet1"].merge_cells("C3:C5")
    result = excel.import_file(save(workbook))
    assert result.ok, result.errors
    assert set(Project.objects.filter(unit=world.a).values_list("name", flat=True)) == {"十三号", "十四号", "十五号"}


def test_section_and_subtotal_rows_are_left_out(world):
    rows = [
        ["2021年1-5月重点项目"],
        ["序号", "项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"],
        ["一、省重点项目"],
        [1, "十六号", "甲指挥部", 100, 10],
        ["小计", None, None, 100, 10],
        ["二", "市重点项目", None, None, None],
        [1, "十七号", "乙指挥部", 200, 20],
        ["小 计", None, None, 200, 20],
        ["合计", None, None, 300, 30],
    ]
    result = excel.import_file(save(book(("Sheet1", rows))))
    assert result.ok, result.errors
    assert result.rows == 2
    assert Project.objects.count() == 2 and MonthlyInvestment.objects.count() == 2
    assert "未计入的行：分类标题行2行，小计或合计行3行。" in result.understood


def test_a_hidden_column_and_a_hidden_row_are_ignored_and_said(world):
    workbook = book(
        (
            "Sheet1",
            [
                ["2021年1-5月重点项目"],
                ["序号", "项目名称", "责任单位", "总投资(万元)", "本月完成(万元)", "本月完成(万元)"],
                [1, "十八号", "甲指挥部", 100, 10, "=E3*10000"],
                [2, "辅助行", "甲指挥部", 1, 1, 1],
            ],
        )
    )
    sheet = workbook["Sheet1"]
    sheet.column_dimensions["F"].hidden = True
    sheet.row_dimensions[4].hidden = True
    result = excel.import_file(save(workbook))
    assert result.ok, result.errors
    assert list(Project.objects.values_list("name", flat=True)) == ["十八号"]
    assert month_of("十八号") == 10 * WAN
    text = "".join(result.understood)
    assert "F，已隐藏" in text and "已忽略隐藏的行：第4行" in text


@pytest.mark.parametrize("placeholder", ["—", "/", "无", "", "——", "－"])
def test_placeholders_mean_nothing_this_month(world, placeholder):
    rows = [
        ["2021年1-5月"],
        ["项目名称", "责任单位", "总投资(万元)", "本月完成(万元)"],
        ["十九号", "甲指挥部", 100, placeholder],
    ]
    result = excel.import_file(save(book(("Sheet1", rows))))
    assert result.ok, result.errors
    assert Project.objects.get().total_investment == 100 * WAN
    assert not MonthlyInvestment.objects.exists()


def test_the_command_prints_what_it_read(world, tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    rows = [
        ["2021年1-5月表"],
        ["单位:亿元"],
        ["项目名称", "责任单位", "总投资", "本月完成"],
        ["二十号", "甲指挥部", 2, 0.5],
    ]
    path.write_bytes(save(book(("汇总", rows))))
    call_command("import_projects", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "工作表“汇总”：表头在第3行；数据1行。" in out
    assert "金额单位：亿元（第2行：“单位:亿元”）。" in out
    assert "所属期间：2021年5月" in out
    assert not Project.objects.exists()
    call_command("import_projects", str(path))
    assert Project.objects.get().total_investment == 2 * YI
