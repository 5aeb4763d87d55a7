"""In Debian's chromium: the pages work under the Content Security Policy (no violation, charts
drawn, the campaign picker still submits), the lockout message, the forced password change,
and the audit page."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountSecurity
from campaigns.models import Campaign, Target
from tests.conftest import ARTIFACTS, PASSWORD, log_in, submit

pytestmark = pytest.mark.browser


def watch_csp(page):
    """Collects Content Security Policy violations the page reports."""
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text or "Refused to" in m.text else None,
    )
    return violations


def test_the_pages_work_under_the_content_security_policy(server, world, page):
    submit(world.a, world.week.prev(), {world.land: 20, world.households: 4})
    today = timezone.localdate()
    second = Campaign.objects.create(
        name="第二个行动", owner=world.zone, start=today - timedelta(days=20), end=today + timedelta(days=40)
    )
    Target.objects.create(campaign=second, unit=world.a, indicator=world.land, amount=50)
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    violations = watch_csp(page)

    log_in(page, server, "office")
    response = page.goto(f"{server.url}{reverse('campaign_detail', args=[world.campaign.pk])}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    page.goto(f"{server.url}{reverse('league', args=[world.campaign.pk])}?indicator=land")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")

    page.goto(f"{server.url}{reverse('unit', args=[world.a.pk])}?campaign={world.campaign.pk}")
    page.wait_for_selector("div.chart[data-drawn='1'] canvas")
    with page.expect_navigation():
        page.select_option("select[name=campaign]", str(second.pk))  # the picker submits without inline JS
    assert f"campaign={second.pk}" in page.url

    for name in ("project_list", "requisition", "office", "audit", "account_security", "my_reports"):
        page.goto(f"{server.url}{reverse(name)}")
        page.wait_for_load_state("load")
    page.goto(f"{server.url}{reverse('audit')}")
    page.screenshot(path=ARTIFACTS / "audit.png", full_page=True)
    page.goto(f"{server.url}{reverse('account_security')}")
    page.screenshot(path=ARTIFACTS / "account-security.png", full_page=True)

    page.goto(f"{server.url}/admin/")
    page.wait_for_url("**/login/**")  # the admin's log-in is ours
    page.click("form[action$='/logout/'] button")
    log_in_as_root = page.goto(f"{server.url}{reverse('login')}?next=/admin/")
    assert log_in_as_root.ok
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/admin/")
    page.goto(f"{server.url}/admin/auth/user/add/")
    page.goto(f"{server.url}/admin/audit/entry/")
    assert violations == []


def test_the_forced_change_and_the_lockout_in_the_browser(server, world, page):
    AccountSecurity.objects.create(user=world.colleague, must_change_password=True)
    page.goto(f"{server.url}{reverse('login')}")
    page.fill("input[name=username]", "colleague")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{reverse('password_change')}")
    assert "您的密码是他人设置的" in page.inner_text("#forced")
    page.screenshot(path=ARTIFACTS / "password-forced.png", full_page=True)
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "Harbour-lights-2031")
    page.fill("input[name=new_password2]", "Harbour-lights-2031")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    assert "密码已修改" in page.inner_text(".messages")
    page.click("form[action$='/logout/'] button")

    page.goto(f"{server.url}{reverse('login')}")
    for _ in range(5):
        page.fill("input[name=username]", "owner")
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_selector("#login-error")
    assert "登录失败次数过多" in page.inner_text("#login-error")
    page.screenshot(path=ARTIFACTS / "login-locked.png", full_page=True)
