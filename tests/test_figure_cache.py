"""Cached campaign figures never outlive the data they were computed from.

The campaign page, the league table and the screen's data.json keep computed figures while the
data version holds (duban/figure_cache.py, duban/versions.py). Each test writes through one
path — the report form's code, the admin, the API, a bulk load, raw SQL, the requisition
ledger — and then sees every page change; others check that the cache is really used and that
a rolled-back write leaves no trace."""

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from campaigns.models import Indicator, Target
from duban import figure_cache, versions
from org.models import Membership, OrgUnit
from reports import entry
from reports.models import ReportValue, WeeklyReport
from requisition.models import Household
from tests.conftest import PASSWORD, submit

DATA = reverse("screen_data")


def pages(client, world):
    """What the three requests show of the campaign: the page's progress tables, each unit's land
    done and rank in the league table, the campaign's bar on the screen."""
    html = client.get(reverse("campaign_detail", args=[world.campaign.pk])).content.decode()
    page = "".join(re.findall(r'<table class="grid progress"[^>]*>.*?</table>', html, re.S))
    league = client.get(reverse("league", args=[world.campaign.pk]), {"indicator": "land"})
    screen = client.get(DATA).json()
    bars = {c["id"]: c["done_pct"] for c in screen["campaigns"]}
    return {
        "page": page,
        "league": {e.unit.name: (e.done, e.rank) for e in league.context["table"].entries},
        "screen": bars[world.campaign.pk],
    }


def land_done(shown, unit_name):
    return shown["league"][unit_name][0]


@pytest.fixture
def office(world, login):
    client = login(world.office)
    figure_cache.clear()
    return client


def test_the_version_triggers_are_installed(db):
    assert versions.expected_triggers() <= versions.installed_triggers()


def test_a_lost_trigger_is_put_back_by_the_next_migrate(db):
    """A migration that rebuilds a SQLite table drops its triggers: they are installed again
    after every migrate (post_migrate), idempotently."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    table = ReportValue._meta.db_table
    name = next(n for n in versions.installed_triggers() if table in n)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{name}"' + (f' ON "{table}"' if connection.vendor == "postgresql" else ""))
    assert name not in versions.installed_triggers()
    post_migrate.send(sender=apps.get_app_config("dashboard"), app_config=apps.get_app_config("dashboard"),
                      verbosity=0, interactive=False, using="default", apps=apps, plan=[])  # fmt: skip
    versions.install_triggers()
    assert versions.expected_triggers() <= versions.installed_triggers()


def test_every_write_draws_a_new_version(world):
    before = versions.read()
    submit(world.a, world.week, {world.land: 1})
    after_report = versions.read()
    assert after_report.reports != before.reports and after_report.structure == before.structure
    Target.objects.filter(campaign=world.campaign, unit=world.a, indicator=world.land).update(amount=150)
    after_target = versions.read()
    assert after_target.structure != after_report.structure and after_target.reports == after_report.reports
    village = OrgUnit.objects.create(name="甲村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    Household.objects.create(village=village, number="1", head_name="张三", legal_area=1, land_area=1)
    after_insert = versions.read()
    assert after_insert.ledger != after_target.ledger  # a new household: the highest id
    Household.objects.filter(village=village).update(signed_on=timezone.localdate())
    assert versions.read().ledger != after_insert.ledger  # a changed one: the trigger


def test_a_report_saved_and_submitted_through_the_form_code(world, office):
    before = pages(office, world)
    entry.save_report(world.a, world.week, world.owner, {f"v_{world.land.pk}": "40", "progress_text": "x"})
    assert pages(office, world) == before  # a draft does not count
    entry.save_report(
        world.a,
        world.week,
        world.owner,
        {
            f"v_{world.land.pk}": "40",
            f"v_{world.households.pk}": "1",
            f"v_{world.projects.pk}": "2",
            "progress_text": "x",
        },
        submit=True,
    )
    after = pages(office, world)
    assert land_done(after, "甲指挥部") == Decimal(40) and land_done(before, "甲指挥部") == 0
    assert after["screen"] > before["screen"]
    assert "40.00" in after["page"]


def test_a_returned_report_stops_counting(world, office):
    report = submit(world.a, world.week, {world.land: 40})
    assert land_done(pages(office, world), "甲指挥部") == Decimal(40)
    entry.return_report(report, world.office, "数字有误")
    assert land_done(pages(office, world), "甲指挥部") == 0


def test_a_report_submitted_through_the_api(world, office):
    pages(office, world)
    api = APIClient()
    _token, key = ApiToken.issue(world.owner, "测试")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(
        reverse("api_report_submit"),
        {"unit": world.a.pk, "week": world.week.label, "values": {"land": "25", "households": "1", "projects": "1"},
         "progress_text": "本周完成征迁"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert land_done(pages(office, world), "甲指挥部") == Decimal(25)


class FormFields(HTMLParser):
    """The fields a browser would post from the page's main form: inputs, selected options,
    text areas."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "checkbox"):
            self.fields[name] = attrs.get("value", "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields[name] = attrs.get("value", "on")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def admin_form(client, url):
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.fields


@pytest.fixture
def admin_client(world, client):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    Membership.objects.create(user=root, unit=world.zone, role=Membership.Role.OFFICE)
    client.force_login(root)
    return client


def test_a_value_corrected_in_the_admin(world, admin_client):
    report = submit(world.a, world.week, {world.land: 40})
    assert land_done(pages(admin_client, world), "甲指挥部") == Decimal(40)
    url = reverse("admin:reports_weeklyreport_change", args=[report.pk])
    fields = admin_form(admin_client, url)
    amount = next(name for name in fields if name.startswith("values-") and name.endswith("-amount"))
    fields[amount] = "55"
    response = admin_client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReportValue.objects.get(report=report).amount == Decimal(55)
    assert land_done(pages(admin_client, world), "甲指挥部") == Decimal(55)


def test_a_target_changed_in_the_admin(world, admin_client):
    submit(world.a, world.week, {world.land: 50})
    before = pages(admin_client, world)
    url = reverse("admin:campaigns_campaign_change", args=[world.campaign.pk])
    fields = admin_form(admin_client, url)
    target = Target.objects.get(campaign=world.campaign, unit=world.a, indicator=world.land)
    prefix = next(n[: -len("-id")] for n, v in fields.items() if n.endswith("-id") and v == str(target.pk))
    fields[f"{prefix}-amount"] = "500"
    response = admin_client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = pages(admin_client, world)
    assert "500.00" in after["page"] and "500.00" not in before["page"]
    assert after["screen"] < before["screen"]  # 甲 is further behind against a larger target


def test_values_bulk_loaded_and_written_in_raw_sql(world, office):
    report = WeeklyReport.objects.create(
        unit=world.b, week_end=world.week.end, status=WeeklyReport.Status.SUBMITTED, progress_text="x"
    )
    pages(office, world)
    ReportValue.objects.bulk_create([ReportValue(report=report, indicator=world.land, amount=Decimal(70))])
    assert land_done(pages(office, world), "乙指挥部") == Decimal(70)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ReportValue._meta.db_table} SET amount = 90 WHERE report_id = %s", [report.pk])
    assert land_done(pages(office, world), "乙指挥部") == Decimal(90)


def test_a_renamed_unit_and_changed_thresholds_show_at_once(world, office):
    submit(world.a, world.week, {world.land: 1})
    before = pages(office, world)
    OrgUnit.objects.filter(pk=world.a.pk).update(name="甲改名指挥部")
    after = pages(office, world)
    assert "甲改名指挥部" in after["page"] and "甲改名指挥部" in after["league"]
    world.campaign.red_gap = Decimal(99)
    world.campaign.yellow_gap = Decimal(98)
    world.campaign.save()
    assert "s-red" in before["page"] and "s-red" not in pages(office, world)["page"]


def test_a_rolled_back_write_leaves_no_cached_trace(world, office):
    submit(world.a, world.week, {world.land: 10})
    assert land_done(pages(office, world), "甲指挥部") == Decimal(10)
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(world.a, world.week.prev(), {world.land: 500})
        assert land_done(pages(office, world), "甲指挥部") == Decimal(510)  # cached at the new version
        raise RuntimeError("the request failed")
    assert land_done(pages(office, world), "甲指挥部") == Decimal(10)
    submit(world.a, world.week.prev(2), {world.land: 5})  # the next write draws another number
    assert land_done(pages(office, world), "甲指挥部") == Decimal(15)


def queries_on(client, url, table):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(table in q["sql"] for q in captured.captured_queries)


def test_unchanged_data_is_not_counted_again(world, office):
    submit(world.a, world.week, {world.land: 10})
    page = reverse("campaign_detail", args=[world.campaign.pk])
    league = reverse("league", args=[world.campaign.pk])
    assert queries_on(office, page, "reports_reportvalue") > 0
    assert queries_on(office, page, "reports_reportvalue") == 0
    assert queries_on(office, league, "reports_reportvalue") == 0  # the same week's figures
    submit(world.b, world.week, {world.land: 10})
    assert queries_on(office, league, "reports_reportvalue") > 0


@pytest.fixture
def ledger_campaign(world):
    """A campaign counting households signed in 甲's villages, from the requisition ledger."""
    signed = Indicator.objects.create(
        code="signed", name="签约户数", unit_of_measure="户", source=Indicator.Source.HOUSEHOLDS_SIGNED
    )
    Target.objects.create(campaign=world.campaign, unit=world.a, indicator=signed, amount=10)
    village = OrgUnit.objects.create(name="甲村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
    Household.objects.bulk_create(
        [Household(village=village, number=str(k), head_name="张三", legal_area=1, land_area=1) for k in range(3)]
    )
    return signed


def test_households_signed_in_the_ledger_change_the_figures(world, office, ledger_campaign):
    def signed_done():
        table = office.get(reverse("league", args=[world.campaign.pk]), {"indicator": "signed"}).context["table"]
        return {e.unit.name: e.done for e in table.entries}["甲指挥部"]

    assert signed_done() == 0
    Household.objects.filter(number="0").update(signed_on=timezone.localdate(), stage="signed")
    assert signed_done() == 1
    village = OrgUnit.objects.get(name="甲村")
    Household.objects.bulk_create(  # as a roster import writes them: new rows, no trigger on SQLite
        [Household(village=village, number="9", head_name="李四", legal_area=1, land_area=1, stage="signed",
                   signed_on=timezone.localdate() - timedelta(days=1))]
    )  # fmt: skip
    assert signed_done() == 2
    Household.objects.filter(number="9").delete()
    assert signed_done() == 1


def test_a_ledger_write_keeps_the_figures_of_campaigns_without_a_ledger(world, office, ledger_campaign):
    Membership.objects.create(user=world.office, unit=world.other_zone, role=Membership.Role.OFFICE)  # both zones
    other = reverse("campaign_detail", args=[world.other_campaign.pk])
    mine = reverse("campaign_detail", args=[world.campaign.pk])
    for url in (other, mine):
        queries_on(office, url, "reports_reportvalue")
    Household.objects.filter(number="1").update(signed_on=timezone.localdate())
    assert queries_on(office, other, "reports_reportvalue") == 0
    assert queries_on(office, mine, "reports_rollupweek") > 0  # its figures are read again (reports/rollups.py)


def test_a_report_leaves_the_screens_headline_as_built(world, office):
    from dashboard.models import ScreenPart

    office.get(DATA)
    built = dict(ScreenPart.objects.values_list("key", "built_at"))
    submit(world.a, world.week, {world.land: 10})
    data = office.get(DATA).json()
    rebuilt = {key for key, at in ScreenPart.objects.values_list("key", "built_at") if at != built.get(key)}
    assert {key.split(":")[0] for key in rebuilt} == {"campaigns", "focus"}
    assert next(c for c in data["campaigns"] if c["id"] == world.campaign.pk)["done_pct"] > 0
