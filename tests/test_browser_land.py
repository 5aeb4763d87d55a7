"""The office of Suizhou high-tech zone reads its land in Debian's chromium: the six approved
batches (1,128 亩) with their charts, a batch, the first phase's 1,420 亩 ready to build, a bad
batch refused in Chinese, a project's land."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from faker import Faker

from land.models import LandBatch
from projects.models import Project
from tests.conftest import ARTIFACTS, PASSWORD, log_in

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/land") if Path("/work/wt/shots").is_dir() else ARTIFACTS


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_suizhou_office_reads_its_land(server, page):
    from demo import land as land_demo
    from demo import requisition as requisition_demo
    from demo.loader import Loader
    from org.models import Membership

    loader = Loader(PASSWORD, date(2021, 9, 30))
    Faker.seed(2020)
    zone = requisition_demo.load_suizhou(
        lambda village, zone: loader.user("sz-office", "随州高新区征迁指挥部", zone, Membership.Role.OFFICE),
        Faker("zh_CN"),
    )
    land_demo.load(loader, zone)

    log_in(page, server, "sz-office")
    page.get_by_role("link", name="土地报批与供地").click()
    page.wait_for_selector("div.chart[data-chart='land-status'][data-drawn='1'] canvas")
    page.wait_for_selector("div.chart[data-chart='land-timeline'][data-drawn='1'] canvas")
    assert page.inner_text("#approved-count") == "6" and page.inner_text("#approved-area") == "1,128.00"
    assert page.locator("#batches tbody tr").count() == 8
    shot(page, "land-batches")

    page.get_by_role("link", name="随州高新区2021年度第一批次城镇建设用地").click()
    page.wait_for_selector("#villages")
    assert page.inner_text("#batch-area") == "188.00" and "已获批" in page.inner_text("h1")
    assert "龙牧专汽生产基地项目" in page.inner_text("main")
    shot(page, "land-batch")

    page.get_by_role("link", name="供地与场地准备").first.click()
    page.wait_for_selector("div.chart[data-chart='land-ready'][data-drawn='1'] canvas")
    phase = page.locator('#phases tr[data-phase="青春化工园一期"]')
    assert "1,420.00" in phase.inner_text() and "全部拿地即可开工" in phase.inner_text()
    shot(page, "land-parcels")

    # a batch approved before it was submitted: refused in Chinese, nothing saved
    page.goto(f"{server.url}{reverse('land_batch_new')}")
    page.select_option("select[name=unit]", label="随州高新区")
    page.fill("input[name=name]", "随州高新区2021年度第九批次城镇建设用地")
    page.fill("input[name=area]", "50")
    page.select_option("select[name=villages]", label="七里村")
    page.fill("input[name=packaged_on]", "2021-08-01")
    page.fill("input[name=submitted_on]", "2021-08-20")
    page.fill("input[name=approved_on]", "2021-08-10")
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector(".error")
    assert "获批日期不能早于上报日期。" in page.inner_text("#batch-form")
    assert not LandBatch.objects.filter(name__contains="第九批次").exists()
    shot(page, "land-batch-refused")

    project = Project.objects.get(name="龙牧专汽生产基地项目")
    page.goto(f"{server.url}{reverse('project_detail', args=[project.pk])}")
    block = page.locator("#project-land")
    assert "120.00" in block.inner_text() and "项目用地全部征迁到位" in block.inner_text()
    block.screenshot(path=SHOTS / "land-project-block.png")
