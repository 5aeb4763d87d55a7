"""The office lends a cadre through the form, sees the roster, the counts with their charts and
the cadre's page — in Debian's chromium. Screenshots go to /work/wt/shots/cadres/ when it exists."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Assignment, Cadre
from org.models import OrgUnit
from tests.cadre_helpers import add_cadres
from tests.conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/cadres")


def shot(page, name):
    folder = SHOTS if SHOTS.is_dir() else ARTIFACTS
    page.screenshot(path=folder / name, full_page=True)


def test_the_office_lends_a_cadre_and_reads_the_counts(server, world, page):
    w = add_cadres(world)
    other = OrgUnit.objects.create(name="乙局", kind=OrgUnit.Kind.DEPARTMENT, parent=w.zone, sort_order=51)
    for k in range(5):
        cadre = Cadre.objects.create(zone=w.zone, name=f"乙干部{k}", gender="f", department=other, post="科员")
        Assignment.objects.create(zone=w.zone, cadre=cadre, department=other, unit=w.b, start=timezone.localdate())
    newcomer = Cadre.objects.create(zone=w.zone, name="丁新人", gender="m", department=w.dept, post="副股长")

    log_in(page, server, "office")
    page.click("nav >> text=抽调干部")
    page.wait_for_selector("#roster")
    assert "甲干部" in page.inner_text("#roster")
    page.click("text=派驻干部")
    page.select_option("select[name=cadre]", str(newcomer.pk))
    page.select_option("select[name=unit]", label="乙指挥部")
    page.select_option("select[name=role]", "head")
    page.fill("input[name=start]", timezone.localdate().isoformat())
    page.fill("input[name=end]", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.click("#cadres-form button.primary")
    page.wait_for_selector("#form-errors")
    assert "早于开始日期" in page.inner_text("#form-errors")
    assert not Assignment.objects.filter(cadre=newcomer).exists()
    page.fill("input[name=end]", "")
    page.click("#cadres-form button.primary")
    page.wait_for_selector(".msg-success")
    assert "乙指挥部" in page.inner_text("main") and "组长" in page.inner_text("main")
    shot(page, "cadre-page.png")

    page.goto(f"{server.url}{reverse('cadres_counts', args=[w.zone.pk])}")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    assert "2个区直单位抽调7名干部" in page.inner_text("#headline")
    assert "乙指挥部\t6" in page.inner_text("#by-post")
    shot(page, "counts.png")
    page.goto(f"{server.url}{reverse('cadres_roster', args=[w.zone.pk])}")
    shot(page, "roster.png")
