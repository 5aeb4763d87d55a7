"""The audit trail records changes of business data, log-ins, downloads and reveals, and
nobody can change it."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import signals
from django.urls import reverse

import audit
from audit.models import Entry, ImmutableError
from audit.trail import NOT_AUDITED, is_audited
from campaigns.models import Campaign, Target
from org.models import Membership, OrgUnit
from projects.models import Project
from reports.models import WeekLock, WeeklyReport
from requisition.models import Household
from tests.conftest import PASSWORD

ID = "110101199003074477"


def entries(obj, action=None):
    qs = Entry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def test_every_model_of_the_business_apps_is_followed_except_log_like_ones():
    for label in ("org", "campaigns", "reports", "projects", "requisition", "problems", "assessment", "bulletins"):
        models = list(apps.get_app_config(label).get_models())
        assert models
        for model in models:
            audited = model._meta.label_lower not in NOT_AUDITED
            assert is_audited(model) is audited
            assert signals.post_save.has_listeners(model) or not audited
    assert not is_audited(Entry) and not is_audited(get_user_model())


def test_a_change_through_a_page_records_who_when_where_before_and_after(world, client):
    client.force_login(world.owner)
    response = client.post(
        reverse("report", args=[world.a.pk, world.week.label]),
        {f"v_{world.land.pk}": "12", f"v_{world.households.pk}": "3", f"v_{world.projects.pk}": "1",
         "progress_text": "本周进展", "problems_text": "", "save": "1"},
        REMOTE_ADDR="10.2.3.4",
    )  # fmt: skip
    assert response.status_code == 302
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    created = entries(report, Entry.Action.CREATE).get()
    assert (created.user, created.username, created.address) == (world.owner, "owner", "10.2.3.4")
    assert created.after["progress_text"] == "本周进展" and created.after["unit_id"] == world.a.pk
    assert created.path.startswith(reverse("report", args=[world.a.pk, world.week.label]))
    values = Entry.objects.filter(model="reports.reportvalue", action=Entry.Action.CREATE)
    assert sorted(e.after["amount"] for e in values) == ["1", "12", "3"] or values.count() == 3


@pytest.mark.parametrize("app", ["org", "campaigns", "reports", "projects", "requisition", "problems", "assessment"])
def test_create_change_and_delete_are_recorded_for_each_app(world, app):
    obj, change = make_and_change(app, world)
    assert entries(obj, Entry.Action.CREATE).count() == 1
    before = {k: getattr(obj, k) for k in change}
    for name, value in change.items():
        setattr(obj, name, value)
    obj.save()
    updated = entries(obj, Entry.Action.UPDATE).get()
    assert set(updated.after) == set(change)  # only what changed
    assert set(updated.before) == set(change) and updated.before != updated.after
    assert all(updated.before[k] is not None or before[k] is None for k in change)
    obj.save()  # no change: no entry
    assert entries(obj, Entry.Action.UPDATE).count() == 1
    pk = obj.pk
    obj.delete()
    deleted = Entry.objects.get(model=obj._meta.label_lower, object_id=str(pk), action=Entry.Action.DELETE)
    assert deleted.before["id"] == pk and deleted.after is None
    assert deleted.user is None and deleted.username == ""  # outside a request: no person


def make_and_change(app, world):
    if app == "org":
        return OrgUnit.objects.create(name="丁指挥部", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone), {
            "leader": "王五"
        }
    if app == "campaigns":
        return Target.objects.create(
            campaign=world.other_campaign, unit=world.c, indicator=world.households, amount=5
        ), {"amount": Decimal("7.5")}
    if app == "reports":
        return WeekLock.objects.create(unit=world.zone, week_end=date(2020, 1, 3), locked_by=world.office), {
            "week_end": date(2020, 1, 10)
        }
    if app == "projects":
        return Project.objects.create(unit=world.a, name="审计项目", total_investment=Decimal(10**7)), {
            "name": "审计项目二"
        }
    if app == "requisition":
        village = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
        return Household.objects.create(village=village, number="1", head_name="户主"), {"members": 4}
    if app == "problems":
        from problems.models import Problem

        return Problem.objects.create(title="道路未通", raised_by_unit=world.a), {"title": "道路仍未通"}
    if app == "assessment":
        from assessment.models import Scheme

        campaign = Campaign.objects.create(
            name="考核行动", owner=world.zone, start=date(2026, 1, 1), end=date(2026, 6, 30)
        )
        return Scheme.objects.create(campaign=campaign), {"bottom_n": 2}
    raise AssertionError(app)


def test_id_numbers_and_phones_are_masked_in_the_trail(world):
    village = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    h = Household.objects.create(village=village, number="7", head_name="户主", id_number=ID, phone="13812345678")
    h.phone = "13912345678"
    h.save()
    created = entries(h, Entry.Action.CREATE).get()
    assert created.after["id_number"] == "110***********4477" and created.after["phone"] == "138****5678"
    updated = entries(h, Entry.Action.UPDATE).get()
    assert updated.before == {"phone": "138****5678"} and updated.after == {"phone": "139****5678"}
    text = str(list(Entry.objects.values_list("before", "after")))
    assert ID not in text and "13812345678" not in text and "13912345678" not in text


def test_personal_data_inside_json_values_is_masked_too():
    from audit.trail import masked

    data = {"data": {"owner": {"phone": "13812345678", "id_number": ID}, "rows": [{"mobile": "13912345678"}]}}
    assert masked(data) == {
        "data": {
            "owner": {"phone": "138****5678", "id_number": "110***********4477"},
            "rows": [{"mobile": "139****5678"}],
        }
    }


def test_links_between_records_are_recorded(world):
    project = Project.objects.create(unit=world.a, name="联动项目", total_investment=Decimal(1))
    project.campaigns.add(world.campaign)
    project.campaigns.remove(world.campaign)
    changes = entries(project, Entry.Action.UPDATE).order_by("pk")
    assert [c.after for c in changes] == [{"campaigns": {"added": [world.campaign.pk]}}, None]
    assert changes[1].before == {"campaigns": {"removed": [world.campaign.pk]}}


def test_membership_changes_are_recorded(world):
    m = Membership.objects.create(user=world.outsider, unit=world.a, role=Membership.Role.LEADER)
    assert entries(m, Entry.Action.CREATE).get().after["role"] == "leader"


def test_log_in_failed_log_in_and_log_out_are_recorded(world, client):
    client.post(reverse("login"), {"username": "owner", "password": "nope"}, REMOTE_ADDR="10.0.0.5")
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.5")
    actions = list(Entry.objects.filter(username="owner").order_by("pk").values_list("action", "address"))
    assert actions == [("login_failed", "10.0.0.5"), ("login", "10.0.0.5"), ("logout", "10.0.0.5")]


def test_a_download_is_recorded_as_an_export(world, client):
    client.force_login(world.office)
    response = client.get(reverse("project_export"), {"year": 2026, "month": 3})
    assert response["Content-Disposition"].startswith("attachment")
    export = Entry.objects.get(action=Entry.Action.EXPORT)
    assert export.user == world.office and "year=2026" in export.path and ".xlsx" in export.note


def test_a_reveal_of_personal_data_is_recorded(world, client):
    village = OrgUnit.objects.create(name="一村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    h = Household.objects.create(village=village, number="9", head_name="户主", id_number=ID)
    client.force_login(world.office)
    response = client.post(
        reverse("requisition_household", args=[h.pk]), {"field": "id_number"}, REMOTE_ADDR="10.0.0.9"
    )
    assert ID in response.content.decode()
    reveal = entries(h, Entry.Action.REVEAL).get()
    assert (reveal.user, reveal.address, reveal.note) == (world.office, "10.0.0.9", "id_number")
    assert not Entry.objects.filter(model="requisition.reveallog").exists()  # not also as a plain create


def test_a_bulk_import_can_record_one_entry(world):
    entry = audit.record(Entry.Action.IMPORT, Project, note="12 created, 3 changed from projects.xlsx")
    assert (entry.model, entry.action, entry.object_id) == ("projects.project", "import", "")


def test_the_trail_cannot_be_changed_or_deleted(world):
    entry = audit.record(Entry.Action.IMPORT, "projects.project", note="x")
    entry.note = "rewritten"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        Entry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(ImmutableError):
        Entry.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).note == "x"


def test_deleting_a_person_keeps_their_entries(world):
    user = get_user_model().objects.create_user("temp", password=PASSWORD)
    entry = audit.record(Entry.Action.IMPORT, "projects.project", user=user)
    user.delete()
    assert Entry.objects.get(pk=entry.pk).username == "temp"


def test_the_admin_shows_the_trail_read_only(world, client):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    entry = audit.record(Entry.Action.IMPORT, "projects.project", note="x")
    client.force_login(root)
    assert client.get(reverse("admin:audit_entry_changelist")).status_code == 200
    page = client.get(reverse("admin:audit_entry_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:audit_entry_add")).status_code == 403
    assert client.post(reverse("admin:audit_entry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:audit_entry_change", args=[entry.pk]), {"note": "y"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).note == "x"
