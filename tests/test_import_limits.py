"""Uploads refused before they are parsed: sheets of too many rows (declared or counted),
macro workbooks; and the reasons a file is refused said in Chinese, never the reader's English."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban import spreadsheet
from projects.models import Project
from requisition.models import Household
from tests.import_helpers import raw_sheet, roster, village, with_macros, xlsx

MILLION = 1_048_576


@pytest.fixture(autouse=True)
def pending_dir(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it


@pytest.fixture
def no_parsing(monkeypatch):
    """calamine must not be reached: the file is refused before."""

    def parse(*args, **kwargs):
        raise AssertionError("the sheet was parsed")

    monkeypatch.setattr(spreadsheet.CalamineWorkbook, "from_filelike", parse)


def upload_roster(client, data, name="花名册.xlsx"):
    return client.post(reverse("requisition_import"), {"file": SimpleUploadedFile(name, data)})


def upload_projects(client, data, name="项目表.xlsx"):
    return client.post(reverse("project_import"), {"file": SimpleUploadedFile(name, data)})


def test_it_refuses_a_sheet_declaring_a_million_rows_before_parsing_it(world, login, no_parsing):
    village(world)
    data = raw_sheet(MILLION, dimension=MILLION)
    assert len(data) < 400 * 1024
    page = upload_roster(login(world.owner), data).content.decode()
    assert "工作表有1,048,576行，一次导入最多200,000行，请拆分后分别导入。" in page
    assert Household.objects.count() == 0


def test_it_counts_the_rows_of_a_sheet_without_a_dimension(world, login, no_parsing):
    village(world)
    page = upload_roster(login(world.owner), raw_sheet(MILLION)).content.decode()
    assert "工作表超过200,000行，超出一次导入的上限，请拆分后分别导入。" in page
    assert Household.objects.count() == 0


def test_it_reads_the_highest_row_number_of_a_sparse_sheet(world, login, no_parsing):
    village(world)
    page = upload_roster(login(world.owner), raw_sheet(3, last_row=MILLION)).content.decode()
    assert "工作表有1,048,576行" in page
    assert Household.objects.count() == 0


def test_it_refuses_rows_above_the_setting(world, login, settings):
    settings.DUBAN_IMPORT_MAX_ROWS = 10
    village(world)
    page = upload_roster(login(world.owner), roster(12)).content.decode()
    assert "工作表有13行，一次导入最多10行，请拆分后分别导入。" in page
    assert Household.objects.count() == 0
    assert "roster_import" not in login(world.owner).session


def test_it_takes_a_roster_below_the_limit(world, login, settings):
    settings.DUBAN_IMPORT_MAX_ROWS = 13
    village(world)
    page = upload_roster(login(world.owner), roster(12)).content.decode()
    assert "新建12条，更新0条，未变0条。" in page


def test_it_refuses_a_million_rows_in_the_project_importer(world, login, no_parsing):
    page = upload_projects(login(world.office), raw_sheet(MILLION, dimension=MILLION)).content.decode()
    assert "工作表有1,048,576行，一次导入最多200,000行" in page
    assert Project.objects.count() == 0


# Macro workbooks ---------------------------------------------------------------------------------

MACROS = "这个工作簿含有宏（.xlsm），请另存为不含宏的Excel工作簿（.xlsx）后再导入。"


def test_it_refuses_a_macro_workbook_named_xlsx_in_the_roster_importer(world, login):
    village(world)
    page = upload_roster(login(world.owner), with_macros(roster(2))).content.decode()
    assert MACROS in page
    assert Household.objects.count() == 0


def test_it_refuses_a_workbook_with_only_a_vba_project(world, login):
    village(world)
    page = upload_roster(login(world.owner), with_macros(roster(2), content_type=False)).content.decode()
    assert MACROS in page
    assert Household.objects.count() == 0


def test_it_refuses_an_xlsm_file_by_its_name(world, login):
    village(world)
    page = upload_roster(login(world.owner), roster(2), name="花名册.xlsm").content.decode()
    assert MACROS in page
    assert Household.objects.count() == 0


def test_it_refuses_a_macro_workbook_in_the_project_importer(world, login):
    data = with_macros(xlsx([["项目名称", "责任单位", "总投资(万元)"], ["新项目", "甲指挥部", 100]]))
    page = upload_projects(login(world.office), data).content.decode()
    assert MACROS in page
    assert Project.objects.count() == 0


# Messages in Chinese -----------------------------------------------------------------------------


def _broken_workbook():
    """A zip that looks like a workbook ([Content_Types].xml, xl/…) but is none."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buffer.getvalue()


def test_it_says_why_a_file_cannot_be_read_in_chinese(world, login):
    village(world)
    page = upload_roster(login(world.owner), _broken_workbook()).content.decode()
    assert "无法读取这个Excel文件：文件已损坏，或者不是真正的Excel文件。" in page
    assert "Cannot" not in page and "format" not in page.lower().split("<form")[0]
    assert Household.objects.count() == 0


def test_it_says_why_a_project_file_cannot_be_read_in_chinese(world, login):
    page = upload_projects(login(world.office), _broken_workbook()).content.decode()
    assert "无法读取这个Excel文件：文件已损坏，或者不是真正的Excel文件。" in page
    assert "Cannot" not in page
    assert Project.objects.count() == 0
