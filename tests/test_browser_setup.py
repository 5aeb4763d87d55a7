"""Done when (issue 16): on a fresh install with no demo data — only a zone and its office account
— the office builds its unit tree, adds a reporter, makes a campaign with targets read from a
目标任务分解表 in Excel, and the reporter logs in (choosing a password of their own) and fills in
the first week's report. In Debian's chromium driven by Playwright, against the live server."""

from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target
from duban import periods
from org.models import Membership, OrgUnit
from reports.models import ReportValue, WeeklyReport
from tests.conftest import ARTIFACTS, PASSWORD, make_user

pytestmark = pytest.mark.browser


def target_sheet(path):
    """The office's sheet as offices keep it: a title, a note row, 序号, a 合计 row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目标任务分解表"
    for row in (
        ["新区2026年征迁攻坚目标任务分解表"],
        ["单位:亩、户"],
        ["序号", "单位", "交地面积(亩)", "征迁户数(户)"],
        [1, "城北指挥部", 300, 120],
        [2, "城南指挥部", 200.5, "—"],
        ["合计", None, 500.5, 120],
    ):
        sheet.append(row)
    book.save(path)


def add_unit(page, parent, name, kind, leader=""):
    page.select_option("#add-unit select[name=parent]", label=parent)
    page.fill("#add-unit input[name=name]", name)
    page.select_option("#add-unit select[name=kind]", kind)
    if leader:
        page.fill("#add-unit input[name=leader]", leader)
    page.click("#add-unit button.primary")
    page.wait_for_selector(".msg-success")


def test_a_fresh_office_sets_itself_up_and_its_reporter_reports(server, page, tmp_path):
    assert not Campaign.objects.exists() and not Indicator.objects.exists()
    zone = OrgUnit.objects.create(name="新区", kind=OrgUnit.Kind.ZONE)
    make_user("xq-office", zone, Membership.Role.OFFICE)
    today = timezone.localdate()

    # the office logs in and opens 系统设置 from the menu
    page.goto(f"{server.url}/login/")
    page.fill("input[name=username]", "xq-office")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    assert page.locator("header nav a", has_text="系统管理").count() == 0
    page.click("header nav a:has-text('系统设置')")
    page.click("a[href='/setup/units/']")

    # 1. the unit tree
    add_unit(page, "新区", "城北指挥部", "command_post", leader="张副区长")
    add_unit(page, "新区", "城南指挥部", "command_post")
    add_unit(page, "　城北指挥部", "城北一组", "working_group")
    page.screenshot(path=ARTIFACTS / "setup-units.png", full_page=True)
    north = OrgUnit.objects.get(name="城北指挥部")
    assert north.parent == zone and north.leader == "张副区长"
    assert OrgUnit.objects.get(name="城北一组").parent == north

    # 2. a reporter for 城北指挥部, the first password shown once
    page.click("#steps, p.toolbar a:has-text('人员')")
    page.fill("#add-person input[name=username]", "cb-reporter")
    page.fill("#add-person input[name=full_name]", "李填报")
    page.select_option("#add-person select[name=unit]", label="　城北指挥部")
    page.select_option("#add-person select[name=role]", "reporter")
    page.click("#add-person button.primary")
    first_password = page.inner_text("#first-password code.password").strip()
    page.screenshot(path=ARTIFACTS / "setup-person.png", full_page=True)
    assert len(first_password) == 12

    # 3. the campaign in steps
    page.click("p.toolbar a:has-text('攻坚行动')")
    page.fill("#new-campaign input[name=name]", "新区征迁攻坚行动")
    page.fill("#new-campaign input[name=slogan]", "百日攻坚")
    page.fill("#new-campaign input[name=start]", (today - timedelta(days=2)).isoformat())
    page.fill("#new-campaign input[name=end]", (today + timedelta(days=90)).isoformat())
    page.click("#new-campaign button.primary")
    page.wait_for_selector("#indicators-form")
    for name, unit in (("交地面积", "亩"), ("征迁户数", "户")):
        page.fill("input[name=new_name]", name)
        page.fill("input[name=new_unit]", unit)
        page.click("button[name=add]")
        page.wait_for_selector(".msg-success")
    page.screenshot(path=ARTIFACTS / "setup-indicators.png", full_page=True)
    page.click("button[name=next]")
    page.wait_for_selector("#units-form")
    page.check("#units-form label:has-text('城北指挥部') input")
    page.check("#units-form label:has-text('城南指挥部') input")
    page.click("#units-form button.primary")
    page.wait_for_selector("#target-file")
    sheet = tmp_path / "目标任务分解表.xlsx"
    target_sheet(sheet)
    page.set_input_files("#target-file input[name=file]", str(sheet))
    page.click("#target-file button")
    page.wait_for_selector(".msg-info")
    assert not Target.objects.exists()  # read, not saved
    page.screenshot(path=ARTIFACTS / "setup-targets-read.png", full_page=True)
    page.click("#target-grid button.primary")
    page.wait_for_selector(".msg-success")
    page.screenshot(path=ARTIFACTS / "setup-targets-saved.png", full_page=True)
    campaign = Campaign.objects.get(name="新区征迁攻坚行动")
    land, households = Indicator.objects.get(name="交地面积"), Indicator.objects.get(name="征迁户数")
    assert {(t.unit.name, t.indicator.name): t.amount for t in campaign.targets.select_related()} == {
        ("城北指挥部", "交地面积"): Decimal(300),
        ("城北指挥部", "征迁户数"): Decimal(120),
        ("城南指挥部", "交地面积"): Decimal("200.5"),
    }
    # 4. the task list, typed; the scoring scheme stays the default
    page.click("#steps a:has-text('任务清单')")
    page.fill("input[name=title_1]", "完成城北地块清表")
    page.select_option("select[name=unit_1]", label="城北指挥部")
    page.fill("input[name=deadline_1]", (today + timedelta(days=30)).isoformat())
    page.click("#task-rows button.primary")
    page.wait_for_selector(".msg-success")
    page.screenshot(path=ARTIFACTS / "setup-tasks.png", full_page=True)
    assert list(campaign.tasks.values_list("title", "unit__name")) == [("完成城北地块清表", "城北指挥部")]
    page.click("button.link:has-text('退出')")

    # the reporter logs in with the first password and must choose their own
    page.goto(f"{server.url}/login/")
    page.fill("input[name=username]", "cb-reporter")
    page.fill("input[name=password]", first_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/account/password/")
    own = "Chengbei-2026!"
    page.fill("input[name=old_password]", first_password)
    page.fill("input[name=new_password1]", own)
    page.fill("input[name=new_password2]", own)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{server.url}/")

    # … and fills in the first week's report
    page.click("header nav a:has-text('周报')")
    page.wait_for_selector(f"input[name=v_{land.pk}]")  # one unit: /reports/ opens its report
    page.fill(f"input[name=v_{land.pk}]", "25")
    page.fill(f"input[name=v_{households.pk}]", "8")
    page.fill("textarea[name=progress_text]", "首周完成交地25亩,签约8户。")
    page.screenshot(path=ARTIFACTS / "setup-first-report.png", full_page=True)
    page.click("button[name=submit]")
    page.wait_for_selector(".msg-success")
    assert "周报已提交" in page.inner_text(".messages")
    report = WeeklyReport.objects.get(unit=north, week_end=periods.current_week().end)
    assert report.status == WeeklyReport.Status.SUBMITTED
    assert {v.indicator.name: v.amount for v in ReportValue.objects.filter(report=report)} == {
        "交地面积": Decimal(25),
        "征迁户数": Decimal(8),
    }
