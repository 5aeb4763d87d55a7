"""The REST API: token and session auth, the pages' scoping, paging, the shared project filters,
masked households, report submission with the page's checks, and the schema."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from org.models import OrgUnit
from projects.models import Project
from reports.models import WeeklyReport
from requisition.models import Household
from tests.conftest import PASSWORD, submit


@pytest.fixture
def api():
    def _api(user=None):
        client = APIClient()
        if user is not None:
            _token, key = ApiToken.issue(user, "测试")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return _api


def ids_of(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_callers_are_refused_everywhere(world, api):
    for name, args in [
        ("api_units", []),
        ("api_campaigns", []),
        ("api_reports", []),
        ("api_projects", []),
        ("api_households", []),
        ("api_campaign_progress", [world.campaign.pk]),
        ("api_schema", []),
    ]:
        assert api().get(reverse(name, args=args)).status_code in (401, 403), name


def test_a_token_is_issued_for_the_password_and_opens_the_api(world, api):
    response = api().post(reverse("api_token"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(reverse("api_units")).status_code == 200
    assert api().post(reverse("api_token"), {"username": "owner", "password": "wrong"}).status_code == 400


def test_a_browser_session_opens_the_api_too(world, client):
    client.force_login(world.owner)
    assert client.get(reverse("api_units")).status_code == 200


def test_units_are_scoped_like_the_pages(world, api):
    assert ids_of(api(world.owner).get(reverse("api_units"))) == {world.a.pk, world.a1.pk}
    assert ids_of(api(world.outsider).get(reverse("api_units"))) == {world.c.pk}
    assert ids_of(api(world.office).get(reverse("api_units"))) == set(world.zone.subtree().values_list("pk", flat=True))
    assert ids_of(api(world.other_office).get(reverse("api_units"))) == {world.other_zone.pk, world.c.pk}
    assert api(world.owner).get(reverse("api_unit", args=[world.a1.pk])).status_code == 200
    assert api(world.outsider).get(reverse("api_unit", args=[world.a.pk])).status_code == 404
    assert api(world.colleague).get(reverse("api_unit", args=[world.a.pk])).status_code == 404


def test_campaigns_and_targets_are_scoped(world, api):
    assert ids_of(api(world.owner).get(reverse("api_campaigns"))) == {world.campaign.pk}
    assert ids_of(api(world.outsider).get(reverse("api_campaigns"))) == {world.other_campaign.pk}
    assert api(world.outsider).get(reverse("api_campaign", args=[world.campaign.pk])).status_code == 404
    targets = api(world.owner).get(reverse("api_targets"), {"campaign": world.campaign.pk, "unit": world.a.pk})
    assert {(t["indicator"], Decimal(t["amount"])) for t in targets.json()["results"]} == {
        ("land", Decimal(100)),
        ("households", Decimal(50)),
        ("projects", Decimal(10)),
    }
    assert api(world.owner).get(reverse("api_targets"), {"campaign": "x"}).status_code == 400


def test_progress_and_league_give_the_pages_figures(world, api):
    submit(world.a, world.week, {world.land: 30, world.households: 10})
    submit(world.b, world.week, {world.land: 120, world.households: 4})
    progress = api(world.colleague).get(reverse("api_campaign_progress", args=[world.campaign.pk])).json()
    row = next(r for r in progress["rows"] if r["unit_id"] == world.a.pk and r["indicator"] == "land")
    assert (Decimal(row["done"]), Decimal(row["done_pct"])) == (Decimal(30), Decimal("30.00"))
    league = api(world.colleague).get(
        reverse("api_campaign_league", args=[world.campaign.pk]), {"week": world.week.label, "indicator": "land"}
    )
    assert [(e["unit"], e["rank"]) for e in league.json()["entries"]] == [("乙指挥部", 1), ("甲指挥部", 2)]
    bad = api(world.colleague).get(reverse("api_campaign_league", args=[world.campaign.pk]), {"week": "2026-W99"})
    assert bad.status_code == 400 and "YYYY-Www" in str(bad.json())
    assert api(world.outsider).get(reverse("api_campaign_league", args=[world.campaign.pk])).status_code == 404


def test_reports_are_scoped_and_paged(world, api):
    mine = submit(world.a, world.week, {world.land: 1})
    theirs = submit(world.b, world.week, {world.land: 2})
    assert ids_of(api(world.owner).get(reverse("api_reports"))) == {mine.pk}
    assert ids_of(api(world.office).get(reverse("api_reports"), {"week": world.week.label})) == {mine.pk, theirs.pk}
    assert api(world.owner).get(reverse("api_report", args=[theirs.pk])).status_code == 404
    page = api(world.office).get(reverse("api_reports"), {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def submit_via_api(client, unit, week, values, text="本周完成征迁"):
    return client.post(
        reverse("api_report_submit"),
        {"unit": unit.pk, "week": week.label, "values": values, "progress_text": text},
        format="json",
    )


def test_a_reporter_submits_for_an_own_unit(world, api):
    response = submit_via_api(
        api(world.owner), world.a, world.week, {"land": "12.5", "households": "3", "projects": "4"}
    )
    assert response.status_code == 201, response.content
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert report.status == WeeklyReport.Status.SUBMITTED and report.submitted_by == world.owner
    assert {v.indicator.code: v.amount for v in report.values.all()} == {
        "land": Decimal("12.5"),
        "households": Decimal(3),
        "projects": Decimal(4),
    }
    again = submit_via_api(api(world.owner), world.a, world.week, {"land": "1"})
    assert again.status_code == 400 and "已提交" in again.json()["detail"]


@pytest.mark.parametrize(
    "values, text, week, message",
    [
        ({"land": "abc", "households": "1", "projects": "1"}, "进展", None, "不是有效的数字"),
        ({"land": "-1", "households": "1", "projects": "1"}, "进展", None, "不能为负数"),
        ({"nope": "1"}, "进展", None, "nope"),
        ({"land": "1", "households": "1", "projects": "1"}, "", None, "填写本周进展"),
        ({"land": "1"}, "进展", "2026-W99", "YYYY-Www"),
    ],
)
def test_a_bad_submission_is_refused_and_stores_nothing(world, api, values, text, week, message):
    client = api(world.owner)
    payload = {"unit": world.a.pk, "week": week or world.week.label, "values": values, "progress_text": text}
    response = client.post(reverse("api_report_submit"), payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()), response.json()
    assert not WeeklyReport.objects.filter(unit=world.a).exists()


def test_submitting_for_someone_elses_unit_is_refused(world, api):
    assert submit_via_api(api(world.outsider), world.a, world.week, {"land": "1"}).status_code == 404
    assert submit_via_api(api(world.colleague), world.a, world.week, {"land": "1"}).status_code == 404
    refused = submit_via_api(api(world.office), world.a, world.week, {"land": "1"})
    assert refused.status_code == 403
    assert not WeeklyReport.objects.exists()


def test_projects_take_the_web_lists_filters_and_scope(world, api):
    year = world.week.end.year
    big = Project.objects.create(name="重大项目", unit=world.a, level=Project.Level.PROVINCIAL, total_investment=1)
    small = Project.objects.create(name="一般项目", unit=world.a1, total_investment=1)
    other = Project.objects.create(name="外区项目", unit=world.c, total_investment=1)
    assert ids_of(api(world.owner).get(reverse("api_projects"), {"year": year})) == {big.pk, small.pk}
    level = Project.Level.PROVINCIAL
    assert ids_of(api(world.owner).get(reverse("api_projects"), {"year": year, "level": level})) == {big.pk}
    assert api(world.owner).get(reverse("api_project", args=[other.pk])).status_code == 404
    assert api(world.owner).get(reverse("api_project_investment", args=[other.pk])).status_code == 404
    assert api(world.outsider).get(reverse("api_project", args=[other.pk])).status_code == 200


def test_households_are_masked_and_scoped(world, api):
    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    far = OrgUnit.objects.create(name="外村", kind=OrgUnit.Kind.VILLAGE, parent=world.c)
    mine = Household.objects.create(
        village=village, number="001", head_name="张三", id_number="110101199003071234", phone="13812345678"
    )
    Household.objects.create(village=far, number="001", head_name="李四")
    for user in (world.owner, world.office):
        rows = api(user).get(reverse("api_households"), {"village": village.pk}).json()["results"]
        assert [(r["id"], r["id_number"], r["phone"]) for r in rows] == [(mine.pk, "110***********1234", "138****5678")]
    assert ids_of(api(world.owner).get(reverse("api_households"))) == {mine.pk}
    assert ids_of(api(world.owner).get(reverse("api_households"), {"q": "1234"})) == {mine.pk}
    assert "110101199003071234" not in api(world.office).get(reverse("api_households")).content.decode()


def test_the_schema_and_its_docs_are_served(world, client):
    client.force_login(world.owner)
    schema = client.get(reverse("api_schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/reports/submit/" in schema.json()["paths"]
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/" in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()


def test_problems_are_scoped_and_filtered_like_the_list(world, api):
    from datetime import timedelta

    from django.utils import timezone

    from problems.models import Problem

    today = timezone.localdate()
    mine = Problem.objects.create(title="用地指标不足", raised_by_unit=world.a, deadline=today - timedelta(days=1))
    Problem.objects.create(title="外区问题", raised_by_unit=world.c)
    solved = Problem.objects.create(title="已解决", raised_by_unit=world.a, status=Problem.Status.SOLVED)
    rows = api(world.owner).get(reverse("api_problems")).json()["results"]
    assert [(r["id"], r["colour"]) for r in rows] == [(mine.pk, "red")]  # open ones by default
    assert ids_of(api(world.owner).get(reverse("api_problems"), {"status": "all"})) == {mine.pk, solved.pk}
    assert ids_of(api(world.outsider).get(reverse("api_problems"))) == {Problem.objects.get(title="外区问题").pk}
    assert ids_of(api(world.office).get(reverse("api_problems"), {"colour": "red"})) == {mine.pk}
