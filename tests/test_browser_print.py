"""Printing the league table: the print stylesheet (static/duban/print.css) hides the navigation
and the forms and keeps the title, the 数据截至 line and the table; Chromium's PDF of the page
is A4 landscape, carries the figures, and is rendered to PNG to be looked at."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests import zone_helpers
from tests.conftest import ARTIFACTS, log_in, submit

home = zone_helpers.home  # the fixtures
media = zone_helpers.media


def test_the_printed_league_has_no_navigation_and_a_pdf_with_the_figures(server, world, page):
    submit(world.a, world.week, {world.land: 12345.5, world.households: 7})
    submit(world.b, world.week, {world.land: 8600})
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('league', args=[world.campaign.pk])}")
    page.wait_for_selector("#league")
    assert page.is_visible("header.top nav")
    page.emulate_media(media="print")
    assert not page.is_visible("header.top nav")
    assert not page.is_visible("header.top")
    assert not page.is_visible("form.toolbar select")
    assert not page.is_visible(".export-link")
    assert page.is_visible("h1") and page.is_visible("#as-of") and page.is_visible("#league")
    assert page.evaluate("getComputedStyle(document.querySelector('#league thead')).display") == "table-header-group"
    page.screenshot(path=str(ARTIFACTS / "league-print.png"), full_page=True)

    pdf = ARTIFACTS / "league-print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils missing: no text or PNG of the PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "12,345.50" in text and "8,600.00" in text
    assert world.a.name in text and "数据截至" in text
    assert "周报" not in text.split(world.campaign.name)[0]  # no navigation above the title
    assert "—1/1—" in text.replace(" ", "")  # the page number from @page
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.92 x 594.96 pts (A4)" in info  # A4 landscape
    png = ARTIFACTS / "league-print"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    assert (ARTIFACTS / "league-print-1.png").exists()


PAGES = {  # every table page named in issue 18: (url, the table on it)
    "league": (lambda w: reverse("league", args=[w.campaign.pk]), "#league"),
    "assessment_week": (lambda w: reverse("assessment_week", args=[w.campaign.pk]), "table"),
    "assessment_month": (lambda w: reverse("assessment_month", args=[w.campaign.pk]), "table"),
    "publication": (lambda w: reverse("assessment_publication", args=[w.campaign.pk, w.publication.pk]), "table"),
    "campaign": (lambda w: reverse("campaign_detail", args=[w.campaign.pk]), "table.grid"),
    "submissions": (lambda w: reverse("office_week", args=[w.week.label]), "table"),
    "problems": (lambda w: reverse("problem_list"), "#problems"),
    "tasks": (lambda w: reverse("task_list", args=[w.campaign.pk]), "#tasks"),
    "tallies": (lambda w: reverse("requisition_unit", args=[w.a.pk]), "table"),
}


def test_every_table_page_prints_without_navigation_with_its_date_and_page_numbers(server, home, page):
    w = home
    log_in(page, server, "office")
    for name, (url, table) in PAGES.items():
        page.emulate_media(media="screen")
        page.goto(f"{server.url}{url(w)}")
        page.wait_for_selector(table)
        page.emulate_media(media="print")
        assert not page.is_visible("header.top"), name
        assert not page.is_visible("header.top nav"), name
        assert page.is_visible("h1"), name
        assert page.locator(table).first.is_visible(), name
        visible = page.evaluate("document.body.innerText")
        assert "数据截至" in visible, name  # the date the figures are as of, printed with the title
        buttons = page.evaluate("[...document.querySelectorAll('a.button, button')].filter(b => b.offsetParent).length")
        assert buttons == 0, name  # no button or action link on paper
        pdf = ARTIFACTS / f"print-{name}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        if not shutil.which("pdftotext"):
            continue
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "数据截至" in text, name
        assert "—1/" in text.replace(" ", ""), name  # the page number from @page
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "841.92 x 594.96 pts (A4)" in info, name  # A4 landscape
