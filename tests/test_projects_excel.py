"""Key projects in Excel: export, the two import layouts, bad files, scoping, the page and the CLI."""

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from duban import pending_uploads, spreadsheet
from org.models import OrgUnit
from org.scoping import Scope
from projects import excel
from projects.models import AnnualPlan, MonthlyInvestment, Project

YEAR, MONTH = 2021, 5
TITLE = "2021年1-5月重点项目投资进展情况表"
HEADERS = ["序号", "项目编号", "项目名称", "建设内容", "总投资(万元)", "年度计划投资(万元)", "本月完成(万元)"]
HEADERS += ["年度累计完成(万元)", "完成率(%)", "形象进度", "存在问题", "责任单位", "责任领导"]
MONTHLY_HEADERS = ["项目编号", "项目名称", "责任单位", "月份", "本月完成(万元)"]


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(*rows, headers=HEADERS, titles=(TITLE,)):
    return xlsx([*[[t] for t in titles], headers, *rows])


def row(
    seq, code, name, unit, total, plan="", month="", ytd="", pct="", content="", progress="", problems="", leader=""
):
    return [seq, code, name, content, total, plan, month, ytd, pct, progress, problems, unit, leader]


@pytest.fixture(autouse=True)
def pending_dir(settings, tmp_path, monkeypatch):
    """Checked uploads wait in the test's own directory."""
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it


def run(data, **kwargs):
    kwargs.setdefault("year", YEAR)
    kwargs.setdefault("month", MONTH)
    return excel.import_file(data, **kwargs)


def state():
    """Everything the importer may write, to assert that nothing changed."""
    return (
        list(Project.objects.order_by("pk").values_list()),
        list(AnnualPlan.objects.order_by("pk").values_list()),
        list(MonthlyInvestment.objects.order_by("pk").values_list()),
    )


def wan(amount):
    return Decimal(amount) * 10_000


@pytest.fixture
def projects(world):
    """甲 has two projects with a plan and months; 乙 and 丙 one each."""
    p1 = Project.objects.create(
        unit=world.a, code="P001", name="智能制造产业园", total_investment=wan(50_000), content="厂房", leader="张三"
    )
    p2 = Project.objects.create(unit=world.a, name="滨海大道", total_investment=wan("12345.678901"))
    p3 = Project.objects.create(unit=world.b, code="P003", name="乙区安置房", total_investment=wan(8_000))
    p4 = Project.objects.create(unit=world.c, code="P004", name="丙区学校", total_investment=wan(3_000))
    AnnualPlan.objects.create(project=p1, year=YEAR, amount=wan(10_000))
    AnnualPlan.objects.create(project=p3, year=YEAR, amount=wan(2_000))
    for month, amount in ((3, "1000.5"), (4, 2000), (5, "1500.25")):
        MonthlyInvestment.objects.create(project=p1, month=date(YEAR, month, 1), amount=wan(amount))
    MonthlyInvestment.objects.create(project=p3, month=date(YEAR, 5, 1), amount=wan(300))
    MonthlyInvestment.objects.create(project=p3, month=date(YEAR - 1, 12, 1), amount=wan(999))
    return p1, p2, p3, p4


# Export ------------------------------------------------------------------------------------


def exported(queryset, year=YEAR, month=MONTH):
    return openpyxl.load_workbook(io.BytesIO(excel.export_bytes(queryset, year, month))).active


def test_it_exports_title_header_one_row_per_project_and_totals(projects):
    sheet = exported(Project.objects.filter(unit__name__in=["甲指挥部", "乙指挥部"]))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == TITLE
    assert list(rows[1]) == [h.replace("(", "（").replace(")", "）") for h in HEADERS]  # as offices write them
    by_name = {r[2]: r for r in rows[2:5]}
    assert sorted(by_name) == sorted(["智能制造产业园", "滨海大道", "乙区安置房"])
    assert sorted(r[0] for r in rows[2:5]) == [1, 2, 3]
    first = by_name["智能制造产业园"]
    assert first[1:3] == ("P001", "智能制造产业园")
    assert first[4:9] == (50000, 10000, 1500.25, 4500.75, 45.01)
    assert first[11:] == ("甲指挥部", "张三")
    assert by_name["滨海大道"][1] is None and by_name["滨海大道"][4] == 12345.678901
    totals = rows[5]
    assert totals[0] == "合计"
    assert Decimal(str(totals[4])) == Decimal("70345.678901")
    assert totals[5:9] == (12000, 1800.25, 4800.75, 40.01)
    assert len(rows) == 6
    assert sheet.freeze_panes == "A3"
    assert sheet.cell(2, 1).font.b
    assert sheet.cell(3, 5).number_format == "#,##0.00"


def test_it_titles_january_without_a_range(projects):
    assert exported(Project.objects.all(), month=1).cell(1, 1).value == "2021年1月重点项目投资进展情况表"


def test_a_round_trip_changes_nothing(projects):
    before = state()
    data = excel.export_bytes(Project.objects.all(), YEAR, MONTH)
    result = run(data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert result.warnings == []
    assert state() == before


# Import: the table -------------------------------------------------------------------------


def test_it_creates_projects_with_plan_month_and_texts(world):
    data = table(
        row(1, "N1", "新建厂房", "甲指挥部", "1234.5678", 300, "12.34", content="两栋", progress="桩基", leader="李四"),
        row(2, "", "乙区道路", "乙指挥部", 800),
    )
    result = run(data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    p = Project.objects.get(code="N1")
    assert (p.unit, p.total_investment, p.content, p.progress_text, p.leader) == (
        world.a,
        Decimal("12345678.00"),
        "两栋",
        "桩基",
        "李四",
    )
    assert (p.level, p.category) == (Project.Level.GENERAL, Project.Category.OTHER)
    assert p.plans.get(year=YEAR).amount == Decimal("3000000.00")
    assert p.investments.get().month == date(YEAR, MONTH, 1)
    assert p.investments.get().amount == Decimal("123400.00")
    road = Project.objects.get(name="乙区道路")
    assert road.code is None and road.total_investment == Decimal("8000000.00")
    assert not road.plans.exists() and not road.investments.exists()


def test_it_updates_by_code_and_by_name_within_the_unit(projects):
    p1, p2, *_ = projects
    data = table(
        row(1, "P001", "智能制造产业园(一期)", "甲指挥部", 50000, 12000, 1600, progress="主体封顶"),
        row(2, "", "滨海大道", "甲指挥部", 13000, 5000, 100),
    )
    result = run(data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert (p1.name, p1.progress_text, p1.content, p1.leader) == ("智能制造产业园(一期)", "主体封顶", "厂房", "张三")
    assert p1.plans.get(year=YEAR).amount == wan(12000)
    assert p1.investments.get(month=date(YEAR, 5, 1)).amount == wan(1600)
    assert p1.investments.count() == 3
    assert p2.total_investment == wan(13000)
    assert p2.plans.get(year=YEAR).amount == wan(5000)
    assert [c.fields for c in result.changes] == [
        ["项目名称", "形象进度", "年度计划投资", "本月完成"],
        ["总投资", "年度计划投资", "本月完成"],
    ]


def test_it_reads_a_file_without_the_code_column(projects):
    headers = [h for h in HEADERS if h != "项目编号"]
    data = table(["1", "智能制造产业园", "", 50000, 10000, 1500.25, "", "", "", "", "甲指挥部", ""], headers=headers)
    result = run(data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_new_code_goes_to_the_uncoded_project_of_that_name(projects):
    result = run(table(row(1, "P002", "滨海大道", "甲指挥部", "12345.678901")))
    assert result.ok, result.errors
    assert Project.objects.get(code="P002") == projects[1]


@pytest.mark.parametrize(
    ("header", "value", "yuan"),
    [
        ("总投资(亿元)", 1.5, Decimal("150000000.00")),
        ("总投资(万元)", 1.5, Decimal("15000.00")),
        ("总投资（万元）", "1,234.5", Decimal("12345000.00")),
        ("总投资 (元)", 1234.567, Decimal("1234.57")),
        ("总投资（亿元）", 0.1 + 0.2, Decimal("30000000.00")),
    ],
)
def test_it_reads_the_unit_written_in_the_header(world, header, value, yuan):
    result = run(table([1, "新项目", "甲指挥部", value], headers=["序号", "项目名称", "责任单位", header]))
    assert result.ok, result.errors
    assert Project.objects.get().total_investment == yuan
    assert "金额单位：" + header.replace("(", "（").split("（")[-1].split("(")[-1].strip("（）() ") in "".join(
        result.understood
    ).replace(" ", "")


def test_a_header_without_a_unit_asks_for_one_then_reads_it_in_that_unit(world):
    data = table([1, "新项目", "甲指挥部", 0.000001], headers=["序号", "项目名称", "责任单位", "总投资"])
    refused(
        data,
        "工作表“Sheet”：表头“总投资”（D列）及其上方各行都没有写明金额单位，请为本次导入选择单位（元、万元或亿元）。",
    )
    result = run(data, unit="万元")
    assert result.ok, result.errors
    assert Project.objects.get().total_investment == Decimal("0.01")


def test_it_skips_title_rows_blank_rows_and_the_totals_row(world):
    data = xlsx(
        [
            ["2021年1-5月重点项目投资进展情况表"],
            ["填报单位:测试区", None, None, "单位:万元"],
            [],
            HEADERS,
            row(1, "A1", "一号项目", "甲指挥部", 100),
            [],
            ["", "", "  ", None],
            row(2, "A2", "二号项目", "甲指挥部", 200),
            ["合  计", "", "", "", 300],
            ["", "", "总计(共2个项目)", "", 300],
        ]
    )
    result = run(data)
    assert result.ok, result.errors
    assert result.rows == 2
    assert sorted(Project.objects.values_list("code", flat=True)) == ["A1", "A2"]


def test_derived_columns_that_disagree_are_warnings_and_not_stored(projects):
    p1 = projects[0]
    data = table(
        row(
            1,
            "P001",
            "智能制造产业园",
            "甲指挥部",
            50000,
            10000,
            1500.25,
            ytd=9999,
            pct="99.9%",
            content="厂房",
            leader="张三",
        )
    )
    result = run(data)
    refused(
        data, "第3行：文件中年度累计完成为9,999.00万元，而督办中为4,500.75万元（5月以前各月加本月），请选择以哪个为准。"
    )
    result = run(data, ytd=excel.KEEP)
    assert result.ok, result.errors
    assert result.warnings == [
        "第3行：文件中年度累计完成为9,999.00万元，按导入后的数据应为4,500.75万元，以计算结果为准。",
        "第3行：文件中完成率为99.9%，按导入后的数据应为45.01%，以计算结果为准。",
    ]
    assert (result.updated, result.unchanged) == (0, 1)
    assert p1.investments.count() == 3


def test_agreeing_derived_columns_give_no_warning(projects):
    data = table(row(1, "P001", "智能制造产业园", "甲指挥部", 50000, 10000, 1500.25, ytd="4500.75", pct=45.01))
    assert run(data).warnings == []


def test_a_dry_run_writes_nothing(projects):
    before = state()
    data = table(row(1, "P001", "改名", "甲指挥部", 60000, 1, 2), row(2, "X9", "新项目", "甲指挥部", 10))
    result = run(data, dry_run=True)
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert state() == before


def test_an_empty_cell_leaves_the_stored_value(projects):
    p1 = projects[0]
    result = run(table(row(1, "P001", "智能制造产业园", "甲指挥部", "", "", "")))
    assert result.ok and result.unchanged == 1
    p1.refresh_from_db()
    assert p1.total_investment == wan(50000) and p1.content == "厂房"


def test_the_title_gives_the_month_when_none_is_chosen(projects):
    result = excel.import_file(table(row(1, "P003", "乙区安置房", "乙指挥部", 8000, 2000, 400)))
    assert result.ok and (result.year, result.month) == (2021, 5)
    assert projects[2].investments.get(month=date(2021, 5, 1)).amount == wan(400)


def test_a_title_for_another_month_is_refused(projects):
    refused(
        table(row(1, "P003", "乙区安置房", "乙指挥部", 8000, 2000, 400)),
        "文件对应的是2021年5月（第1行：“2021年1-5月重点项目投资进展情况表”），而导入的是2021年6月，请选择表格对应的月份。",
        month=6,
    )


def test_a_month_still_to_come_is_refused(projects):
    year = date.today().year + 1
    data = table(row(1, "P003", "乙区安置房", "乙指挥部", 8000), titles=())
    refused(data, f"{year}年12月尚未到来，不能导入完成投资。", year=year, month=12)


# Import: the monthly layout ----------------------------------------------------------------


def monthly(*rows):
    return xlsx([MONTHLY_HEADERS, *rows])


def test_it_imports_project_month_rows_in_any_month_notation(projects):
    p1, p2, p3, _ = projects
    data = monthly(
        ["P001", "", "", "2021-01", 10],
        ["P001", "", "", "2021年2月", "20.5"],
        ["", "滨海大道", "甲指挥部", datetime(2021, 3, 15), 30],
        ["P003", "乙区安置房", "乙指挥部", "2021/5", 300],
        ["P001", "智能制造产业园", "甲指挥部", "2021-05", 1600],
    )
    result = excel.import_file(data)
    assert result.ok, result.errors
    assert result.layout == excel.MONTHLY
    assert (result.created, result.updated, result.unchanged) == (3, 1, 1)
    assert p1.investments.get(month=date(2021, 2, 1)).amount == Decimal("205000.00")
    assert p1.investments.get(month=date(2021, 5, 1)).amount == wan(1600)
    assert p2.investments.get().month == date(2021, 3, 1)
    again = excel.import_file(data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_the_monthly_layout_round_trips(projects):
    entries = MonthlyInvestment.objects.select_related("project__unit")
    rows = [(m.project.code, m.project.name, m.project.unit.name, m.month, m.amount) for m in entries]
    buffer = io.BytesIO()
    excel.monthly_workbook(rows).save(buffer)
    before = state()
    result = excel.import_file(buffer.getvalue())
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert state() == before


def test_a_monthly_row_for_an_unknown_project_is_an_error(projects):
    before = state()
    result = excel.import_file(monthly(["P999", "", "", "2021-01", 1], ["", "没有的项目", "甲指挥部", "2021-01", 1]))
    assert result.errors == ["第2行：没有编号为“P999”的项目。", "第3行：甲指挥部没有名为“没有的项目”的项目。"]
    assert state() == before


def test_a_project_month_twice_is_an_error(projects):
    result = excel.import_file(monthly(["P001", "", "", "2021-01", 1], ["P001", "", "", "2021年1月", 2]))
    assert result.errors == ["第3行：项目“智能制造产业园”2021年1月的数据与第2行重复。"]


def test_a_month_that_cannot_be_read_is_an_error(projects):
    result = excel.import_file(monthly(["P001", "", "", "五月", 1], ["P001", "", "", 2021.05, 1]))
    assert result.errors == [
        "第2行：月份“五月”无法识别（应写作2021-05、2021年5月或日期）。",
        "第3行：月份“2021.05”无法识别（应写作2021-05、2021年5月或日期）。",
    ]


# Bad files: each refused whole, with a Chinese message, nothing changed --------------------


def refused(data, message, **kwargs):
    before = state()
    result = run(data, **kwargs)
    assert not result.ok
    assert message in result.errors, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert state() == before
    return result


def test_it_refuses_a_file_that_is_not_excel(projects):
    refused(b"xiang mu,zong tou zi\n1,2\n", "这不是Excel文件（.xlsx或.xls）。")


def test_it_refuses_a_zip_that_is_not_a_workbook(projects):
    buffer = io.BytesIO()
    with __import__("zipfile").ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w/>")
    refused(buffer.getvalue(), "这不是Excel文件（.xlsx或.xls）。")


def test_it_refuses_missing_required_headers_and_names_them(projects):
    refused(table([1, "项目"], headers=["序号", "项目名称", "建设内容"]), "缺少必需的列：责任单位、总投资。")


def test_it_refuses_a_sheet_without_a_header_row(projects):
    refused(
        xlsx([["项目", "单位"], ["a", "b"]]),
        "工作表“Sheet”的前30行中找不到表头（需要这些列：项目名称、责任单位、总投资）；请删除这些工作表或改正表头后重新导入。",
    )


def test_it_refuses_text_in_a_number_cell(projects):
    refused(table(row(1, "", "新项目", "甲指挥部", "abc")), "第3行：总投资“abc”不是数字。")


def test_it_refuses_a_negative_amount(projects):
    refused(table(row(1, "P001", "智能制造产业园", "甲指挥部", 50000, -5)), "第3行：年度计划投资不能为负数（-5万元）。")


def test_it_refuses_an_absurd_total(projects):
    refused(
        table([1, "巨型项目", "甲指挥部", 20000], headers=["序号", "项目名称", "责任单位", "总投资(万亿元)"]),
        "工作表“Sheet”：表头“总投资(万亿元)”（D列）中的金额单位无法识别（应为元、万元或亿元）。",
    )
    refused(
        table([1, "巨型项目", "甲指挥部", 20000], headers=["序号", "项目名称", "责任单位", "总投资(亿元)"]),
        "第3行：总投资20000亿元超出合理范围（超过10000亿元），请检查表头中的单位。",
    )


def test_it_refuses_a_month_above_the_total(projects):
    refused(
        table(row(1, "P003", "乙区安置房", "乙指挥部", 8000, 2000, 9000)),
        "第3行：本月完成（9,000.00万元）超过项目总投资（8,000.00万元）。",
    )
    refused(
        monthly(["P004", "", "", "2021-01", 3001]), "第2行：本月完成（3,001.00万元）超过项目总投资（3,000.00万元）。"
    )


def test_it_refuses_a_code_twice_in_the_file(projects):
    refused(
        table(row(1, "N1", "项目一", "甲指挥部", 1), row(2, "N1", "项目二", "甲指挥部", 2)),
        "第4行：项目编号“N1”与第3行重复。",
    )


def test_it_refuses_an_unknown_unit(projects):
    refused(table(row(1, "", "项目", "丁指挥部", 1)), "第3行：责任单位“丁指挥部”不存在。")


def test_it_finds_a_unit_by_its_short_name(world):
    OrgUnit.objects.filter(pk=world.a.pk).update(short_name="甲")
    assert run(table(row(1, "", "项目", "甲", 1))).ok
    assert Project.objects.get().unit == world.a


def test_it_refuses_an_empty_file(projects):
    refused(b"", "文件是空的。")


def test_it_refuses_a_sheet_without_data_rows(projects):
    refused(table(["合计", "", "", "", 0]), "表格中没有数据行。")


def test_it_refuses_a_file_above_the_limit_before_reading_it(projects, monkeypatch):
    def no_parsing(data):
        raise AssertionError("parsed")

    monkeypatch.setattr(excel, "read_workbook", no_parsing)
    big = spreadsheet.XLSX_MAGIC + bytes(20 * 1024 * 1024)
    refused(big, "文件超过10 MB，请拆分后再导入。")


def test_it_refuses_a_workbook_that_unpacks_too_large(projects, monkeypatch):
    monkeypatch.setattr(spreadsheet.files, "MAX_UNPACKED_BYTES", 1024 * 1024)
    rows = [row(n, "", f"项目{n}", "甲指挥部", 1, content="很长的建设内容" * 5000) for n in range(40)]
    refused(table(*rows), "文件解压后超过1 MB，请拆分后再导入。")


def test_it_refuses_a_column_twice_and_a_project_twice(projects):
    headers = ["序号", "项目名称", "责任单位", "总投资(万元)", "总投资（万元）"]
    refused(
        table([1, "项目", "甲指挥部", 1, 1], headers=headers), "工作表“Sheet”：表头中“总投资”列出现了两次（D列和E列）。"
    )
    data = table(row(1, "", "同名项目", "甲指挥部", 1), row(2, "", "同名项目", "甲指挥部", 2))
    refused(data, "第4行：甲指挥部的项目“同名项目”与第3行重复。")


def test_one_bad_row_refuses_the_whole_file(projects):
    data = table(row(1, "", "好项目", "甲指挥部", 1), row(2, "", "坏项目", "甲指挥部", "1亿"))
    result = refused(data, "第4行：总投资“1亿”不是数字。")
    assert len(result.errors) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_it_reads_an_old_xls_file(world, tmp_path):
    source = tmp_path / "projects.xlsx"
    source.write_bytes(table(row(1, "X1", "老格式项目", "甲指挥部", "1234.56", 100, 10)))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xls", "--outdir"]
        + [str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "projects.xls").read_bytes()
    assert data.startswith(spreadsheet.XLS_MAGIC)
    result = run(data)
    assert result.ok, result.errors
    p = Project.objects.get(code="X1")
    assert p.total_investment == Decimal("12345600.00")
    assert p.investments.get().amount == Decimal("100000.00")


# Scoping ------------------------------------------------------------------------------------


def test_a_reporter_imports_only_their_units_projects(projects, world):
    data = table(
        row(1, "P001", "智能制造产业园", "甲指挥部", 50000, 10000, 1700), row(2, "", "甲新项目", "甲一工作组", 5)
    )
    assert run(data, scope=Scope(world.owner)).ok


def test_a_colleagues_rows_for_another_unit_are_refused(projects, world):
    data = table(
        row(1, "P001", "智能制造产业园", "甲指挥部", 50000, 10000, 1700), row(2, "P003", "乙区安置房", "乙指挥部", 8000)
    )
    before = state()
    result = run(data, scope=Scope(world.colleague))
    assert result.errors == ["第3行：无权导入责任单位“甲指挥部”的项目。"]
    assert state() == before


def test_a_project_cannot_be_moved_to_a_unit_one_does_not_own(projects, world):
    result = run(table(row(1, "P001", "智能制造产业园", "乙指挥部", 50000)), scope=Scope(world.owner))
    assert result.errors == ["第3行：无权导入责任单位“乙指挥部”的项目。"]


def test_the_office_imports_for_the_units_of_its_zone(projects, world):
    assert run(monthly(["P001", "", "", "2021-01", 1], ["P003", "", "", "2021-01", 1]), scope=Scope(world.office)).ok
    data = monthly(["P001", "", "", "2021-01", 1], ["P004", "", "", "2021-01", 1])
    assert run(data, scope=Scope(world.office)).errors == ["第3行：无权导入责任单位“丙指挥部”的项目。"]
    assert run(monthly(["P004", "", "", "2021-01", 1]), scope=Scope(world.other_office)).ok


# The pages ----------------------------------------------------------------------------------


def upload(client, data, **extra):
    payload = {"file": SimpleUploadedFile("重点项目.xlsx", data), "year": YEAR, "month": MONTH, **extra}
    return client.post(reverse("project_import"), payload)


def test_the_pages_send_anonymous_users_to_login(world, client):
    for name in ("project_import", "project_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_readers_without_edit_rights_cannot_import(projects, world, login):
    client = login(world.leader)
    assert client.get(reverse("project_import")).status_code == 403
    assert upload(client, monthly(["P001", "", "", "2021-01", 1])).status_code == 403
    assert client.get(reverse("project_export")).status_code == 200


def test_the_owner_checks_then_confirms_an_import(projects, world, login, tmp_path):
    client = login(world.owner)
    assert client.get(reverse("project_import")).status_code == 200
    before = state()
    response = upload(client, table(row(1, "P001", "智能制造产业园", "甲指挥部", 50000, 10000, 1700)))
    page = response.content.decode()
    assert "新建0条，更新1条，未变0条。" in page
    assert "导入这些更改" in page
    assert state() == before
    token = client.session["project_import"]["token"]
    response = client.post(reverse("project_import"), {"confirm": "1", "token": token}, follow=True)
    assert "已导入重点项目.xlsx：新建0条，更新1条，未变0条。" in response.content.decode()
    assert projects[0].investments.get(month=date(YEAR, MONTH, 1)).amount == wan(1700)
    assert "project_import" not in client.session
    assert list((tmp_path / pending_uploads.FOLDER).iterdir()) == []
    again = client.post(reverse("project_import"), {"confirm": "1", "token": token}, follow=True)
    assert "预览已过期，请重新上传文件。" in again.content.decode()


def test_the_page_shows_row_errors_for_a_colleague(projects, world, login):
    before = state()
    response = upload(login(world.colleague), table(row(1, "P001", "智能制造产业园", "甲指挥部", 50000, 1, 1)))
    page = response.content.decode()
    assert "第3行：无权导入责任单位“甲指挥部”的项目。" in page
    assert "文件有1个错误，未导入任何数据。" in page
    assert "project_import" not in login(world.colleague).session
    assert state() == before


def test_an_outsider_cannot_import_others_projects(projects, world, login):
    before = state()
    client = login(world.outsider)
    response = upload(client, monthly(["P001", "", "", "2021-01", 1], ["P004", "", "", "2021-01", 1]))
    assert "第2行：无权导入责任单位“甲指挥部”的项目。" in response.content.decode()
    assert state() == before


def test_the_page_refuses_a_bad_file(projects, world, login):
    response = upload(login(world.owner), b"not excel")
    assert "这不是Excel文件（.xlsx或.xls）。" in response.content.decode()


def test_export_contains_only_the_users_visible_projects(projects, world, login):
    response = login(world.owner).get(reverse("project_export"), {"year": YEAR, "month": MONTH})
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert "filename*=UTF-8''2021%E5%B9%B4" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [r[2] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names[:-1]) == sorted(["智能制造产业园", "滨海大道"]) and names[-1] == "共2个项目"


def test_export_filters_and_the_office_sees_its_zone(projects, world, login):
    client = login(world.office)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("project_export")).content)).active
    assert sheet.max_row == 2 + 3 + 1  # P001–P003; P004 is the other zone's
    response = client.get(reverse("project_export"), {"unit": world.b.pk, "year": YEAR, "month": MONTH})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == ["乙区安置房", "共1个项目"]
    Project.objects.filter(code="P004").update(level=Project.Level.PROVINCIAL)
    client = login(world.other_office)
    response = client.get(reverse("project_export"), {"level": "provincial", "year": YEAR, "month": MONTH})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == ["丙区学校", "共1个项目"]


def test_export_ignores_filters_out_of_reach_like_the_list(projects, world, login):
    """Unknown filter values are ignored, as on the list page; the scope still applies."""
    response = login(world.owner).get(reverse("project_export"), {"unit": world.c.pk, "level": "nonsense"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert sorted(r[2] for r in rows[:-1]) == sorted(["智能制造产业园", "滨海大道"])


# The command --------------------------------------------------------------------------------


def test_the_command_dry_run_and_import(projects, tmp_path):
    path = tmp_path / "projects.xlsx"
    path.write_bytes(table(row(1, "C1", "命令行项目", "乙指挥部", 100, 50, 5)))
    out = io.StringIO()
    call_command("import_projects", str(path), "--dry-run", "--year", "2021", "--month", "5", stdout=out)
    assert "试运行，未写入：新建1条，更新0条，未变0条。" in out.getvalue()
    assert not Project.objects.filter(code="C1").exists()
    call_command("import_projects", str(path), stdout=out)  # the month from the title
    assert Project.objects.get(code="C1").investments.get().month == date(2021, 5, 1)


def test_the_command_fails_on_errors(projects, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(table(row(1, "", "项目", "丁指挥部", 1)))
    err = io.StringIO()
    with pytest.raises(CommandError, match="文件有1个错误，未导入任何数据"):
        call_command("import_projects", str(path), "--year", "2021", "--month", "5", stderr=err)
    assert "第3行：责任单位“丁指挥部”不存在。" in err.getvalue()
