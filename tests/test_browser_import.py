"""The projects import page in a browser: the office uploads its own table (amounts in 亿元 by a
note row, the month in the title, a section row and a 合计 row), reads what was understood,
confirms, and sees the office's year-to-date figure on the project page."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.browser


def office_table(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "12月"
    for row in (
        ["2021年1-12月重点项目投资进展情况表"],
        ["填报日期:2022年1月5日", None, None, None, None, None, "单位:亿元"],
        ["序号", "项目名称", "责任单位", "总投资", "年度投资计划", "12月完成投资", "1-12月累计完成"],
        ["一、省重点项目"],
        [1, "滨江新城", "甲指挥部", 30, 20, 2.48, 17.65],
        ["合计", None, None, 30, 20, 2.48, 17.65],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_the_office_checks_reads_what_was_understood_confirms_and_sees_its_figures(
    settings, server, world, page, tmp_path, monkeypatch
):
    from projects.models import Project

    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('project_import')}")
    page.set_input_files("input[name=file]", str(office_table(tmp_path / "重点项目.xlsx")))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-understood")
    understood = page.inner_text("#import-understood")
    assert "工作表“12月”：表头在第3行；数据1行。" in understood
    assert "金额单位：亿元（第2行：“单位:亿元”）" in understood
    assert "所属期间：2021年12月" in understood
    assert "分类标题行1行，小计或合计行1行" in understood
    assert not Project.objects.exists()
    page.screenshot(path=ARTIFACTS / "project-import-check.png", full_page=True)

    page.click("button[name=confirm]")
    page.wait_for_selector(".msg-success, .messages")
    project = Project.objects.get(name="滨江新城")
    page.goto(f"{server.url}{reverse('project_detail', args=[project.pk])}?year=2021")
    assert page.inner_text("#ytd") == "176,500.00"  # 17.65 亿元 in 万元, as the office's table says
    assert "1-11月" in page.inner_text("#year-opening") and "重点项目.xlsx" in page.inner_text("#year-opening")
    page.screenshot(path=ARTIFACTS / "project-opening.png", full_page=True)
