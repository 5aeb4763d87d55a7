"""Implausible weekly figures: above what is left of the target a warning; above the campaign's
bound held back (stored, counted nowhere) until the reporter confirms it; beyond what any unit
could reach refused. Each case checks the stored values and the league figure."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import Entry
from campaigns.models import Indicator, Target
from duban.measures import bound_for, impossible
from duban.numbers import figure
from ranking.league import league_table
from reports.models import HeldFigure, ReportValue, WeeklyReport
from tests.conftest import submit


def url(unit, week):
    return reverse("report", args=[unit.pk, week.label])


def confirm_url(unit, week):
    return reverse("confirm_held", args=[unit.pk, week.label])


def post(client, w, data, submit=True):
    payload = {"progress_text": "本周进展", "experience_text": "", "problems_text": ""}
    payload.update({f"v_{indicator.pk}": amount for indicator, amount in data.items()})
    payload["submit" if submit else "save"] = "1"
    return client.post(url(w.a, w.week), payload, follow=True)


def stored(w):
    report = WeeklyReport.objects.filter(unit=w.a, week_end=w.week.end).first()
    return {v.indicator.code: v.amount for v in report.values.all()} if report else None


def league_done(w, code="land"):
    table = league_table(w.campaign, w.week, code)
    return {e.unit: e.done for e in table.entries}[w.a]


def text(response):
    return response.content.decode()


# Formatting and bounds ---------------------------------------------------------------------


def test_figures_in_messages_are_formatted():
    assert figure(Decimal("3000000"), "m²") == "3,000,000 m²"
    assert figure(Decimal("300000.00")) == "300,000"
    assert figure(Decimal("12.5"), "亩") == "12.50 亩"


def test_each_unit_of_measure_has_its_bound():
    assert impossible(Decimal("99999999999999"), "m²")
    assert not impossible(Decimal("3000000"), "m²")
    assert impossible(Decimal("100000"), "亿元") and not impossible(Decimal("99999"), "亿元")
    assert bound_for("户") < bound_for("亩") < bound_for("m²")
    assert bound_for("不认识的单位") == Decimal(10) ** 12


# Above what is left: a warning, as before ------------------------------------------------


def test_above_what_is_left_is_accepted_with_a_warning_and_counts(world, login):
    submit(world.a, world.week.prev(), {world.land: 30, world.projects: 2})
    response = post(login(world.owner), world, {world.land: "80", world.projects: "2"})
    assert "110 亩" in text(response) and "100 亩" in text(response)  # formatted, with the unit
    assert stored(world)["land"] == Decimal(80)
    assert not HeldFigure.objects.exists()
    assert league_done(world) == Decimal(110)


# Above the bound: held back, then confirmed -----------------------------------------------


def test_above_the_whole_target_in_one_week_is_held_back_and_not_counted(world, login):
    submit(world.a, world.week.prev(), {world.land: 10, world.projects: 2})
    response = post(login(world.owner), world, {world.land: "150", world.projects: "2"})
    assert "暂不计入" in text(response)
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert report.status == WeeklyReport.Status.SUBMITTED
    assert "land" not in stored(world)  # no counted value …
    held = HeldFigure.objects.get(report=report, indicator=world.land)  # … but kept
    assert held.amount == Decimal(150) and held.bound == Decimal(100) and held.pending
    assert held.held_by == world.owner
    assert league_done(world) == Decimal(10)  # only last week counts
    from campaigns.progress import campaign_progress

    assert campaign_progress(world.campaign, week=world.week).rows[(world.a.pk, world.land.pk)].done == Decimal(10)
    assert "已暂缓" in text(response)  # the report page shows it flagged


def test_a_confirmed_figure_counts(world, login):
    client = login(world.owner)
    post(client, world, {world.land: "150", world.projects: "2"})
    assert league_done(world) == Decimal(0)
    response = client.post(
        confirm_url(world.a, world.week), {"indicator": world.land.pk, "reason": "本周集中交地"}, follow=True
    )
    assert "已确认" in text(response)
    assert stored(world)["land"] == Decimal(150)
    held = HeldFigure.objects.get(indicator=world.land)
    assert not held.pending and held.confirmed_by == world.owner and held.reason == "本周集中交地"
    assert league_done(world) == Decimal(150)
    assert Entry.objects.filter(model="reports.heldfigure", action=Entry.Action.UPDATE).exists()
    assert Entry.objects.filter(model="reports.heldfigure", action=Entry.Action.CREATE).exists()


def test_confirming_without_a_reason_is_refused_and_changes_nothing(world, login):
    client = login(world.owner)
    post(client, world, {world.land: "150", world.projects: "2"})
    response = client.post(confirm_url(world.a, world.week), {"indicator": world.land.pk, "reason": " "}, follow=True)
    assert "请说明" in text(response)
    assert "land" not in stored(world)
    assert HeldFigure.objects.get(indicator=world.land).pending
    assert league_done(world) == Decimal(0)


@pytest.mark.parametrize("indicator", ["", "abc", "999999"])
def test_confirming_nothing_held_is_refused(world, login, indicator):
    client = login(world.owner)
    post(client, world, {world.land: "5", world.projects: "2"})
    response = client.post(confirm_url(world.a, world.week), {"indicator": indicator, "reason": "x"}, follow=True)
    assert response.status_code == 200 and "没有待确认" in text(response)
    assert stored(world)["land"] == Decimal(5)


def test_ten_times_the_best_week_raises_the_bound(world, login):
    submit(world.a, world.week.prev(2), {world.land: 20, world.projects: 1})
    submit(world.a, world.week.prev(), {world.land: 5, world.projects: 1})
    post(login(world.owner), world, {world.land: "150", world.projects: "1"})  # ≤ 10 × 20 = 200
    assert stored(world)["land"] == Decimal(150)
    assert not HeldFigure.objects.exists()
    assert league_done(world) == Decimal(175)


def test_the_campaign_sets_its_own_factor(world, login):
    world.campaign.hold_factor = 2
    world.campaign.save()
    submit(world.a, world.week.prev(), {world.land: 20, world.projects: 1})
    post(login(world.owner), world, {world.land: "150", world.projects: "1"})  # > max(100, 2 × 20)
    assert "land" not in stored(world)
    assert HeldFigure.objects.get(indicator=world.land).bound == Decimal(100)
    assert league_done(world) == Decimal(20)


def test_a_stocks_rise_is_what_is_bounded(world, login):
    submit(world.a, world.week.prev(), {world.projects: 3})
    client = login(world.owner)
    post(client, world, {world.land: "1", world.projects: "12"})  # +9 ≤ the target of 10: counts
    assert stored(world)["projects"] == Decimal(12)
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    report.status = WeeklyReport.Status.RETURNED
    report.save()
    post(client, world, {world.land: "1", world.projects: "40"})  # +37 > 10: held
    assert "projects" not in stored(world)
    assert HeldFigure.objects.get(indicator=world.projects).amount == Decimal(40)
    assert league_done(world, "projects") == Decimal(3)  # last week's level stands


def test_a_corrected_figure_replaces_the_held_one(world, login):
    client = login(world.owner)
    post(client, world, {world.land: "150"}, submit=False)
    assert HeldFigure.objects.filter(indicator=world.land).exists()
    post(client, world, {world.land: "15", world.projects: "2"})
    assert stored(world)["land"] == Decimal(15)
    assert not HeldFigure.objects.exists()
    assert league_done(world) == Decimal(15)


def test_a_confirmed_figure_is_not_held_again_when_saved_again(world, login):
    client = login(world.owner)
    post(client, world, {world.land: "150", world.projects: "2"})
    client.post(confirm_url(world.a, world.week), {"indicator": world.land.pk, "reason": "集中交地"})
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    report.status = WeeklyReport.Status.RETURNED
    report.save()
    post(client, world, {world.land: "150", world.projects: "2"})
    assert stored(world)["land"] == Decimal(150)
    assert not HeldFigure.objects.get(indicator=world.land).pending
    assert league_done(world) == Decimal(150)


def test_the_office_sees_the_held_figures_flagged(world, login):
    post(login(world.owner), world, {world.land: "150", world.projects: "2"})
    html = text(login(world.office).get(reverse("office_week", args=[world.week.label])))
    assert 'id="held-figures"' in html and "甲指挥部" in html and "150.00 亩" in html
    report_html = text(login(world.office).get(url(world.a, world.week)))
    assert "已暂缓" in report_html and "确认数字无误" not in report_html  # the office reads, the reporter confirms


# Beyond any real unit: refused ------------------------------------------------------------


def test_a_figure_no_unit_could_reach_is_refused_and_nothing_is_saved(world, login):
    area = Indicator.objects.create(code="area", name="拆除面积", unit_of_measure="m²", sort_order=4)
    Target.objects.create(campaign=world.campaign, unit=world.a, indicator=area, amount=3_000_000)
    response = post(login(world.owner), world, {area: "99,999,999,999,999", world.land: "5", world.projects: "2"})
    html = text(response)
    assert "拆除面积" in html and "99,999,999,999,999 m²" in html and "10,000,000,000 m²" in html
    assert not WeeklyReport.objects.exists() and not ReportValue.objects.exists()
    assert not HeldFigure.objects.exists()
    assert league_done(world) == Decimal(0)


# The API's report endpoint follows the same rules ----------------------------------------


def api_submit(client, w, values):
    body = {"unit": w.a.pk, "week": w.week.label, "values": values, "progress_text": "进展"}
    return client.post(reverse("api_report_submit"), body, content_type="application/json")


def test_the_api_holds_back_and_refuses_the_same_way(world, login):
    client = login(world.owner)
    response = api_submit(client, world, {"land": "99999999999", "projects": "2"})
    assert response.status_code == 400
    assert "交地面积" in response.json()["fields"]["land"]
    assert not WeeklyReport.objects.exists()
    response = api_submit(client, world, {"land": "150", "projects": "2"})
    assert response.status_code == 201
    body = response.json()
    assert {v["indicator"] for v in body["values"]} >= {"projects"} and "land" not in {
        v["indicator"] for v in body["values"]
    }
    assert body["held"] == [{"indicator": "land", "amount": "150.00", "bound": "100.00", "confirmed": False}]
    assert league_done(world) == Decimal(0)


# Permissions on the confirmation ---------------------------------------------------------


def held_world(world, login):
    post(login(world.owner), world, {world.land: "150", world.projects: "2"})
    return {"indicator": world.land.pk, "reason": "确认"}


@pytest.mark.parametrize("who, status", [("colleague", 404), ("outsider", 404), ("office", 403), ("other_office", 404)])
def test_only_the_units_reporter_confirms(world, login, who, status):
    data = held_world(world, login)
    response = login(getattr(world, who)).post(confirm_url(world.a, world.week), data)
    assert response.status_code == status
    assert HeldFigure.objects.get(indicator=world.land).pending
    assert "land" not in stored(world)


def test_the_reporter_confirms(world, login):
    data = held_world(world, login)
    assert login(world.owner).post(confirm_url(world.a, world.week), data).status_code == 302
    assert not HeldFigure.objects.get(indicator=world.land).pending


def test_confirming_in_a_locked_week_is_refused(world, login):
    from reports.models import WeekLock

    data = held_world(world, login)
    WeekLock.objects.create(unit=world.zone, week_end=world.week.end)
    response = login(world.owner).post(confirm_url(world.a, world.week), data, follow=True)
    assert "锁定" in text(response)
    assert HeldFigure.objects.get(indicator=world.land).pending


def test_the_campaign_page_flags_held_figures_to_those_who_read_the_unit(world, login):
    post(login(world.owner), world, {world.land: "150", world.projects: "2"})
    page = reverse("campaign_detail", args=[world.campaign.pk])
    html = text(login(world.office).get(page))
    assert 'id="held-figures"' in html and "150.00 亩" in html
    assert 'id="held-figures"' not in text(login(world.colleague).get(page))  # 乙 does not read 甲's reports
    login(world.owner).post(confirm_url(world.a, world.week), {"indicator": world.land.pk, "reason": "集中交地"})
    assert 'id="held-figures"' not in text(login(world.office).get(page))
