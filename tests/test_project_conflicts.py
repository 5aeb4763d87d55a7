"""Two people updating the same project's month: the later save from a stale form is refused with
a clear message, keeps the person's entries in the form and overwrites nothing."""

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from org.models import Membership
from projects.models import Milestone, MonthlyInvestment, Project
from tests.conftest import make_user

CONFLICT = "其他人在您打开后保存了这个项目"


def opened(user, project):
    client = Client()
    client.force_login(user)
    page = client.get(reverse("project_edit", args=[project.pk]))
    assert page.status_code == 200
    return client, page.context.get("seen", "")  # (the code before stamps had none)


def save(client, project, seen, amount, text="进展", **extra):
    data = {"month": "2026-01", "amount": amount, "progress_text": text, "seen": seen, **extra}
    return client.post(reverse("project_edit", args=[project.pk]), data, follow=True)


def test_it_refuses_the_later_of_two_forms_opened_together_and_keeps_its_entries(world):
    project = Project.objects.create(unit=world.a, name="甲项目", total_investment=Decimal(10**8))
    first, first_seen = opened(world.owner, project)
    second, second_seen = opened(make_user("second", world.a, Membership.Role.REPORTER), project)
    assert "已保存" in save(first, project, first_seen, "5", text="主体封顶").content.decode()
    late = save(second, project, second_seen, "7", text="另一个人的进展")
    page = late.content.decode()
    assert late.status_code == 409 and CONFLICT in page
    assert 'value="7"' in page and "另一个人的进展" in page  # the refused entries stay in the form
    assert MonthlyInvestment.objects.get(project=project, month=date(2026, 1, 1)).amount == Decimal(50000)
    project.refresh_from_db()
    assert project.progress_text == "主体封顶"


def test_it_saves_again_from_the_refused_form_once_the_person_has_seen_the_change(world):
    project = Project.objects.create(unit=world.a, name="甲项目", total_investment=Decimal(10**8))
    first, first_seen = opened(world.owner, project)
    second, second_seen = opened(world.owner, project)
    save(first, project, first_seen, "5")
    refused = save(second, project, second_seen, "7")
    assert CONFLICT in refused.content.decode()
    again = save(second, project, refused.context["seen"], "7")
    assert CONFLICT not in again.content.decode()
    assert MonthlyInvestment.objects.get(project=project, month=date(2026, 1, 1)).amount == Decimal(70000)


def test_it_refuses_a_stale_form_after_a_milestone_was_set_elsewhere(world):
    project = Project.objects.create(unit=world.a, name="甲项目", total_investment=Decimal(10**8))
    milestone = Milestone.objects.create(project=project, kind="start", planned=date(2026, 1, 1))
    client, seen = opened(world.owner, project)
    Milestone.objects.filter(pk=milestone.pk).update(actual=date(2026, 1, 5))  # e.g. through the import
    response = save(client, project, seen, "1", **{f"ms_{milestone.pk}": ""})
    assert CONFLICT in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.actual == date(2026, 1, 5) and not MonthlyInvestment.objects.filter(project=project).exists()


def test_it_refuses_a_garbled_stamp(world):
    project = Project.objects.create(unit=world.a, name="甲项目", total_investment=Decimal(10**8))
    client, _seen = opened(world.owner, project)
    response = save(client, project, "abc", "3")
    assert CONFLICT in response.content.decode()
    assert not MonthlyInvestment.objects.filter(project=project).exists()
