"""Edit forms other than the weekly report and the project month (tests/test_report_conflicts.py,
tests/test_project_conflicts.py) that could lose an update: a task's progress note, the scoring
scheme, moving a household back. A form opened before someone else's save is refused with a
Chinese message and changes nothing."""

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Scheme
from campaigns.models import Task
from org.models import Membership, OrgUnit
from requisition.models import Household, Stage, StageEvent
from tests.conftest import make_user
from tests.test_assessment_pages import scheme_post


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# Task progress -----------------------------------------------------------------------------------


def test_it_refuses_a_stale_task_progress_note_and_keeps_it_in_the_form(world):
    task = Task.objects.create(
        campaign=world.campaign, unit=world.a, title="完成地块清表", deadline=timezone.localdate() + timedelta(days=9)
    )
    url = reverse("task_detail", args=[world.campaign.pk, task.pk])
    first, second = client_for(world.owner), client_for(make_user("second", world.a, Membership.Role.REPORTER))
    first_seen = first.get(url).context.get("seen", "")
    second_seen = second.get(url).context.get("seen", "")
    first.post(url, {"action": "progress", "progress_note": "已完成80%", "seen": first_seen})
    late = second.post(url, {"action": "progress", "progress_note": "已完成30%", "seen": second_seen}, follow=True)
    page = late.content.decode()
    assert "其他人在您打开后更新了这项任务" in page and "已完成30%" in page
    task.refresh_from_db()
    assert task.progress_note == "已完成80%"


# Scoring scheme ----------------------------------------------------------------------------------


def test_it_refuses_a_stale_scoring_scheme_form(world):
    url = reverse("assessment_scheme", args=[world.campaign.pk])
    first, second = client_for(world.office), client_for(make_user("office2", world.zone, Membership.Role.OFFICE))
    first_seen, second_seen = first.get(url).context.get("seen", ""), second.get(url).context.get("seen", "")
    land = {"kind": "indicator", "indicator": str(world.land.pk), "weight": "70"}
    parts = [land, {"kind": "reports", "weight": "30"}]
    assert first.post(url, {**scheme_post(world, parts), "seen": first_seen}).status_code == 302
    other = [{"kind": "reports", "weight": "100"}]
    late = second.post(url, {**scheme_post(world, other, green_from="77"), "seen": second_seen})
    page = late.content.decode()
    assert late.status_code == 400 and "其他人在您打开后保存了这套评分办法" in page
    assert 'value="77"' in page  # the refused entries stay in the form
    scheme = Scheme.objects.get(campaign=world.campaign)
    assert scheme.green_from == 85 and [(p.kind, p.weight) for p in scheme.parts.all()] == [
        ("indicator", 70),
        ("reports", 30),
    ]


def test_it_refuses_resetting_a_scheme_changed_since_the_page_was_opened(world):
    url = reverse("assessment_scheme", args=[world.campaign.pk])
    office = client_for(world.office)
    office.post(url, scheme_post(world, [{"kind": "reports", "weight": "100"}]))
    seen = office.get(url).context.get("seen", "")
    Scheme.objects.get().save()  # someone else saves it again
    response = office.post(url, {"action": "reset", "seen": seen}, follow=True)
    assert "其他人在您打开后保存了这套评分办法" in response.content.decode()
    assert Scheme.objects.exists()


# Moving a household back -------------------------------------------------------------------------


def test_it_refuses_moving_back_a_household_that_moved_since_the_page_was_opened(world):
    village = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    household = Household.objects.create(
        village=village,
        number="1",
        head_name="张三",
        stage=Stage.MEASURED,
        visited_on=date(2026, 1, 5),
        measured_on=date(2026, 1, 6),
    )
    owner = client_for(world.owner)
    page = owner.get(reverse("requisition_household", args=[household.pk])).content.decode()
    assert 'name="from_stage" value="measured"' in page
    Household.objects.filter(pk=household.pk).update(stage=Stage.ASSESSED, assessed_on=date(2026, 1, 7))
    response = owner.post(
        reverse("requisition_back", args=[household.pk]),
        {"to_stage": Stage.VISITED, "reason": "重新丈量", "from_stage": Stage.MEASURED},
        follow=True,
    )
    assert "其他人在您打开后改动了这户的进度" in response.content.decode()
    household.refresh_from_db()
    assert (household.stage, household.assessed_on) == (Stage.ASSESSED, date(2026, 1, 7))
    assert not StageEvent.objects.exists()


# Compensation scheme (edited in the admin) -------------------------------------------------------


def test_it_refuses_a_stale_compensation_scheme_in_the_admin(world, admin_client):
    from requisition.models import CompensationScheme
    from tests.test_compensation import make_scheme

    scheme = make_scheme(world.a)
    url = reverse("admin:requisition_compensationscheme_change", args=[scheme.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    assert data["seen"]
    other = CompensationScheme.objects.get(pk=scheme.pk)
    other.decoration_rate = 350
    other.save()  # someone else saved it meanwhile
    response = admin_client.post(url, {**data, "decoration_rate": "999"})
    page = response.content.decode()
    assert response.status_code == 200 and "其他人在您打开后保存了这个补偿方案" in page
    assert 'value="999"' in page
    assert CompensationScheme.objects.get(pk=scheme.pk).decoration_rate == 350
