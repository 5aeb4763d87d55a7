import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import investment
from projects.models import AnnualPlan, Milestone, MonthlyInvestment, Project

WAN = Decimal(10_000)


def make_project(unit, name, total_wan=1000, plan_wan=120, months=(), year=2021, **fields):
    project = Project.objects.create(unit=unit, name=name, total_investment=Decimal(total_wan) * WAN, **fields)
    AnnualPlan.objects.create(project=project, year=year, amount=Decimal(plan_wan) * WAN)
    for month, amount in enumerate(months, start=1):
        MonthlyInvestment.objects.create(project=project, month=date(year, month, 1), amount=Decimal(amount) * WAN)
    return project


@pytest.fixture
def projects(world):
    return {
        "a": make_project(world.a, "甲产业园", months=(10, 10, 10, 10, 10), code="P-A", level="municipal"),
        "a2": make_project(world.a, "甲道路", plan_wan=100, months=(1, 1, 1, 1, 1), category="infrastructure"),
        "b": make_project(world.b, "乙学校", months=(20, 20), code="P-B", level="municipal"),
        "c": make_project(world.c, "丙医院", months=(5,)),
    }


# Derived figures -------------------------------------------------------------------------------


def test_figures_for_a_project(projects):
    fig = investment.project_figures(Project.objects.filter(pk=projects["a"].pk), 2021, 4)[projects["a"].pk]
    assert fig.this_month == 10 * WAN
    assert fig.ytd == 40 * WAN
    assert fig.since_start == 40 * WAN
    assert fig.done_pct == Decimal(40) / 120 * 100


def test_time_elapsed_by_months_and_by_days():
    assert investment.elapsed_pct(2021, 8, "months") == Decimal(8) * 100 / 12
    # 243 days from 1 January to 31 August 2021
    assert investment.elapsed_pct(2021, 8, "days") == Decimal(243) * 100 / 365


def test_office_style_ahead_of_time_sentence():
    # "1-8月占年计划74%,超序时进度7.33个百分点"
    gap = Decimal(74) - investment.elapsed_pct(2021, 8)
    assert gap.quantize(Decimal("0.01")) == Decimal("7.33")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    months=st.dictionaries(
        st.tuples(st.integers(2020, 2022), st.integers(1, 12)),
        st.decimals(min_value=0, max_value=10**9, places=2),
        max_size=20,
    ),
    plan=st.decimals(min_value="0.01", max_value=10**10, places=2),
    through=st.integers(1, 12),
)
def test_project_figures_match_a_hand_count(world, months, plan, through):
    project = Project.objects.create(unit=world.a, name="性质测试", total_investment=WAN)
    try:
        AnnualPlan.objects.create(project=project, year=2021, amount=plan)
        MonthlyInvestment.objects.bulk_create(
            [MonthlyInvestment(project=project, month=date(y, m, 1), amount=a) for (y, m), a in months.items()]
        )
        fig = investment.project_figures(Project.objects.filter(pk=project.pk), 2021, through)[project.pk]
        ytd = sum((a for (y, m), a in months.items() if y == 2021 and m <= through), Decimal(0))
        since = sum((a for (y, m), a in months.items() if (y, m) <= (2021, through)), Decimal(0))
        assert fig.ytd == ytd
        assert fig.since_start == since
        assert fig.this_month == months.get((2021, through), Decimal(0))
        assert fig.done_pct == ytd * 100 / plan
        total = investment.total(Project.objects.filter(pk=project.pk), 2021, through)
        assert (total.figures.ytd, total.figures.annual_plan) == (ytd, plan)
    finally:
        project.delete()


def test_summary_groups_and_totals(projects):
    rows = investment.summarize(Project.objects.exclude(pk=projects["c"].pk), 2021, 5, group_by="level")
    by_level = {r.label: r for r in rows}
    assert by_level["municipal"].count == 2
    assert by_level["municipal"].figures.ytd == 90 * WAN
    total = investment.total(Project.objects.exclude(pk=projects["c"].pk), 2021, 5)
    assert (total.count, total.total, total.figures.annual_plan, total.figures.ytd) == (
        3,
        3000 * WAN,
        340 * WAN,
        95 * WAN,
    )


def test_milestone_ahead_and_behind():
    today = date(2021, 9, 15)
    early = Milestone(kind="start", planned=date(2021, 11, 10), actual=date(2021, 9, 8))
    assert early.days_ahead(today) == 63  # "原计划11月开工,9月上旬已进场"
    late_open = Milestone(kind="start", planned=date(2021, 9, 1))
    assert late_open.days_ahead(today) == -14 and late_open.is_overdue(today)
    assert Milestone(kind="start", planned=date(2021, 10, 1)).days_ahead(today) is None


# The seed's figures ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_reproduces_the_seed_000_investment_figures():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command(
        "investment_summary",
        "--year",
        "2021",
        "--through-month",
        "5",
        "--unit",
        "福州高新区",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["count"] == 93
    assert Decimal(data["total"]) / investment.YI == Decimal("962.14")
    assert Decimal(data["annual_plan"]) / investment.YI == Decimal("171.62")
    assert Decimal(data["done"]) / investment.YI == Decimal("88.19")
    assert data["done_pct"] == "51.39"
    assert data["elapsed_pct"] == "41.67"
    # "一季度共引入88个招商项目,总投资约227.69亿元"
    from projects.models import PromotionProject

    q1 = PromotionProject.objects.filter(signed_on__gte=date(2021, 1, 1), signed_on__lte=date(2021, 3, 31))
    assert q1.count() == 88
    assert sum(p.amount for p in q1) / investment.YI == Decimal("227.69")


# Pages and permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, visible",
    [
        ("owner", {"甲产业园", "甲道路"}),
        ("colleague", {"乙学校"}),
        ("outsider", {"丙医院"}),
        ("office", {"甲产业园", "甲道路", "乙学校"}),
        ("leader", {"甲产业园", "甲道路", "乙学校"}),
        ("other_office", {"丙医院"}),
    ],
)
def test_the_list_shows_what_each_person_may_see(projects, login, world, who, visible):
    response = login(getattr(world, who)).get(reverse("project_list"), {"year": 2021, "month": 5})
    assert response.status_code == 200
    assert {p.name for p, _, _ in response.context["rows"]} == visible


@pytest.mark.parametrize(
    "who, status",
    [("owner", 200), ("colleague", 404), ("outsider", 404), ("office", 200), ("leader", 200), ("other_office", 404)],
)
def test_project_page_permissions(projects, login, world, who, status):
    assert login(getattr(world, who)).get(reverse("project_detail", args=[projects["a"].pk])).status_code == status


@pytest.mark.parametrize(
    "who, status",
    [("owner", 200), ("colleague", 404), ("outsider", 404), ("office", 403), ("leader", 403), ("other_office", 404)],
)
def test_only_the_responsible_unit_edits(projects, login, world, who, status):
    assert login(getattr(world, who)).get(reverse("project_edit", args=[projects["a"].pk])).status_code == status


def test_the_list_filters_and_totals(projects, login, world):
    client = login(world.office)
    response = client.get(reverse("project_list"), {"year": 2021, "month": 5, "level": "municipal"})
    assert {p.name for p, _, _ in response.context["rows"]} == {"甲产业园", "乙学校"}
    totals = response.context["totals"]
    assert totals.count == 2 and totals.figures.ytd == 90 * WAN
    assert ">90.00<" in response.content.decode()  # 90 万元 in the foot
    response = client.get(reverse("project_list"), {"year": 2021, "month": 5, "unit": world.a.pk})
    assert {p.name for p, _, _ in response.context["rows"]} == {"甲产业园", "甲道路"}
    # behind schedule: done % more than 10 points behind 5/12 = 41.67 % (乙学校 at 33.33 % is not)
    response = client.get(reverse("project_list"), {"year": 2021, "month": 5, "behind": "1"})
    assert {p.name for p, _, _ in response.context["rows"]} == {"甲道路"}  # 丙医院 is the other zone's


def test_overdue_milestone_filter(projects, login, world):
    Milestone.objects.create(project=projects["b"], kind="start", planned=timezone.localdate() - timedelta(days=3))
    Milestone.objects.create(project=projects["a"], kind="start", planned=timezone.localdate() + timedelta(days=3))
    response = login(world.office).get(reverse("project_list"), {"year": 2021, "month": 5, "overdue": "1"})
    assert [p.name for p, _, _ in response.context["rows"]] == ["乙学校"]


def test_the_owner_records_a_month(projects, login, world):
    client = login(world.owner)
    url = reverse("project_edit", args=[projects["a"].pk])
    response = client.post(url, {"month": "2021-06", "amount": "12.5", "progress_text": "主体封顶"}, follow=True)
    assert response.status_code == 200
    assert MonthlyInvestment.objects.get(project=projects["a"], month=date(2021, 6, 1)).amount == Decimal("125000")
    projects["a"].refresh_from_db()
    assert projects["a"].progress_text == "主体封顶"


@pytest.mark.parametrize("amount", ["-1", "abc", "1e20"])
def test_bad_amounts_change_nothing(projects, login, world, amount):
    client = login(world.owner)
    url = reverse("project_edit", args=[projects["a"].pk])
    response = client.post(url, {"month": "2021-06", "amount": amount, "progress_text": "改了"}, follow=True)
    assert "未保存" in response.content.decode()
    assert not MonthlyInvestment.objects.filter(project=projects["a"], month=date(2021, 6, 1)).exists()
    projects["a"].refresh_from_db()
    assert projects["a"].progress_text == ""


def test_a_future_month_is_refused(projects, login, world):
    future = (timezone.localdate() + timedelta(days=40)).strftime("%Y-%m")
    client = login(world.owner)
    client.post(reverse("project_edit", args=[projects["a"].pk]), {"month": future, "amount": "1"})
    assert not MonthlyInvestment.objects.filter(project=projects["a"], month__gt=timezone.localdate()).exists()


@pytest.mark.parametrize("who", ["owner", "office", "leader", "outsider"])
def test_summary_page_opens(projects, login, world, who):
    response = login(getattr(world, who)).get(reverse("investment_summary"), {"year": 2021, "month": 5})
    assert response.status_code == 200
    assert 'data-chart="plandone"' in response.content.decode()


def test_the_list_uses_a_fixed_number_of_queries(world, login):
    def add(n, offset):
        rows = [Project(unit=world.a, name=f"项目{offset + k}", total_investment=WAN) for k in range(n)]
        Project.objects.bulk_create(rows)
        created = Project.objects.filter(name__in=[r.name for r in rows])
        AnnualPlan.objects.bulk_create([AnnualPlan(project=p, year=2021, amount=WAN) for p in created])
        MonthlyInvestment.objects.bulk_create(
            [MonthlyInvestment(project=p, month=date(2021, 5, 1), amount=1) for p in created]
        )

    client = login(world.office)
    add(5, 0)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("project_list"), {"year": 2021, "month": 5}).status_code == 200
        return len(ctx)

    few = count()
    add(5000, 100)
    assert count() == few
