"""Every word Chinese, in Debian's chromium: each role's landing page and the error pages carry
no English word of the interface (a small word-list check over the rendered text, outside the
language switch), a field worker lands on 现场登记, and a required field the browser refuses is
named in the page's own Chinese message — on the phone page too."""

import re

import pytest
from django.urls import reverse

from org.models import Membership, OrgUnit
from requisition.models import Household, Stage
from tests.conftest import ARTIFACTS, PASSWORD, make_user

pytestmark = pytest.mark.browser

# English words an untranslated string of ours or of Django's would bring.
WORDS = """
the and for with this that your you not are was has have from been will can may must
home page error found forbidden server bad request back login log out password change
add save delete edit search filter submit send open show hide clear next previous cancel
week weekly report reports campaign campaigns unit units project projects problem problems
field required please enter value invalid select choose number date time today yesterday
status done rank league table total target plan administration audit trail bulletin screen
upload download file files import export yes none all new
"""
ENGLISH = frozenset(WORDS.split())


def english_words(page):
    text = page.evaluate(
        "() => { const b = document.body.cloneNode(true);"
        " b.querySelectorAll('footer.foot, script, style').forEach(e => e.remove()); return b.innerText; }"
    )
    return sorted({w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH})


def sign_in(page, server, username):
    page.goto(f"{server.url}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def field_world(world):
    village = OrgUnit.objects.create(name="东村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    make_user("fieldworker", village, Membership.Role.REPORTER)
    Household.objects.create(village=village, number="001", head_name="张三", stage=Stage.VISITED)
    return world


@pytest.mark.parametrize("username", ["office", "leader", "owner", "fieldworker"])
def test_each_roles_landing_page_is_all_chinese(server, field_world, page, username):
    sign_in(page, server, username)
    if username == "fieldworker":
        assert page.url == f"{server.url}{reverse('requisition_field')}"
        assert page.get_by_role("link", name="现场登记").first.is_visible()
    else:
        assert page.url == f"{server.url}/"
    page.screenshot(path=ARTIFACTS / f"words-landing-{username}.png", full_page=True)
    assert english_words(page) == []


def test_the_error_pages_are_chinese_with_a_way_back(server, world, page):
    sign_in(page, server, "owner")
    for url, status, heading in (("/no-such-page/", 404, "页面不存在"), (reverse("audit"), 403, "无权操作")):
        response = page.goto(f"{server.url}{url}")
        assert response.status == status
        assert page.inner_text("h1") == heading
        assert page.get_by_role("link", name="返回").is_visible() and page.get_by_role("link", name="首页").count()
        assert english_words(page) == []
        page.screenshot(path=ARTIFACTS / f"words-error-{status}.png", full_page=True)
    page.get_by_role("link", name="返回").click()  # back to where the user came from
    page.wait_for_url(f"{server.url}/no-such-page/")


def test_a_refused_csrf_check_is_the_chinese_page(server, world, page):
    page.goto(f"{server.url}{reverse('login')}")
    page.context.clear_cookies()  # the form's token no longer matches a cookie
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "表单已过期" and english_words(page) == []
    page.screenshot(path=ARTIFACTS / "words-error-csrf.png", full_page=True)


def test_the_phone_page_names_the_field_that_is_missing(server, field_world, page):
    sign_in(page, server, "fieldworker")
    page.fill("input[name=q]", "张三")
    page.click("form.field-search button")
    page.wait_for_selector(".step-form")
    page.click(".step-form button.primary")
    note = page.locator(".step-form .field-error")
    note.wait_for()
    assert note.inner_text() == "请填写“丈量面积（m²）”。"
    message = page.eval_on_selector("input[name=measured_area]", "e => e.validationMessage")
    assert message == "请填写“丈量面积（m²）”。"
    page.fill("input[name=measured_area]", "12,5")
    page.click(".step-form button.primary")
    assert note.inner_text() == "“丈量面积（m²）”填写有误，请检查格式。"
    page.screenshot(path=ARTIFACTS / "words-field-missing.png", full_page=True)
    assert Household.objects.get().stage == Stage.VISITED  # nothing was sent
    page.fill("input[name=measured_area]", "120.5")
    assert page.locator(".step-form .field-error").count() == 0


def test_a_required_field_of_a_form_is_named_in_chinese(server, world, page):
    sign_in(page, server, "owner")
    page.goto(f"{server.url}{reverse('problem_new')}")
    page.wait_for_selector("form")
    page.click("#problem-form button[type=submit]")
    note = page.locator("#problem-form .field-error").first
    note.wait_for()
    assert note.inner_text().startswith("请填写“") and english_words(page) == []
    page.screenshot(path=ARTIFACTS / "words-required.png", full_page=True)
