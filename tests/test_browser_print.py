"""Printing the league table: the print stylesheet (static/duban/print.css) hides the navigation
and the forms and keeps the title, the 数据截至 line and the table; Chromium's PDF of the page
is A4 landscape, carries the figures, and is rendered to PNG to be looked at."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.conftest import ARTIFACTS, log_in, submit


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
