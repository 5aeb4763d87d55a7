"""Every table page answers ?format=xlsx with the page's rows (duban/table_export.py): the same
units in the same order, figures stored as numbers with their number formats, the office layout
(title row, units in headers, frozen header, A4 landscape fit to width, title rows repeated),
scoped like the page and recorded in the audit trail."""

import html as html_lib
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Entry
from duban.numbers import is_count
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
    assert "交地面积（亩）" in headers and "征迁户数（户）" in headers
    rows = body(sheet)
    assert_same_rows(page_rows(page, "league"), rows)
    land = headers.index("交地面积（亩）")
    assert_numeric(numbers_in(rows, land), "#,##0.00")
    assert_numeric(numbers_in(rows, land + 1), "0.00%")
    assert_numeric(numbers_in(rows, headers.index("征迁户数（户）")), "#,##0")
    a_row = next(r for r in rows if r[2].value == w.a.name)
    assert a_row[land].value == 10.0
    assert Entry.objects.filter(action=Entry.Action.EXPORT, note__contains=".xlsx").exists()


# --- the assessment: week, month, a published ranking ---


def assessment_columns(parts):
    """Sheet columns → page columns: rank, change, unit, points and rate of each part (both in
    the part's cell), total, status."""
    return [0, 1, 2, *[3 + n for n in range(parts) for _twice in (0, 1)], 3 + parts, 4 + parts]


@pytest.mark.parametrize("name", ["assessment_week", "assessment_month"])
def test_assessment_xlsx_has_the_page_rows(home, login, name):
    w = home
    page, xlsx = get_both(login(w.office), reverse(name, args=[w.campaign.pk]))
    sheet = sheet_of(xlsx)
    assert_layout(sheet, w.campaign.name)
    data = page.context["data"]
    rows = body(sheet)
    assert_same_rows(page_rows(page, "assessment"), rows, assessment_columns(len(data["parts"])))
    total = 3 + 2 * len(data["parts"])
    assert_numeric(numbers_in(rows, total), "#,##0.00")
    assert [r[total].value for r in rows] == [float(r["total"]) for r in data["rows"]]
    for n in range(len(data["parts"])):
        assert_numeric(numbers_in(rows, 3 + 2 * n), "#,##0.00")
        assert_numeric(numbers_in(rows, 4 + 2 * n), "0.00%")
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert any("分）" in h for h in headers[3:total])


def test_published_ranking_xlsx_is_the_frozen_data(home, login):
    w = home
    url = reverse("assessment_publication", args=[w.campaign.pk, w.publication.pk])
    page, xlsx = get_both(login(w.office), url)
    sheet = sheet_of(xlsx)
    assert_layout(sheet, w.campaign.name)
    data = w.publication.data
    rows = body(sheet)
    assert_same_rows(page_rows(page, "assessment"), rows, assessment_columns(len(data["parts"])))
    assert [r[2].value for r in rows] == [r["unit"] for r in data["rows"]]


# --- the campaign's progress ---


def test_campaign_progress_xlsx_has_a_sheet_per_indicator_with_totals(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("campaign_detail", args=[w.campaign.pk]))
    book = load_workbook(BytesIO(xlsx.content))
    indicators = [s["indicator"] for s in page.context["sections"]]
    assert book.sheetnames == [i.name for i in indicators]
    for indicator, sheet in zip(indicators, book.worksheets, strict=True):
        assert_layout(sheet, indicator.name)
        headers = [c.value for c in sheet[HEADER_ROW]]
        assert f"目标任务（{indicator.unit_of_measure}）" in headers
        rows, totals = body(sheet, totals=True)
        assert_same_rows(page_rows(page, f"progress-{indicator.code}"), rows)
        figure = "#,##0" if is_count(indicator.unit_of_measure) else "#,##0.00"
        assert_numeric(numbers_in([*rows, totals], 2), figure)
        assert_numeric(numbers_in([*rows, totals], 3), figure)
        assert_numeric(numbers_in([*rows, totals], 4), "0.00%")
        assert_numeric(numbers_in([*rows, totals], 5), "0.00%")
        assert_numeric(numbers_in([*rows, totals], 6), "+#,##0.00;-#,##0.00")
        total = page.context["progress"].totals[indicator.pk]
        assert totals[0].value == "合计"
        assert totals[3].value == float(total.done)
    land = book[w.land.name]
    a_row = next(r for r in body(land, totals=True)[0] if r[0].value == w.a.name)
    assert a_row[3].value == 10.0


# --- the submission list ---


def test_submissions_xlsx_lists_every_group(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("office_week", args=[w.week.label]))
    sheet = sheet_of(xlsx)
    assert_layout(sheet, w.week.label)
    rows = body(sheet)[:-1]  # the count of units due under the table
    page_all = [r for n in (1, 2, 3) for r in page_rows(page, f"submissions-{n}")]
    assert_same_rows(page_all, [r[1:] for r in rows])
    groups = page.context["groups"]
    assert [r[0].value for r in rows] == [str(title) for title, entries in page.context["sections"] for _e in entries]
    assert len(rows) == sum(len(g) for g in groups.values())
    assert w.a.name in [r[1].value for r in rows]


# --- the problem list ---


def test_problem_list_xlsx_has_the_page_rows(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("problem_list"))
    sheet = sheet_of(xlsx)
    assert_layout(sheet, "问题")
    rows = body(sheet)
    # id, title, campaign (under the title), category, raised by and on, department, leader, deadline
    # and its reminder badge, status
    assert_same_rows(page_rows(page, "problems"), rows, [0, 1, 1, 2, 3, 3, 4, 5, 6, 6, 7])
    assert w.problem.pk in [r[0].value for r in rows]
    assert_numeric(numbers_in(rows, 0), "#,##0")
    assert all(r[5].is_date for r in rows)


def test_problem_list_xlsx_keeps_the_filter(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("problem_list"), {"unit": w.a.pk})
    rows = body(sheet_of(xlsx))
    assert [r[0].value for r in rows] == [w.problem.pk]
    assert len(page_rows(page, "problems")) == 1


# --- the task list ---


def test_task_list_xlsx_has_the_figures_with_totals_and_the_items(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("task_list", args=[w.campaign.pk]))
    book = load_workbook(BytesIO(xlsx.content))
    figures, items = book.worksheets
    assert_layout(figures, w.campaign.name)
    rows, totals = body(figures, totals=True)
    assert_same_rows(page_rows(page, "task-figures"), rows)
    for n in range(1, 6):
        assert_numeric(numbers_in([*rows, totals], n), "#,##0")
    assert_numeric(numbers_in([*rows, totals], 6), "0.00%")
    assert totals[1].value == sum(r[1].value for r in rows)
    item_rows = body(items)
    # task, unit, deadline and its badge, status and its done-on-time badge, done on, evidence
    assert_same_rows(page_rows(page, "tasks"), item_rows, [0, 1, 2, 2, 3, 3, 4, 5])
    assert item_rows[0][0].value == w.task.title and item_rows[0][2].is_date


# --- the requisition tallies ---


def test_requisition_tallies_xlsx_has_the_page_rows_and_the_total(home, login):
    w = home
    page, xlsx = get_both(login(w.office), reverse("requisition_unit", args=[w.a.pk]))
    sheet = sheet_of(xlsx)
    assert_layout(sheet, w.a.name)
    rows, totals = body(sheet, totals=True)
    stages = len(page.context["stages"])
    graves, enterprises = 6 + stages, 7 + stages
    columns = [*range(graves), graves, graves, enterprises, enterprises]
    assert_same_rows(page_rows(page, "tallies"), rows, columns)
    assert [r[0].value for r in rows] == [w.area.name]
    assert rows[0][1].value == 1 and totals[1].value == page.context["total"].households
    for n in range(1, 3 + stages):
        assert_numeric(numbers_in([*rows, totals], n), "#,##0")
    assert_numeric(numbers_in([*rows, totals], 3 + stages), "0.00%")


def test_village_tallies_xlsx_has_no_personal_data(home, login):
    w = home
    xlsx = login(w.office).get(reverse("requisition_unit", args=[w.village.pk]), {"format": "xlsx"})
    sheet = sheet_of(xlsx)
    rows = body(sheet)
    assert [r[0].value for r in rows] == [w.village.name]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "户主甲庄" not in text and zone_helpers.ID_NUMBER not in text


# --- scoped like the page ---

PAGES = {
    "league": lambda w: reverse("league", args=[w.campaign.pk]),
    "assessment_week": lambda w: reverse("assessment_week", args=[w.campaign.pk]),
    "assessment_month": lambda w: reverse("assessment_month", args=[w.campaign.pk]),
    "assessment_publication": lambda w: reverse("assessment_publication", args=[w.campaign.pk, w.publication.pk]),
    "campaign_detail": lambda w: reverse("campaign_detail", args=[w.campaign.pk]),
    "office_week": lambda w: reverse("office_week", args=[w.week.label]),
    "problem_list": lambda w: reverse("problem_list"),
    "task_list": lambda w: reverse("task_list", args=[w.campaign.pk]),
    "requisition_unit": lambda w: reverse("requisition_unit", args=[w.a.pk]),
    "requisition_village": lambda w: reverse("requisition_unit", args=[w.village.pk]),
}


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "other_office"])
@pytest.mark.parametrize("name", PAGES)
def test_the_xlsx_answers_as_the_page_does(home, login, name, who):
    w = home
    client = login(getattr(w, who))
    page, xlsx = get_both(client, PAGES[name](w))
    if page.status_code == 200:
        assert xlsx.status_code == 200
        sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
        if who == "other_office":  # a page of its own zone: none of 测试区's names
            assert not zone_helpers.home_names_in(text), text
    else:
        assert xlsx.status_code == page.status_code
        assert "attachment" not in xlsx.get("Content-Disposition", "")


def test_the_outsider_gets_404_for_the_home_campaign(home, login):
    w = home
    client = login(w.outsider)
    for name in ("league", "assessment_week", "campaign_detail", "task_list", "requisition_unit"):
        assert client.get(PAGES[name](w), {"format": "xlsx"}).status_code == 404, name


def test_each_export_is_in_the_audit_trail(home, login):
    w = home
    client = login(w.office)
    before = Entry.objects.filter(action=Entry.Action.EXPORT).count()
    for name in PAGES:
        assert client.get(PAGES[name](w), {"format": "xlsx"}).status_code == 200, name
    entries = Entry.objects.filter(action=Entry.Action.EXPORT).order_by("-pk")[: len(PAGES)]
    assert Entry.objects.filter(action=Entry.Action.EXPORT).count() == before + len(PAGES)
    assert all(".xlsx" in e.note and e.user == w.office for e in entries)


# --- the export module itself ---


def test_a_typed_formula_stays_text_and_percentages_are_fractions():
    from datetime import date
    from decimal import Decimal

    from duban.table_export import COUNT, NUMBER, PERCENT, Column, Table, xlsx_bytes

    table = Table(
        "=HYPERLINK(1)",
        [Column("单位"), Column("面积", "亩", NUMBER), Column("完成率", kind=PERCENT), Column("户数", kind=COUNT)],
        [["=1+1", Decimal("1234.555"), Decimal("61.5"), 3], ["-乙", None, "—", Decimal("4.00")]],
        ["合计", Decimal("1234.555"), Decimal("61.5"), 7],
        date(2026, 12, 4),
    )
    sheet = load_workbook(BytesIO(xlsx_bytes(table))).worksheets[0]
    assert sheet.cell(1, 1).value == "=HYPERLINK(1)" and sheet.cell(1, 1).data_type == "s"
    assert sheet.cell(2, 1).value == "数据截至2026年12月4日"
    assert [c.value for c in sheet[HEADER_ROW]] == ["单位", "面积（亩）", "完成率", "户数"]
    first, second, totals = body(sheet)
    assert first[0].value == "=1+1" and first[0].data_type == "s" and first[0].quotePrefix
    assert first[1].value == 1234.56 and first[2].value == 0.615 and first[3].value == 3
    assert second[0].quotePrefix and second[1].value is None and second[2].value == "—"
    assert second[3].value == 4 and second[3].number_format == "#,##0"
    assert totals[0].font.b and totals[1].value == 1234.56
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"


# --- paginated pages: the export holds every row of every page, in the page's order ---


def all_pages(client, url, table_id, data=None, key="page"):
    """The rows of `table_id` over every page of a paginated page (page=1, 2, … to the last;
    `key`: the page's name in the template's context)."""
    rows, n = [], 1
    while True:
        response = client.get(url, {**(data or {}), "page": n})
        assert response.status_code == 200
        rows += page_rows(response, table_id)
        paginator = response.context[key].paginator
        if n >= paginator.num_pages:
            return rows, paginator.num_pages
        n += 1


def test_the_problem_list_exports_every_page(home, login, monkeypatch):
    from problems import views as problem_views
    from tests.problem_helpers import raise_problem

    w = home
    for n in range(4):
        raise_problem(w, title=f"第{n}号问题", unit=w.b, user=w.colleague)
    from problems.models import Problem

    count = Problem.objects.filter(campaign=w.campaign).count()
    monkeypatch.setattr(problem_views, "PER_PAGE", 2)  # two problems a page
    client = login(w.office)
    rows, pages = all_pages(client, reverse("problem_list"), "problems")
    assert pages == -(-count // 2) >= 3 and len(rows) == count
    sheet_rows = body(sheet_of(client.get(reverse("problem_list"), {"format": "xlsx"})))
    assert_same_rows(rows, sheet_rows, [0, 1, 1, 2, 3, 3, 4, 5, 6, 6, 7])
    # the last page's request exports the same whole list
    last = body(sheet_of(client.get(reverse("problem_list"), {"format": "xlsx", "page": pages})))
    assert [r[0].value for r in last] == [r[0].value for r in sheet_rows]


def test_the_task_list_exports_every_page(home, login, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import Task
    from problems import task_views

    w = home
    today = timezone.localdate()
    for n in range(4):
        Task.objects.create(campaign=w.campaign, unit=w.b, title=f"乙清单任务{n}", deadline=today + timedelta(days=n))
    count = Task.objects.filter(campaign=w.campaign).count()
    monkeypatch.setattr(task_views, "TASKS_PER_PAGE", 2)
    client = login(w.office)
    url = reverse("task_list", args=[w.campaign.pk])
    rows, pages = all_pages(client, url, "tasks", key="tasks")
    assert pages == -(-count // 2) >= 3 and len(rows) == count
    items = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).worksheets[1]
    assert_same_rows(rows, body(items), [0, 1, 2, 2, 3, 3, 4, 5])


def test_the_campaign_progress_exports_every_unit_of_every_page(home, login, monkeypatch):
    from campaigns import views as campaign_views

    w = home
    monkeypatch.setattr(campaign_views, "ROWS_PER_PAGE", 1)  # one unit a page
    client = login(w.office)
    url = reverse("campaign_detail", args=[w.campaign.pk])
    rows, pages = all_pages(client, url, f"progress-{w.land.code}")
    assert pages == 2
    book = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet_rows, _totals = body(book[w.land.name], totals=True)
    unit_rows = [r for r in rows if r[0] != "合计"]
    assert [r[0].value for r in sheet_rows] == [r[0] for r in unit_rows] and len(sheet_rows) == 2
    assert_same_rows(unit_rows, sheet_rows)
