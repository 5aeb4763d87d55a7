"""In a real browser: the office opens the weekly league table, publishes it, and opens the
bulletins page; screenshots go to test-artifacts/."""

from django.urls import reverse

from tests.conftest import ARTIFACTS, log_in, submit


def test_the_office_publishes_the_weekly_table_and_sees_the_bulletins(world, server, page):
    submit(world.a, world.week, {world.land: 80, world.households: 30, world.projects: 8})
    submit(world.b, world.week, {world.land: 60, world.households: 10})
    log_in(page, server, "office")
    page.goto(f"{server.url}{reverse('assessment_week', args=[world.campaign.pk])}")
    page.wait_for_selector("div.chart[data-drawn='1']")
    assert page.locator("#assessment tbody tr").count() == 2
    assert page.locator("#assessment tbody tr").first.locator("td").nth(2).inner_text() == "甲指挥部"
    page.screenshot(path=str(ARTIFACTS / "assessment-week.png"), full_page=True)
    page.fill("#publish input[name=note]", "第一次发布")
    page.click("#publish button")
    page.wait_for_selector("#confirm")  # the confirm step: what freezing does, who is missing
    assert "本次为第1版" in page.inner_text("#confirm") and "所有单位均已报送" in page.inner_text("#confirm")
    page.screenshot(path=str(ARTIFACTS / "assessment-confirm.png"), full_page=True)
    page.click("#confirm button[name=confirm]")
    page.wait_for_selector("p.frozen")
    assert "第1版" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "assessment-published.png"), full_page=True)
    page.goto(f"{server.url}{reverse('bulletins', args=[world.campaign.pk])}")
    assert page.locator("#issue-weekly").is_visible()
    page.screenshot(path=str(ARTIFACTS / "bulletins.png"), full_page=True)
