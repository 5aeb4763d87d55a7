import json
from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Target
from org.models import OrgUnit
from reports.models import WeeklyReport


def progress_json(campaign, at):
    out = StringIO()
    call_command("campaign_progress", str(campaign.pk), "--at", at, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_reproduces_seed_000_figures_on_10_june():
    call_command("load_demo", stdout=StringIO())
    fuzhou = Campaign.objects.get(name="2021年上半年征迁交地攻坚行动")
    data = progress_json(fuzhou, "2021-06-10")
    by_code = {i["code"]: i for i in data["indicators"]}
    land, households = by_code["land_delivered"], by_code["households_relocated"]
    assert land["total"]["done_pct"] == "76.47"
    assert households["total"]["done_pct"] == "59.05"
    land_ranked = sorted(land["units"], key=lambda r: float(r["done_pct"]), reverse=True)
    assert land_ranked[0]["unit"] == "两园指挥部"
    assert float(land_ranked[0]["done_pct"]) > 95
    hh_ranked = sorted(households["units"], key=lambda r: float(r["done_pct"]), reverse=True)
    assert hh_ranked[1]["unit"] == "高岐湖指挥部"
    assert hh_ranked[1]["done"] == "96.00"
    assert {r["unit"] for r in land["units"]} == {"两园指挥部", "小城镇指挥部", "海西园指挥部", "高岐湖指挥部"}


@pytest.mark.django_db
def test_it_loads_hanjiang_with_seven_posts_sharing_three_million():
    call_command("load_demo", stdout=StringIO())
    hanjiang = Campaign.objects.get(name="奋战100天，征迁300万")
    assert (hanjiang.end - hanjiang.start).days + 1 == 100
    targets = Target.objects.filter(campaign=hanjiang, indicator__code="area_demolished")
    assert targets.count() == 7
    assert sum(t.amount for t in targets) == 3_000_000


@pytest.mark.django_db
def test_it_is_safe_to_run_twice():
    from cadres.models import Assignment, Pairing

    call_command("load_demo", stdout=StringIO())
    counts = (OrgUnit.objects.count(), Target.objects.count(), WeeklyReport.objects.count())
    cadres = (Assignment.objects.count(), Pairing.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (OrgUnit.objects.count(), Target.objects.count(), WeeklyReport.objects.count()) == counts
    assert (Assignment.objects.count(), Pairing.objects.count()) == cadres
    # seed 001's people lent to the front, from the demo's roster (cadres/)
    out = StringIO()
    call_command("cadre_summary", "--unit", "涵江区", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["departments_lending"] == 48 and figures["cadres_lent"] >= 500
    assert len(figures["by_command_post"]) == 7 and len(figures["pairings"]) == 5
    assert [(t["town"], t["cadres"]) for t in figures["town_teams"]] == [("白沙镇", 6)]


@pytest.mark.django_db
def test_cli_refuses_a_date_outside_the_campaign():
    call_command("load_demo", stdout=StringIO())
    fuzhou = Campaign.objects.get(name="2021年上半年征迁交地攻坚行动")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不在攻坚行动期间"):
        progress_json(fuzhou, "2022-01-01")
    with pytest.raises(CommandError, match="日期格式"):
        progress_json(fuzhou, "10/06/2021")


@pytest.mark.django_db
def test_it_gives_every_problem_page_something_real():
    """Departments with people who handle problems, problems in each state with their history,
    one overdue and one due within three days, contacts on departments and command posts."""
    from datetime import timedelta

    from django.utils import timezone

    from org.models import Membership
    from problems.models import Problem

    call_command("load_demo", stdout=StringIO())
    hanjiang = OrgUnit.objects.get(name="涵江区")
    from demo.problems import DEPARTMENTS

    all_departments = OrgUnit.objects.filter(parent=hanjiang, kind=OrgUnit.Kind.DEPARTMENT)
    assert all_departments.count() == 48  # seed 001's departments lending cadres (demo/cadres.py)
    departments = all_departments.filter(name__in=[name for _u, name, *_rest in DEPARTMENTS])
    assert departments.count() == 4  # those handling problems
    assert all(d.contact_name and d.contact_phone for d in departments)
    assert all(Membership.objects.filter(unit=d).exists() for d in departments)
    posts = OrgUnit.objects.filter(parent=hanjiang, kind=OrgUnit.Kind.COMMAND_POST)
    assert all(p.contact_phone for p in posts)
    problems = Problem.objects.filter(raised_by_unit__in=hanjiang.subtree())
    assert set(problems.values_list("status", flat=True)) == set(Problem.Status.values)
    assert all(p.steps.exists() for p in problems)
    today = timezone.localdate()
    open_assigned = problems.filter(status=Problem.Status.ASSIGNED)
    assert open_assigned.filter(deadline__lt=today).count() == 1
    assert open_assigned.filter(deadline__gte=today, deadline__lte=today + timedelta(days=3)).count() == 1
    assert all(p.responsible.kind == OrgUnit.Kind.DEPARTMENT for p in problems.exclude(responsible=None))
    count = problems.count()
    call_command("load_demo", stdout=StringIO())
    assert Problem.objects.filter(raised_by_unit__in=hanjiang.subtree()).count() == count
