"""Every table page answers ?format=xlsx with the page's rows (duban/table_export.py): the same
units in the same order, figures stored as numbers with their number formats, the office layout
(title row, units in headers, frozen header, A4 landscape fit to width, title rows repeated),
scoped like the page and recorded in the audit trail."""

import html as html_lib
import re
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Entry
from tests import zone_helpers

home = zone_helpers.home  # the fixtures
media = zone_helpers.media

HEADER_ROW = 3  # title, as-of, header


def page_rows(response, table_id):
    """The body rows of the page's table `table_id`, each a list of its cells' texts."""
    text = response.content.decode()
    table = re.search(rf'<table[^>]*id="{table_id}"[^>]*>(.*?)</table>', text, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return [r for r in rows if len(r) > 1]


def shown(cell):
    """A cell as Excel shows it with its number format."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    fmt = cell.number_format
    if fmt == "0.00%":
        return f"{value * 100:,.2f}%"
    if fmt == "#,##0.00":
        return f"{value:,.2f}"
    if fmt == "#,##0":
        return f"{value:,.0f}"
    if fmt == "yyyy-mm-dd":
        return f"{value:%Y-%m-%d}"
    return str(value)


def sheet_of(response, n=0):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(BytesIO(response.content))
    return book.worksheets[n]


def body(sheet, totals=False):
    """The sheet's data rows (below the header; the totals row apart when `totals`)."""
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1) if any(c.value is not None for c in r)]
    if totals:
        return rows[:-1], rows[-1]
    return rows


def assert_layout(sheet, title_part):
    assert title_part in sheet.cell(1, 1).value
    assert "数据截至" in (sheet.cell(2, 1).value or "") or sheet.cell(2, 1).value is None
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"$1:${HEADER_ROW}"


def assert_same_rows(page, rows, columns=None):
    """Each sheet row shows what the page's row shows, cell by cell (the page's cell may say
    more: a badge, a detail under the figure)."""
    assert len(rows) == len(page)
    for page_row, sheet_row in zip(page, rows, strict=True):
        picked = [page_row[i] for i in columns] if columns else page_row
        assert len(picked) == len(sheet_row)
        for page_cell, cell in zip(picked, sheet_row, strict=True):
            assert shown(cell) in page_cell, (page_cell, shown(cell))


def numbers_in(rows, column):
    cells = [r[column] for r in rows]
    return cells


def assert_numeric(cells, fmt):
    for cell in cells:
        if cell.value in (None, "—"):
            continue
        assert isinstance(cell.value, int | float), cell.value
        assert cell.number_format == fmt


def get_both(client, url, data=None):
    data = dict(data or {})
    return client.get(url, data), client.get(url, {**data, "format": "xlsx"})


# --- the league table ---


def test_league_xlsx_has_the_page_rows_as_numbers(home, login):
    w = home
    url = reverse("league", args=[w.campaign.pk])
    page, xlsx = get_both(login(w.office), url)
    sheet = sheet_of(xlsx)
    assert_layout(sheet, w.campaign.name)
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert "交地面积(亩)" in headers and "征迁户数(户)" in headers
    rows = body(sheet)
    assert_same_rows(page_rows(page, "league"), rows)
    land = headers.index("交地面积(亩)")
    assert_numeric(numbers_in(rows, land), "#,##0.00")
    assert_numeric(numbers_in(rows, land + 1), "0.00%")
    assert_numeric(numbers_in(rows, headers.index("征迁户数(户)")), "#,##0")
    a_row = next(r for r in rows if r[2].value == w.a.name)
    assert a_row[land].value == 10.0
    assert Entry.objects.filter(action=Entry.Action.EXPORT, note__contains=".xlsx").exists()
