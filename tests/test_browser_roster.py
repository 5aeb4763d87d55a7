"""The office imports a village's roster that names its groups and phones as typed, in the
browser: the check lists the groups to be made, the import makes them, the household's page
shows the group and (when revealed) the phone as typed."""

import pytest
from django.urls import reverse

from org.models import OrgUnit
from requisition.models import Household
from tests.conftest import ARTIFACTS, log_in
from tests.test_requisition_roster import ID1, ID2
from tests.test_roster_villages import line, sheet

pytestmark = pytest.mark.browser


def test_the_office_imports_a_roster_with_groups_and_sees_them(settings, server, world, page, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it
    town = OrgUnit.objects.create(name="某镇", kind=OrgUnit.Kind.TOWN, parent=world.a)
    chenqiao = OrgUnit.objects.create(name="陈桥村", kind=OrgUnit.Kind.VILLAGE, parent=town)
    data = sheet(
        line(1, "张三", "涵江区某镇陈桥村第二村民小组", ID1, phone="+86 138 0591 2345", stage="已签协议"),
        line(2, "李四", "陈桥村3组", ID2, phone="(0594)2345678", compensation="住房安置"),
    )
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('requisition_import')}")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "陈桥村花名册.xlsx", "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-result")
    result = page.inner_text("#import-result")
    assert "将新建村民小组：陈桥村2组、陈桥村3组。" in result
    assert "陈桥村2组 张三" in result and "陈桥村3组 李四" in result
    page.screenshot(path=ARTIFACTS / "roster-groups-checked.png", full_page=True)
    assert not Household.objects.exists()
    page.click("button[name=confirm]")
    page.wait_for_selector(".msg-success")
    zhang = Household.objects.select_related("group").get(head_name="张三")
    assert (zhang.village, zhang.group.parent, zhang.group.short_name) == (chenqiao, chenqiao, "2组")
    assert (zhang.phone, zhang.phone_typed, zhang.stage) == ("13805912345", "+86 138 0591 2345", "signed")
    page.goto(f"{server.url}{reverse('requisition_household', args=[zhang.pk])}")
    page.click("button[value=phone]")
    page.wait_for_selector("text=+86 138 0591 2345")
    assert "2组" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "roster-household-group.png", full_page=True)
