"""The template page in a browser: the office uploads a template with a syntax error and reads,
in Chinese, which paragraph is wrong and that the template in use has not changed; then uploads
a good one and sees it in use."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from doctemplates import store
from doctemplates.models import DocumentTemplate
from tests.conftest import ARTIFACTS, log_in
from tests.test_doctemplates import edited

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/templates")


def test_the_office_uploads_a_broken_template_and_reads_which_line(server, world, page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    default = store.default_bytes("bulletin")
    broken = tmp_path / "通报模板.docx"
    broken.write_bytes(edited(default, add_after="{{ 标题 }}", sentence="请各单位于{{ 发文日期 前报送材料。"))
    good = tmp_path / "我们的通报模板.docx"
    good.write_bytes(edited(default, replace={"{{ 发文机关标志 }}": "测试区攻坚督查专报"}))

    log_in(page, server, "office")
    page.goto(server.url + reverse("doc_templates_home"))
    assert page.locator("h1").inner_text().startswith("公文模板")
    card = page.locator("#kind-bulletin")
    card.locator("input[type=file]").set_input_files(str(broken))
    card.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")
    error = page.locator("#error-bulletin")
    text = error.inner_text()
    assert "模板未被采用" in text and "第5段" in text and "请各单位于{{ 发文日期 前报送材料。" in text
    assert "没有对应的" in text and "正在使用的模板没有改变" in text
    assert "使用中：督办系统默认模板" in page.locator("#current-bulletin").inner_text()
    assert not DocumentTemplate.objects.exists()
    error.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "template-refused.png")
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / "template-refused.png", SHOTS / "template-refused.png")

    card = page.locator("#kind-bulletin")
    card.locator("input[type=file]").set_input_files(str(good))
    card.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "我们的通报模板.docx" in page.locator("#current-bulletin").inner_text()
    assert DocumentTemplate.objects.get().active
    page.locator("#kind-bulletin details summary").click()
    page.screenshot(path=ARTIFACTS / "template-page.png", full_page=True)
    if SHOTS.parent.exists():
        shutil.copy(ARTIFACTS / "template-page.png", SHOTS / "template-page.png")
