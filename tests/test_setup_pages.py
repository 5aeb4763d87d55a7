"""The office sets itself up (issue 16): units, people, campaigns, targets — its own part of the
tree only. Permission: office (owner of the set-up), colleague, outsider, the other zone's office."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AccountSecurity
from audit.models import Entry
from campaigns.models import Campaign, Indicator, Target
from org.models import Membership, OrgUnit
from setup.models import CampaignPlan

User = get_user_model()

PAGES = ["setup", "setup_units", "setup_people", "setup_campaigns"]


@pytest.mark.parametrize("name", PAGES)
def test_only_an_office_opens_the_set_up_pages(name, world, client):
    for user, code in ((world.office, 200), (world.colleague, 403), (world.outsider, 403), (world.leader, 403)):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == code, user


def test_the_menu_offers_set_up_to_the_office_and_the_admin_to_the_superuser(world, client):
    client.force_login(world.office)
    text = client.get(reverse("home")).content.decode()
    assert reverse("setup") in text and reverse("admin:index") not in text
    world.office.is_staff = True
    world.office.save()
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(User.objects.create_superuser("root", password="x-Root-12345"))
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    client.force_login(world.owner)
    assert reverse("setup") not in client.get(reverse("home")).content.decode()


# --- units ---


def unit_post(parent, name="丙工作组", kind="working_group", **extra):
    return {"parent": parent.pk, "name": name, "kind": kind, "sort_order": "0", **extra}


def test_the_office_adds_a_unit_with_leader_and_contact(world, client):
    client.force_login(world.office)
    data = unit_post(
        world.b, leader="李副区长", leader_title="副区长", contact_name="王联络", contact_phone="13800000000"
    )
    response = client.post(reverse("setup_units"), data)
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="丙工作组")
    assert (unit.parent, unit.leader, unit.leader_title, unit.contact_name) == (world.b, "李副区长", "副区长", "王联络")
    assert unit.path.startswith(world.b.path)
    entry = Entry.objects.get(model="org.orgunit", object_id=str(unit.pk), action=Entry.Action.CREATE)
    assert entry.user == world.office
    assert "丙工作组" in client.get(reverse("setup_units")).content.decode()


def test_the_office_moves_a_unit_and_its_subtree(world, client):
    client.force_login(world.office)
    data = unit_post(world.b, name=world.a.name, kind="command_post")
    assert client.post(reverse("setup_unit", args=[world.a.pk]), data).status_code == 302
    world.a.refresh_from_db()
    world.a1.refresh_from_db()
    assert world.a.parent == world.b and world.a1.path.startswith(world.a.path)
    assert Entry.objects.filter(model="org.orgunit", object_id=str(world.a.pk), action=Entry.Action.UPDATE).exists()


def test_a_unit_is_not_moved_below_itself(world, client):
    client.force_login(world.office)
    data = unit_post(world.a1, name=world.a.name, kind="command_post")
    response = client.post(reverse("setup_unit", args=[world.a.pk]), data)
    assert response.status_code == 400
    assert "上级单位必须是本单位管辖的单位" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.parent == world.zone


def test_a_villagers_group_hangs_under_a_village(world, client):
    client.force_login(world.office)
    response = client.post(reverse("setup_units"), unit_post(world.a, name="一组", kind="village_group"))
    assert response.status_code == 400 and "村民小组" in response.content.decode()
    village = OrgUnit.objects.create(name="甲村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    assert client.post(reverse("setup_units"), unit_post(village, name="一组", kind="village_group")).status_code == 302
    assert OrgUnit.objects.get(name="一组").parent == village


def test_the_other_zone_office_cannot_reach_or_use_home_units(world, client):
    client.force_login(world.other_office)
    assert client.get(reverse("setup_unit", args=[world.a.pk])).status_code == 404
    before = list(OrgUnit.objects.values_list("pk", "parent_id", "name", "path"))
    assert client.post(reverse("setup_unit", args=[world.a.pk]), unit_post(world.c, name="占")).status_code == 404
    response = client.post(reverse("setup_units"), unit_post(world.a, name="外区挂靠组"))
    assert response.status_code == 400
    assert list(OrgUnit.objects.values_list("pk", "parent_id", "name", "path")) == before
    page = client.get(reverse("setup_units")).content.decode()
    assert "丙指挥部" in page and "甲指挥部" not in page and "测试区" not in page


def test_the_office_keeps_its_own_unit_where_it_hangs(world, client):
    client.force_login(world.office)
    data = {"name": "测试区(新)", "kind": "zone", "sort_order": "0", "parent": world.other_zone.pk}
    assert client.post(reverse("setup_unit", args=[world.zone.pk]), data).status_code == 302
    world.zone.refresh_from_db()
    assert world.zone.name == "测试区(新)" and world.zone.parent is None


@pytest.mark.parametrize("who", ["colleague", "outsider", "leader"])
def test_no_one_but_the_office_changes_units(who, world, client):
    client.force_login(getattr(world, who))
    assert client.post(reverse("setup_units"), unit_post(world.b)).status_code == 403
    assert client.post(reverse("setup_unit", args=[world.b.pk]), unit_post(world.a, name="改")).status_code == 403
    assert not OrgUnit.objects.filter(name__in=["丙工作组", "改"]).exists()


# --- people ---


def person_post(unit, username="newbie", role="reporter"):
    return {"username": username, "full_name": "新人", "email": "", "unit": unit.pk, "role": role}


def first_password_of(response):
    text = response.content.decode()
    start = text.index('class="password"')
    return text[text.index(">", start) + 1 : text.index("</code>", start)]


def test_the_office_adds_a_person_and_the_password_is_shown_once(world, client):
    client.force_login(world.office)
    response = client.post(reverse("setup_people"), person_post(world.a))
    assert response.status_code == 200
    password = first_password_of(response)
    user = User.objects.get(username="newbie")
    assert user.check_password(password) and user.first_name == "新人"
    assert list(user.memberships.values_list("unit", "role")) == [(world.a.pk, "reporter")]
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert password not in client.get(reverse("setup_people")).content.decode()
    assert Entry.objects.filter(model="auth.user", object_id=str(user.pk), action=Entry.Action.CREATE).exists()
    assert Entry.objects.filter(model="org.membership", action=Entry.Action.CREATE, user=world.office).exists()
    # the person logs in and is sent to choose a password of their own
    client.logout()
    client.post(reverse("login"), {"username": "newbie", "password": password})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    new = "Mein-eigenes-42"
    response = client.post(
        reverse("password_change"), {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not AccountSecurity.objects.get(user=user).must_change_password


def test_a_person_is_refused_with_a_taken_name_or_another_zones_unit(world, client):
    client.force_login(world.office)
    response = client.post(reverse("setup_people"), person_post(world.a, username="owner"))
    assert response.status_code == 400 and "用户名已被使用" in response.content.decode()
    response = client.post(reverse("setup_people"), person_post(world.c, username="spy"))
    assert response.status_code == 400 and "请选择本单位管辖的单位" in response.content.decode()
    assert not User.objects.filter(username="spy").exists()


def test_the_office_resets_a_password_and_disables_an_account(world, client):
    client.force_login(world.office)
    url = reverse("setup_person", args=[world.owner.pk])
    response = client.post(url, {"action": "reset"})
    password = first_password_of(response)
    world.owner.refresh_from_db()
    assert world.owner.check_password(password)
    assert AccountSecurity.objects.get(user=world.owner).must_change_password
    assert client.post(url, {"action": "disable"}).status_code == 302
    world.owner.refresh_from_db()
    assert not world.owner.is_active
    assert Entry.objects.filter(model="auth.user", object_id=str(world.owner.pk), note__contains="disabled").exists()
    assert client.post(url, {"action": "enable"}).status_code == 302
    world.owner.refresh_from_db()
    assert world.owner.is_active


def test_the_office_changes_a_persons_unit_and_role(world, client):
    client.force_login(world.office)
    url = reverse("setup_person", args=[world.owner.pk])
    assert client.post(url, {"action": "add_membership", "unit": world.b.pk, "role": "leader"}).status_code == 302
    old = Membership.objects.get(user=world.owner, unit=world.a)
    assert client.post(url, {"action": "remove_membership", "membership": old.pk}).status_code == 302
    assert list(world.owner.memberships.values_list("unit", "role")) == [(world.b.pk, "leader")]
    response = client.post(url, {"action": "add_membership", "unit": world.c.pk, "role": "office"})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=world.owner, unit=world.c).exists()


def test_a_person_serving_another_zone_too_is_not_reset_or_disabled(world, client):
    Membership.objects.create(user=world.owner, unit=world.c, role=Membership.Role.REPORTER)
    client.force_login(world.office)
    url = reverse("setup_person", args=[world.owner.pk])
    assert client.post(url, {"action": "disable"}).status_code == 403
    assert client.post(url, {"action": "reset"}).status_code == 403
    world.owner.refresh_from_db()
    assert world.owner.is_active and world.owner.check_password("test-pass-123")
    assert "丙指挥部" not in client.get(url).content.decode()


def test_the_other_zone_office_cannot_reach_home_people(world, client):
    client.force_login(world.other_office)
    url = reverse("setup_person", args=[world.owner.pk])
    assert client.get(url).status_code == 404
    for action in ("reset", "disable"):
        assert client.post(url, {"action": action}).status_code == 404
    world.owner.refresh_from_db()
    assert world.owner.is_active and world.owner.check_password("test-pass-123")
    assert "owner" not in client.get(reverse("setup_people")).content.decode()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_no_one_but_the_office_makes_accounts(who, world, client):
    client.force_login(getattr(world, who))
    assert client.post(reverse("setup_people"), person_post(world.a)).status_code == 403
    assert client.post(reverse("setup_person", args=[world.owner.pk]), {"action": "disable"}).status_code == 403
    assert not User.objects.filter(username="newbie").exists()
    world.owner.refresh_from_db()
    assert world.owner.is_active


# --- campaigns: name and period, indicators, units taking part ---


def campaign_post(owner, name="新攻坚行动"):
    return {"name": name, "slogan": "大干一百天", "owner": owner.pk, "start": "2026-01-05", "end": "2026-04-30"}


def test_the_office_makes_a_campaign_in_steps(world, client):
    client.force_login(world.office)
    response = client.post(reverse("setup_campaigns"), campaign_post(world.zone))
    campaign = Campaign.objects.get(name="新攻坚行动")
    assert response.url == reverse("setup_campaign_indicators", args=[campaign.pk])
    assert (campaign.owner, str(campaign.start), campaign.slogan) == (world.zone, "2026-01-05", "大干一百天")
    url = reverse("setup_campaign_indicators", args=[campaign.pk])
    data = {"indicators": [world.land.pk], "new_name": "拆除面积", "new_unit": "m²", "new_kind": "flow", "next": "1"}
    assert client.post(url, data).url == reverse("setup_campaign_units", args=[campaign.pk])
    new = Indicator.objects.get(name="拆除面积")
    assert (new.unit_of_measure, new.kind, new.source) == ("m²", "flow", "report")
    plan = CampaignPlan.objects.get(campaign=campaign)
    assert set(plan.indicators.all()) == {world.land, new}
    url = reverse("setup_campaign_units", args=[campaign.pk])
    assert client.post(url, {"units": [world.a.pk, world.b.pk]}).status_code == 302
    assert set(plan.units.all()) == {world.a, world.b}
    page = client.get(reverse("setup_campaign_targets", args=[campaign.pk])).content.decode()
    assert f'name="t_{world.a.pk}_{new.pk}"' in page and f'name="t_{world.b.pk}_{world.land.pk}"' in page
    assert Entry.objects.filter(model="campaigns.campaign", object_id=str(campaign.pk), user=world.office).exists()
    assert Entry.objects.filter(model="setup.campaignplan", user=world.office).exists()
    summary = client.get(reverse("setup_campaign", args=[campaign.pk])).content.decode()
    assert "默认方案（尚未设置）" in summary and reverse("assessment_scheme", args=[campaign.pk]) in summary


def test_a_campaign_ending_before_it_starts_or_owned_elsewhere_is_refused(world, client):
    client.force_login(world.office)
    data = campaign_post(world.zone) | {"end": "2025-12-31"}
    response = client.post(reverse("setup_campaigns"), data)
    assert response.status_code == 400 and "结束日期早于开始日期" in response.content.decode()
    response = client.post(reverse("setup_campaigns"), campaign_post(world.c))
    assert response.status_code == 400 and "请选择本单位管辖的单位" in response.content.decode()
    assert not Campaign.objects.filter(name="新攻坚行动").exists()


def test_units_outside_the_campaigns_tree_do_not_take_part(world, client):
    client.force_login(world.office)
    campaign = Campaign.objects.create(name="甲行动", owner=world.a, start=world.campaign.start, end=world.campaign.end)
    url = reverse("setup_campaign_units", args=[campaign.pk])
    for unit in (world.b, world.c):  # a home unit outside 甲指挥部's tree, another zone's unit
        response = client.post(url, {"units": [world.a1.pk, unit.pk]})
        assert response.status_code == 400, unit
        assert "不在本行动的单位树中" in response.content.decode()
    assert not CampaignPlan.objects.get(campaign=campaign).units.exists()


def test_a_new_indicator_needs_its_unit_of_measure(world, client):
    client.force_login(world.office)
    url = reverse("setup_campaign_indicators", args=[world.campaign.pk])
    response = client.post(url, {"new_name": "拆除面积", "new_unit": "", "new_kind": "flow"})
    assert response.status_code == 400 and "计量单位" in response.content.decode()
    assert not Indicator.objects.filter(name="拆除面积").exists()


def test_the_other_zone_office_cannot_set_up_a_home_campaign(world, client):
    client.force_login(world.other_office)
    before = list(Target.objects.values_list("pk", "unit_id", "amount"))
    for name in ("setup_campaign", "setup_campaign_indicators", "setup_campaign_units", "setup_campaign_targets"):
        url = reverse(name, args=[world.campaign.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"units": [world.a.pk], f"t_{world.a.pk}_{world.land.pk}": "1"}).status_code == 404
    # its own campaign cannot take the home zone's units either
    own = reverse("setup_campaign_targets", args=[world.other_campaign.pk])
    response = client.post(own, {f"t_{world.a.pk}_{world.land.pk}": "999", "save": "1"})
    assert response.status_code == 400
    assert list(Target.objects.values_list("pk", "unit_id", "amount")) == before
    assert "测试攻坚行动" not in client.get(reverse("setup_campaigns")).content.decode()


@pytest.mark.parametrize("who", ["colleague", "outsider", "leader"])
def test_no_one_but_the_office_sets_up_a_campaign(who, world, client):
    client.force_login(getattr(world, who))
    assert client.post(reverse("setup_campaigns"), campaign_post(world.zone)).status_code == 403
    url = reverse("setup_campaign_targets", args=[world.campaign.pk])
    assert client.post(url, {f"t_{world.a.pk}_{world.land.pk}": "1", "save": "1"}).status_code == 403
    assert Target.objects.get(campaign=world.campaign, unit=world.a, indicator=world.land).amount == 100
    assert not Campaign.objects.filter(name="新攻坚行动").exists()


def test_a_disabled_account_cannot_log_in_and_its_session_ends(world, client):
    from django.test import Client

    reporter = Client()
    reporter.force_login(world.owner)
    assert reporter.get(reverse("home")).status_code == 200
    client.force_login(world.office)
    client.post(reverse("setup_person", args=[world.owner.pk]), {"action": "disable"})
    assert reporter.get(reverse("home")).status_code == 302  # sent to the log-in page
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "owner", "password": "test-pass-123"})
    assert response.status_code == 200 and "_auth_user_id" not in fresh.session


def test_the_office_sets_the_campaigns_thresholds_or_keeps_the_defaults(world, client):
    client.force_login(world.office)
    client.post(reverse("setup_campaigns"), campaign_post(world.zone))
    kept = Campaign.objects.get(name="新攻坚行动")
    assert (kept.yellow_gap, kept.red_gap, kept.hold_factor) == (10, 30, 10)
    data = campaign_post(world.zone, name="乙行动") | {"yellow_gap": "5", "red_gap": "20", "hold_factor": "3"}
    client.post(reverse("setup_campaigns"), data)
    chosen = Campaign.objects.get(name="乙行动")
    assert (chosen.yellow_gap, chosen.red_gap, chosen.hold_factor) == (5, 20, 3)
    for bad in ({"yellow_gap": "20", "red_gap": "5"}, {"hold_factor": "0"}, {"hold_factor": "很多"}):
        response = client.post(reverse("setup_campaigns"), campaign_post(world.zone, name="丙行动") | bad)
        assert response.status_code == 400, bad
    assert not Campaign.objects.filter(name="丙行动").exists()
    page = client.get(reverse("setup_campaign", args=[chosen.pk])).content.decode()
    assert "红色" in page or "暂缓" in page
