"""One figure, one value (issue 17): for the same campaign and date every surface — campaign page,
league, assessment, unit page, home cards, screen JSON, bulletin content, API and CLI — shows the
same done, done %, 时序进度, gap, status, rank and reporting counts, dated the same way.

Each disagreement the issue found has its own test here, reproduced first:
- 时序进度 62.00 % on the league, 61.00 % on the campaign page, and a bulletin "截至12月4日" on
  3 December: test_on_a_thursday_every_surface_gives_one_time_elapsed_and_no_date_to_come;
- the screen's headline adding up every ledger: test_the_screen_headline_counts_the_pinned_campaigns_zone
  and test_a_kiosk_headline_counts_its_own_unit; the 完成投资 tile of 2021 in 2026:
  test_the_investment_tile_says_its_month_is_the_latest_with_data;
- the monthly ranking defaulting to the month still running, with a future 数据截至:
  test_the_monthly_ranking_defaults_to_the_last_month_over_and_pickers_stop_at_the_current_one;
- a 办理中 approval counted to today: test_an_approval_under_way_counts_to_the_pages_date;
- 签约户数 labelled 取自项目台账: test_a_requisition_ledger_figure_says_it_comes_from_that_ledger.
"""

import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import ApiToken
from bulletins.content import rollup_content, weekly_content
from campaigns.models import Indicator, Target
from campaigns.progress import campaign_progress
from dashboard.models import KioskToken, hash_token
from duban import figure_cache, periods
from duban.schedule import q2
from duban.templatetags.duban import pct
from org.models import OrgUnit
from projects.models import Approval, MonthlyInvestment, Project
from ranking.league import OVERALL, league_table
from reports.models import WeeklyReport
from requisition.models import Household
from tests.conftest import PASSWORD, submit

TZ = ZoneInfo(settings.TIME_ZONE)
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)  # the day the issue was seen


@pytest.fixture
def on_thursday(monkeypatch):
    """Freeze "now" at 3 December 2026, 10:00 Beijing time (a Thursday: the week closes on Friday)."""
    monkeypatch.setattr(timezone, "now", lambda: THURSDAY.astimezone(ZoneInfo("UTC")))
    return THURSDAY


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, f"no #{element_id}"
    return match.group(1)


def api_client(user):
    client = APIClient()
    _token, key = ApiToken.issue(user, "测试")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def cli(campaign, at):
    out = io.StringIO()
    call_command("campaign_progress", campaign.pk, "--at", at.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def cn_day(day):
    return f"{day.year}年{day.month}月{day.day}日"


# The disagreements, reproduced -------------------------------------------------------------------


def test_on_a_thursday_every_surface_gives_one_time_elapsed_and_no_date_to_come(on_thursday, request, client):
    world = request.getfixturevalue("world")
    today = timezone.localdate()
    assert today == date(2026, 12, 3) and world.week.end == date(2026, 12, 4)
    submit(world.a, world.week, {world.land: 30})  # filed early, on Thursday
    client.force_login(world.office)

    page = client.get(reverse("campaign_detail", args=[world.campaign.pk])).content.decode()
    league = client.get(reverse("league", args=[world.campaign.pk])).content.decode()
    home = client.get(reverse("home")).content.decode()
    assessment = client.get(reverse("assessment_week", args=[world.campaign.pk])).context["data"]
    bulletin = weekly_content(world.campaign, world.week)

    expected = periods.elapsed_pct(world.campaign.start, world.campaign.end, today)
    assert text_of(page, "elapsed") == text_of(league, "elapsed") == pct(expected)
    assert text_of(page, "as-of") == text_of(league, "as-of") == "2026年12月3日"
    assert f"数据截至 2026年12月3日 · 时序进度 {pct(expected)}" in home
    assert assessment["as_of"] == "2026-12-03" and assessment["elapsed_pct"] == str(q2(expected))
    assert bulletin.as_of == today and bulletin.progress.elapsed_pct == expected
    assert bulletin.sentences[0].startswith("截至12月3日")
    # the week's own as-of once it has closed: its closing date, on every surface alike
    past = world.week.prev()
    assert campaign_progress(world.campaign, week=past).as_of == past.end
    assert weekly_content(world.campaign, past).as_of == past.end


# The screen says what it counts --------------------------------------------------------------------


def households(village, n, signed):
    day = timezone.localdate() - timedelta(days=10)
    Household.objects.bulk_create(
        Household(
            village=village,
            number=f"{village.pk}-{k}",
            head_name="张三丰",
            legal_area=Decimal("100.00"),
            stage="signed" if k < signed else "none",
            signed_on=day if k < signed else None,
        )
        for k in range(n)
    )


def screen_data(client, **params):
    response = client.get(reverse("screen_data"), params)
    assert response.status_code == 200, response.content
    return response.json()


def two_zones_with_ledgers(world):
    households(OrgUnit.objects.create(name="甲村", kind=OrgUnit.Kind.VILLAGE, parent=world.a), 10, 6)
    households(OrgUnit.objects.create(name="丙村", kind=OrgUnit.Kind.VILLAGE, parent=world.c), 20, 15)
    from dashboard import rollups

    rollups.rebuild_villages()


def test_the_screen_headline_counts_the_pinned_campaigns_zone(world, client):
    two_zones_with_ledgers(world)
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    everything = screen_data(client)["headline"]
    assert everything["signed"]["value"] == "21" and everything["signed"]["reach"] == "全部单位 · 征迁累计"
    pinned = screen_data(client, campaign=world.campaign.pk)["headline"]
    assert pinned["signed"]["value"] == "6"
    assert "共 10 户" in pinned["signed"]["note"]
    assert pinned["signed"]["reach"] == pinned["demolished"]["reach"] == "测试区 · 征迁累计"
    assert pinned["reach"] == "测试区"
    assert pinned["campaigns"]["value"] == "1" and pinned["campaigns"]["reach"] == "测试区"
    assert everything["campaigns"]["value"] == "2"
    other = screen_data(client, campaign=world.other_campaign.pk)["headline"]
    assert other["signed"]["value"] == "15" and other["signed"]["reach"] == "外区 · 征迁累计"


def test_a_kiosk_headline_counts_its_own_unit(world, client):
    two_zones_with_ledgers(world)
    token = KioskToken(name="甲指挥部大屏", unit=world.a)
    token.token_hash, token.hint = hash_token("k" * 32), "kkkkkk"
    token.save()
    head = screen_data(client, kiosk="k" * 32)["headline"]
    assert head["signed"]["value"] == "6" and head["signed"]["reach"] == "甲指挥部 · 征迁累计"


def test_the_investment_tile_says_its_month_is_the_latest_with_data(world, client):
    project = Project.objects.create(unit=world.a, name="项目", stage="construction", total_investment=Decimal(10**9))
    MonthlyInvestment.objects.create(project=project, month=date(2021, 5, 1), amount=Decimal(10**8))
    from dashboard import rollups

    rollups.rebuild_investment()
    client.force_login(world.office)
    tile = screen_data(client)["headline"]["investment"]
    assert tile["year"] == 2021 and tile["through_month"] == 5
    assert tile["reach"] == "测试区 · 2021年1-5月（最近有数据的月份）"
    assert tile["note"].startswith("年度计划")


# Defaults are never in the future ---------------------------------------------------------------


def test_the_monthly_ranking_defaults_to_the_last_month_over_and_pickers_stop_at_the_current_one(world, client):
    client.force_login(world.office)
    today = timezone.localdate()
    response = client.get(reverse("assessment_month", args=[world.campaign.pk]))
    data = response.context["data"]
    last_over = periods.period_of("month", today).prev()
    assert data["key"] == last_over.key
    assert date.fromisoformat(data["as_of"]) <= today
    offered = [key for key, _label in response.context["choices"]]
    assert periods.period_of("month", today).key in offered  # the month running may be looked at
    assert all(periods.parse_period("month", k).start <= today for k in offered)  # none to come
    future = periods.period_of("month", world.campaign.end).key
    if future not in offered:
        refused = client.get(reverse("assessment_month", args=[world.campaign.pk]), {"month": future})
        assert refused.status_code == 400 and "尚未开始" in refused.content.decode()

    current = periods.current_week()
    for name in ("assessment_week", "league"):
        response = client.get(reverse(name, args=[world.campaign.pk]))
        labels = [k for k, _l in response.context["choices"]] if name != "league" else []
        labels += [w.label for w in response.context.get("weeks") or []]
        assert current.label in labels and current.next().label not in labels
    refused = client.get(reverse("assessment_week", args=[world.campaign.pk]), {"week": current.next(2).label})
    assert refused.status_code == 400 and "尚未开始" in refused.content.decode()
    page = client.get(reverse("campaign_detail", args=[world.campaign.pk])).content.decode()
    assert f'max="{today:%Y-%m-%d}"' in page


def test_an_approval_under_way_counts_to_the_pages_date(world, client):
    project = Project.objects.create(unit=world.a, name="项目", stage="preparation", total_investment=Decimal(10**8))
    MonthlyInvestment.objects.create(project=project, month=date(2021, 5, 1), amount=Decimal(10**6))
    Approval.objects.create(project=project, node="eia", status="in_progress", started_on=date(2021, 3, 1))
    Approval.objects.create(
        project=project, node="design", status="done", started_on=date(2021, 1, 4), done_on=date(2021, 2, 1)
    )
    client.force_login(world.owner)
    response = client.get(reverse("project_detail", args=[project.pk]))
    days = {a.node: d for a, d in response.context["approvals"]}
    assert response.context["as_of"] == date(2021, 5, 31)  # the page is about January–May 2021
    assert days == {"eia": (date(2021, 5, 31) - date(2021, 3, 1)).days, "design": 28}
    assert "办理中的计至2021年5月31日" in response.content.decode()


def test_a_requisition_ledger_figure_says_it_comes_from_that_ledger(world, client):
    signed = Indicator.objects.create(
        code="signed", name="签约户数", unit_of_measure="户", source=Indicator.Source.HOUSEHOLDS_SIGNED, sort_order=9
    )
    Target.objects.create(campaign=world.campaign, unit=world.a, indicator=signed, amount=50)
    client.force_login(world.owner)
    html = client.get(reverse("report", args=[world.a.pk, world.week.label])).content.decode()
    assert "取自征迁台账" in html and "取自项目台账" not in html


# Every surface, the same figures -------------------------------------------------------------------

REPORTS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.integers(min_value=0, max_value=5),  # weeks back from the current one
        st.integers(min_value=0, max_value=60),  # 交地 亩
        st.integers(min_value=0, max_value=30),  # 征迁 户
        st.booleans(),  # late
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: (r[0], r[1]),
)


def _reset():
    WeeklyReport.objects.all().delete()
    figure_cache.clear()


def _row_figures(row):
    d = row.as_dict()
    return (d["done"], d["done_pct"], d["elapsed_pct"], d["gap"], d["status"])


@hsettings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@example(reports=[("a", 0, 10, 5, False), ("b", 1, 20, 3, True), ("a", 2, 60, 30, True)], back=0)
@given(reports=REPORTS, back=st.integers(min_value=0, max_value=3))
def test_every_surface_shows_the_same_figures_for_the_same_campaign_and_date(on_thursday, world, client, reports, back):
    _reset()
    for unit, weeks_back, land, households_, late in reports:
        week = world.week.prev(weeks_back)
        when = week.deadline + timedelta(hours=2) if late and weeks_back else None
        submit(getattr(world, unit), week, {world.land: land, world.households: households_}, when=when)
    campaign, week = world.campaign, world.week.prev(back)
    ref = campaign_progress(campaign, week=week)
    assert ref.as_of == min(week.end, timezone.localdate())
    expected = {key: _row_figures(row) for key, row in ref.rows.items()}
    elapsed = str(q2(ref.elapsed_pct))
    by_code = {i.code: i for i in ref.indicators}
    ranks = {code: {e.unit.pk: e.rank for e in league_table(campaign, week, code).entries} for code in by_code}
    overall = [(e.unit.pk, e.rank, str(q2(e.done_pct))) for e in league_table(campaign, week, OVERALL).entries]
    client.force_login(world.office)

    # campaign page, for the week's as-of date
    response = client.get(reverse("campaign_detail", args=[campaign.pk]), {"at": week.end.isoformat()})
    page = response.context["progress"]
    assert (page.as_of, page.week) == (ref.as_of, ref.week)
    assert {k: _row_figures(r) for k, r in page.rows.items()} == expected
    html = response.content.decode()
    assert text_of(html, "elapsed") == pct(ref.elapsed_pct) and text_of(html, "as-of") == cn_day(ref.as_of)

    # league page
    response = client.get(reverse("league", args=[campaign.pk]), {"week": week.label})
    table = response.context["table"]
    assert [(e.unit.pk, e.rank, str(q2(e.done_pct))) for e in table.entries] == overall
    assert {k: _row_figures(r) for k, r in table.progress.rows.items()} == expected
    html = response.content.decode()
    assert text_of(html, "elapsed") == pct(ref.elapsed_pct) and text_of(html, "as-of") == cn_day(ref.as_of)

    # assessment
    data = client.get(reverse("assessment_week", args=[campaign.pk]), {"week": week.label}).context["data"]
    assert (data["as_of"], data["elapsed_pct"]) == (ref.as_of.isoformat(), elapsed)

    # bulletin content (what the Word and Excel files are built from)
    content = weekly_content(campaign, week)
    assert (content.as_of, content.week) == (ref.as_of, ref.week)
    for t in content.tables:
        assert {(r.unit.pk, t.indicator.pk): _row_figures(r) for r in t.rows} == {
            k: v for k, v in expected.items() if k[1] == t.indicator.pk
        }
        assert t.ranks == ranks[t.indicator.code]
    on_time, late, missing = (int(n) for n in re.findall(r"\d+", content.sentences[-1])[:3])

    # API and CLI, asked for the same date
    api = api_client(world.office)
    body = api.get(reverse("api_campaign_progress", args=[campaign.pk]), {"at": week.end.isoformat()}).json()
    assert body["as_of"] == ref.as_of.isoformat() and body["elapsed_pct"] == elapsed
    api_rows = {(r["unit_id"], by_code[r["indicator"]].pk): r for r in body["rows"]}
    assert set(api_rows) == set(expected)  # decimals as the serializer writes them: compared as numbers
    for key, row in api_rows.items():
        done, done_pct, _elapsed, gap, status = expected[key]
        assert (Decimal(row["done"]), Decimal(row["done_pct"]), Decimal(row["gap"]), row["status"]) == (
            Decimal(done),
            Decimal(done_pct),
            Decimal(gap),
            status,
        )
    league_body = api.get(reverse("api_campaign_league", args=[campaign.pk]), {"week": week.label}).json()
    assert [(e["unit_id"], e["rank"]) for e in league_body["entries"]] == [(u, r) for u, r, _p in overall]
    out = cli(campaign, week.end)
    assert out["at"] == ref.as_of.isoformat() and out["elapsed_pct"] == elapsed
    for ind in out["indicators"]:
        for r in ind["units"]:
            key = (r["unit_id"], by_code[ind["code"]].pk)
            assert (r["done"], r["done_pct"], r["elapsed_pct"], r["gap"], r["status"]) == expected[key]

    if back:
        return
    # today's surfaces: home cards, the screen, the unit page, the office's reporting count
    response = client.get(reverse("home"))
    card = next(c for c in response.context["cards"] if c.campaign == campaign)
    assert (card.progress.as_of, str(q2(card.progress.elapsed_pct))) == (ref.as_of, elapsed)
    assert [(e.unit.pk, e.rank) for e in card.leaders + card.trailers] == [(u, r) for u, r, _p in overall]
    reporting = response.context["reporting"]
    assert (reporting["submitted"] - reporting["late"], reporting["late"]) == (on_time, late)
    assert reporting["expected"] - reporting["submitted"] == missing

    screen = screen_data(client, campaign=campaign.pk)
    summary = next(c for c in screen["campaigns"] if c["id"] == campaign.pk)
    assert summary["elapsed_pct"] == float(elapsed) and summary["as_of"] == ref.as_of.isoformat()
    totals = [ref.totals[i.pk] for i in ref.indicators if i.pk in ref.totals]
    focus = screen["focus"]
    assert [(i["name"], i["done_pct"]) for i in focus["indicators"]] == [
        (t.indicator.name, float(q2(t.done_pct))) for t in totals
    ]
    assert [(e["rank"], e["done_pct"]) for e in focus["league"]] == [(r, float(p)) for _u, r, p in overall]

    # the month's roll-up (bulletin and page) counts the same cumulative figures to date
    rollup = rollup_content(campaign, "month", periods.period_of("month", ref.as_of))
    for row in rollup.rows:
        for indicator, (_target, _in_period, cum, _done) in zip(rollup.indicators, row.cells, strict=True):
            if (row.unit.pk, indicator.pk) in ref.rows:
                assert cum == ref.rows[(row.unit.pk, indicator.pk)].done, (row.unit, indicator)

    histories = client.get(reverse("unit", args=[world.a.pk])).context["histories"]
    for h in histories:
        row = ref.rows.get((world.a.pk, h["indicator"].pk))
        if row is not None:
            assert Decimal(str(h["rows"][0][2])) == row.done  # the latest week's cumulative
