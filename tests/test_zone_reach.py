"""The office of another zone (w.other_office, office of 外区) reaches nothing of 测试区.

Every URL of the project has a line in CALLS below: how to call it with the home zone's objects
and what the other zone's office must get — a 404 for an object of the home zone (never a hint it
exists), a page without the home zone's names for a page with no object. Every POST changes
nothing of the home zone. The same calls made by the home office (w.office) succeed, so the
table cannot pass because a URL or its data is wrong. A URL added later without a line here fails
test_it_has_a_line_for_every_url.
"""

import json
import shutil
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.models import Publication, Scheme
from bulletins.models import Bulletin
from dashboard.models import KioskToken
from doctemplates import store
from economy.models import EconomicIndicator
from org.models import Membership
from reports.models import WeeklyReport
from requisition.models import RevealLog
from tests import zone_helpers
from tests.conftest import PASSWORD, make_user
from tests.test_assessment_pages import scheme_post
from tests.test_economy_import import workbook as economy_workbook
from tests.test_projects_excel import monthly as projects_monthly
from tests.test_requisition_roster import ID1 as ROSTER_ID
from tests.test_requisition_roster import household as roster_row
from tests.test_requisition_roster import sheet as roster_sheet
from tests.zone_helpers import KIOSK_KEY, PNG, body_text, changes, fingerprint, home_names_in, soon, week_open

home = zone_helpers.home  # the fixtures
media = zone_helpers.media


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    """No PDF conversion: bulletins are issued as Word and Excel, the sheet's PDF answers 503."""
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


@dataclass
class Call:
    method: str  # "get" or "post"
    url: object  # w -> path
    data: object = None  # w -> GET query or POST data
    other: int = 404  # what the office of 外区 gets
    home: tuple = (200, 302)  # what the office of 测试区 gets
    json: bool = False  # POST the data as JSON (the API)
    absent: object = None  # w -> ids the other zone's office must not find in an API list


def get(url, data=None, **kw):
    return Call("get", url, data, **kw)


def post(url, data=None, **kw):
    return Call("post", url, data, **kw)


def page(name, **kw):
    """A page with no object: the other zone's office gets it, without the home zone in it."""
    return get(lambda w: reverse(name), other=200, **kw)


def r(name, *args):
    """The URL of `name` with arguments read from the world (callables) or given as they are."""
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def week(w):
    return w.week.label


def campaign(w):
    return w.campaign.pk


def zone(w):
    return w.zone.pk


def report_post(w):
    return {f"v_{w.land.pk}": "5", "progress_text": "进展", "save": "1"}


def png(name="甲现场照片2.png"):
    return SimpleUploadedFile(name, PNG)


def economy_post(w):
    pk = EconomicIndicator.objects.get(code="industrial_output").pk
    return {"year": "2021", "month": "4", f"month_value_{pk}": "16"}


def economy_upload(w):
    data = economy_workbook({"表1": [["进出口总额", "亿元", 2.7, 6.9, None]]})
    return {"unit": w.a.pk, "file": SimpleUploadedFile("统计月报.xlsx", data)}


def land_batch_post(w):
    """A batch of the home zone's village (posted by the other zone's office: refused, 400)."""
    return {"unit": w.zone.pk, "name": "新报批批次", "area": "10", "villages": [w.village.pk]}


def land_parcel_post(w):
    return {"unit": w.zone.pk, "code": "NEW-01", "area": "5", "project": w.project.pk}


XLSX = {"format": "xlsx"}  # a table page's Excel file, scoped like the page

CALLS = {
    # --- home, accounts, audit ---
    "home": [page("home")],
    "password_change": [page("password_change")],
    "account_security": [page("account_security")],
    "audit": [page("audit")],
    # --- operations: no log-in, nothing of any zone (the test client is on loopback for /metrics) ---
    "healthz": [page("healthz")],
    "metrics": [page("metrics")],
    # --- reports ---
    "my_reports": [page("my_reports")],
    "report": [
        get(r("report", lambda w: w.a.pk, week)),
        post(r("report", lambda w: w.a.pk, week), report_post, home=(403,)),  # the office reads, never fills in
    ],
    "return_report": [post(r("return_report", lambda w: w.a.pk, week), {"reason": "数据有误，请核实"})],
    "confirm_held": [  # the office reads, the reporter confirms
        post(r("confirm_held", lambda w: w.a.pk, week), {"indicator": "0", "reason": "确认"}, home=(403,))
    ],
    "office": [page("office")],
    "office_week": [get(r("office_week", week), other=200), get(r("office_week", week), XLSX, other=200)],
    # Locking a week is an act on one's own zone: allowed, but the home zone's week stays open.
    "office_lock": [post(r("office_lock", week), {"confirm": "1"}, other=302)],
    "rollup": [get(r("rollup", lambda w: w.a.pk)), get(r("rollup", lambda w: w.zone.pk))],
    # --- campaigns, league ---
    "campaign_list": [page("campaign_list")],
    "campaign_detail": [get(r("campaign_detail", campaign)), get(r("campaign_detail", campaign), XLSX)],
    "unit": [get(r("unit", lambda w: w.a.pk)), get(r("unit", lambda w: w.zone.pk))],
    "league": [get(r("league", campaign)), get(r("league", campaign), XLSX)],
    # --- projects ---
    "project_list": [page("project_list")],
    "investment_summary": [page("investment_summary")],
    "project_export": [page("project_export")],
    "project_import": [page("project_import")],
    "project_detail": [get(r("project_detail", lambda w: w.project.pk))],
    "project_edit": [
        get(r("project_edit", lambda w: w.project.pk), home=(403,)),
        post(r("project_edit", lambda w: w.project.pk), {"month": "2000-01", "amount": "1"}, home=(403,)),
    ],
    # --- economy ---
    "economy": [page("economy"), get(lambda w: reverse("economy"), lambda w: {"unit": w.a.pk})],
    "economy_indicator": [get(r("economy_indicator", lambda w: w.a.pk, "fixed_investment"))],
    "economy_entry": [
        get(r("economy_entry", lambda w: w.a.pk)),
        post(r("economy_entry", lambda w: w.a.pk), economy_post),
    ],
    "economy_selection": [post(r("economy_selection", lambda w: w.zone.pk), {"indicator": []})],
    "economy_import": [
        page("economy_import"),
        post(lambda w: reverse("economy_import"), economy_upload, other=400, home=(200,)),
    ],
    # --- land ---
    "land_batches": [page("land_batches"), page("land_batches", data=XLSX)],
    "land_batch": [get(r("land_batch", lambda w: w.batch.pk))],
    "land_batch_import": [
        page("land_batch_import"),
        post(lambda w: reverse("land_batch_import"), lambda w: {"unit": w.zone.pk}, other=400, home=(400,)),
    ],
    "land_batch_new": [page("land_batch_new"), post(lambda w: reverse("land_batch_new"), land_batch_post, other=400)],
    "land_batch_edit": [
        get(r("land_batch_edit", lambda w: w.batch.pk)),
        post(r("land_batch_edit", lambda w: w.batch.pk), land_batch_post),
    ],
    "land_parcels": [page("land_parcels"), page("land_parcels", data=XLSX)],
    "land_parcel_new": [
        page("land_parcel_new"),
        post(lambda w: reverse("land_parcel_new"), land_parcel_post, other=400),
    ],
    "land_parcel_edit": [
        get(r("land_parcel_edit", lambda w: w.parcel.pk)),
        post(r("land_parcel_edit", lambda w: w.parcel.pk), land_parcel_post),
    ],
    # --- requisition ---
    "requisition": [page("requisition")],
    "requisition_field": [page("requisition_field")],
    "requisition_unit": [
        get(r("requisition_unit", lambda w: w.village.pk)),
        get(r("requisition_unit", lambda w: w.a.pk)),
        get(r("requisition_unit", lambda w: w.village.pk), XLSX),
        get(r("requisition_unit", lambda w: w.a.pk), XLSX),
    ],
    "requisition_household": [
        get(r("requisition_household", lambda w: w.household.pk)),
        post(r("requisition_household", lambda w: w.household.pk), {"field": "id_number"}),
        post(r("requisition_household", lambda w: w.household.pk), {"field": "phone"}),
    ],
    "requisition_step": [
        post(
            r("requisition_step", lambda w: w.household.pk),
            lambda w: {"to_stage": "signed", "on": w.today.isoformat()},
            home=(403,),
        )
    ],
    "requisition_back": [
        post(r("requisition_back", lambda w: w.household.pk), {"to_stage": "measured", "reason": "复核"}, home=(403,))
    ],
    "household_sheet": [get(r("household_sheet", lambda w: w.household.pk))],
    "household_sheet_docx": [get(r("household_sheet_docx", lambda w: w.household.pk))],
    "household_sheet_pdf": [get(r("household_sheet_pdf", lambda w: w.household.pk), home=(200, 503))],
    "requisition_import": [page("requisition_import")],
    "requisition_ledger_export": [
        get(r("requisition_ledger_export", lambda w: w.village.pk), {"full": "1"}),
        get(r("requisition_ledger_export", lambda w: w.village.pk)),
        get(r("requisition_ledger_export", lambda w: w.zone.pk), {"full": "1"}),
    ],
    "requisition_tallies_export": [get(r("requisition_tallies_export", lambda w: w.a.pk))],
    # --- problems, meetings, task lists, reminders ---
    "problem_list": [page("problem_list"), get(lambda w: reverse("problem_list"), XLSX, other=200)],
    "problem_new": [
        get(lambda w: reverse("problem_new"), lambda w: {"report": w.report.pk}),
        get(lambda w: reverse("problem_new"), lambda w: {"project": w.project.pk}),
        get(lambda w: reverse("problem_new"), lambda w: {"household": w.household.pk}),
        # raised in the name of a home unit: the form refuses the unit, nothing is stored
        post(
            lambda w: reverse("problem_new"),
            lambda w: {
                "title": "冒名问题",
                "description": "冒用他区单位名义提出",
                "category": "land",
                "raised_by_unit": w.a.pk,
                "campaign": w.campaign.pk,
            },
            other=200,
        ),
    ],
    "problem_groups": [
        page("problem_groups"),
        get(lambda w: reverse("problem_groups"), {"by": "campaign"}, other=200),
        get(lambda w: reverse("problem_groups"), {"by": "leader"}, other=200),
    ],
    "problem_stats": [page("problem_stats")],
    "reminder_log": [page("reminder_log")],
    "problem_detail": [get(r("problem_detail", lambda w: w.problem.pk))],
    "problem_act": [post(r("problem_act", lambda w: w.problem.pk), {"action": "return", "reason": "材料不全"})],
    "problem_attach": [post(r("problem_attach", lambda w: w.problem.pk), lambda w: {"files": [png()]})],
    "attachment_download": [get(r("attachment_download", lambda w: w.attachment.pk))],
    "meeting_list": [
        page("meeting_list"),
        # a meeting of the home campaign: the form refuses the campaign, nothing is stored
        post(
            lambda w: reverse("meeting_list"),
            lambda w: {"title": "外区借会", "held_on": w.today.isoformat(), "campaign": w.campaign.pk},
            other=200,
        ),
    ],
    "meeting_detail": [get(r("meeting_detail", lambda w: w.meeting.pk))],
    "meeting_minutes": [get(r("meeting_minutes", lambda w: w.meeting.pk, "docx"))],
    "meeting_add_item": [post(r("meeting_add_item", lambda w: w.meeting.pk), lambda w: {"problem": w.problem.pk})],
    "meeting_decide": [
        post(r("meeting_decide", lambda w: w.item.pk), {"outcome": "solved", "decision": "会上协调解决"})
    ],
    "task_list": [
        get(r("task_list", campaign)),
        get(r("task_list", campaign), XLSX),
        post(r("task_list", campaign), lambda w: {"title": "外区加的任务", "unit": w.a.pk, "deadline": soon()}),
    ],
    "task_detail": [
        get(r("task_detail", campaign, lambda w: w.task.pk)),
        post(r("task_detail", campaign, lambda w: w.task.pk), {"action": "cancel"}),
    ],
    # --- assessment ---
    "assessment_week": [get(r("assessment_week", campaign)), get(r("assessment_week", campaign), XLSX)],
    "assessment_month": [get(r("assessment_month", campaign)), get(r("assessment_month", campaign), XLSX)],
    "assessment_publish": [post(r("assessment_publish", campaign), lambda w: {"kind": "week", "key": w.week.label})],
    "assessment_publication": [
        get(r("assessment_publication", campaign, lambda w: w.publication.pk)),
        get(r("assessment_publication", campaign, lambda w: w.publication.pk), XLSX),
    ],
    "assessment_scheme": [
        get(r("assessment_scheme", campaign)),
        post(
            r("assessment_scheme", campaign),
            lambda w: scheme_post(w, [{"kind": "indicator", "indicator": str(w.land.pk), "weight": "100"}]),
        ),
        post(r("assessment_scheme", campaign), {"action": "reset"}),
    ],
    "assessment_warnings": [get(r("assessment_warnings", campaign))],
    # --- bulletins ---
    "doc_templates_home": [get(lambda w: reverse("doc_templates_home"), other=302, home=(302,))],  # one's own zone
    "doc_templates": [get(r("doc_templates", lambda w: w.zone.pk))],
    "doc_template_download": [get(r("doc_template_download", lambda w: w.zone.pk, "bulletin"))],
    "doc_template_upload": [
        post(
            r("doc_template_upload", lambda w: w.zone.pk, "minutes"),
            lambda w: {"file": SimpleUploadedFile("外区模板.docx", store.default_bytes("minutes"))},
        )
    ],
    "doc_template_reset": [post(r("doc_template_reset", lambda w: w.zone.pk, "bulletin"), {"confirm": "1"})],
    "bulletins": [get(r("bulletins", campaign))],
    "bulletin_preview": [
        get(r("bulletin_preview", campaign), lambda w: {"kind": "week", "key": w.week.label}),  # on the page
        get(r("bulletin_preview", campaign), lambda w: {"kind": "week", "key": w.week.label, "format": "docx"}),
    ],
    "bulletin_issue": [
        post(
            r("bulletin_issue", campaign),
            lambda w: {
                "kind": "week",
                "key": w.week.label,
                "issuer": "外区攻坚办",
                "confirm": "1",
                "correction": "new",
            },
        )
    ],
    "bulletin_file": [
        get(r("bulletin_file", campaign, lambda w: w.bulletin.pk, "docx")),
        get(r("bulletin_file", campaign, lambda w: w.bulletin.pk, "xlsx")),
    ],
    # --- the big screen, kiosk keys ---
    "screen": [page("screen"), get(lambda w: reverse("screen"), lambda w: {"campaign": w.campaign.pk})],
    "screen_data": [page("screen_data"), get(lambda w: reverse("screen_data"), lambda w: {"campaign": w.campaign.pk})],
    "kiosks": [
        page("kiosks"),
        # a key for the home zone's wall: the form refuses the unit and the campaign, no key is made
        post(
            lambda w: reverse("kiosks"),
            lambda w: {"name": "外区借屏", "unit": w.zone.pk, "campaign": w.campaign.pk},
            other=400,
        ),
    ],
    "revoke_kiosk": [post(r("revoke_kiosk", lambda w: w.kiosk.pk), {})],
    # --- background jobs: their owner's only ---
    "job": [get(r("job", lambda w: w.job.pk)), post(r("job", lambda w: w.job.pk), {"retry": "1"})],
    # --- API tokens: one's own, and those of the people of the office's units ---
    "api_tokens": [page("api_tokens")],
    "api_token_revoke": [post(r("api_token_revoke", lambda w: w.api_token.pk), {})],
    # --- the office's set-up (units, people, campaigns): its own subtree only ---
    "setup": [page("setup")],
    "setup_units": [
        page("setup_units"),
        # a unit hung on a home unit: the form refuses the parent, nothing is stored
        post(
            lambda w: reverse("setup_units"),
            lambda w: {"parent": w.a.pk, "name": "外区挂靠组", "kind": "working_group", "sort_order": "0"},
            other=400,
        ),
    ],
    "setup_unit": [
        get(r("setup_unit", lambda w: w.a.pk)),
        post(
            r("setup_unit", lambda w: w.a.pk),
            lambda w: {"parent": w.zone.pk, "name": "甲指挥部", "kind": "command_post", "sort_order": "1"},
        ),
    ],
    "setup_people": [
        page("setup_people"),
        post(
            lambda w: reverse("setup_people"),
            lambda w: {"username": "spy", "full_name": "外区人", "unit": w.a.pk, "role": "reporter"},
            other=400,
        ),
    ],
    "setup_person": [
        get(r("setup_person", lambda w: w.owner.pk)),
        post(r("setup_person", lambda w: w.owner.pk), {"action": "disable"}),
    ],
    "setup_campaigns": [
        page("setup_campaigns"),
        # a campaign owned by a home unit: the form refuses the owner, nothing is stored
        post(
            lambda w: reverse("setup_campaigns"),
            lambda w: {"name": "外区借名行动", "owner": w.zone.pk, "start": soon(1), "end": soon(60)},
            other=400,
        ),
    ],
    "setup_campaign": [
        get(r("setup_campaign", campaign)),
        post(
            r("setup_campaign", campaign),
            lambda w: {"name": "测试攻坚行动", "owner": w.zone.pk, "start": soon(-70), "end": soon(30)},
        ),
    ],
    "setup_campaign_indicators": [
        get(r("setup_campaign_indicators", campaign)),
        post(r("setup_campaign_indicators", campaign), lambda w: {"indicators": [w.land.pk], "new_kind": "flow"}),
    ],
    "setup_campaign_units": [
        get(r("setup_campaign_units", campaign)),
        post(r("setup_campaign_units", campaign), lambda w: {"units": [w.a.pk]}),
    ],
    "setup_campaign_targets": [
        get(r("setup_campaign_targets", campaign)),
        post(r("setup_campaign_targets", campaign), lambda w: {f"t_{w.a.pk}_{w.land.pk}": "7", "save": "1"}),
        # the other zone's own campaign with a home unit's target: refused, nothing stored
        post(
            lambda w: reverse("setup_campaign_targets", args=[w.other_campaign.pk]),
            lambda w: {f"t_{w.a.pk}_{w.land.pk}": "7", "save": "1"},
            other=400,
            home=(404,),
        ),
    ],
    "setup_campaign_tasks": [
        get(r("setup_campaign_tasks", campaign)),
        post(
            r("setup_campaign_tasks", campaign),
            lambda w: {"title_1": "外区任务", "unit_1": w.a.pk, "deadline_1": soon()},
        ),
        post(
            lambda w: reverse("setup_campaign_tasks", args=[w.other_campaign.pk]),
            lambda w: {"title_1": "外区任务", "unit_1": w.a.pk, "deadline_1": soon()},
            other=400,
            home=(404,),
        ),
    ],
    # --- people lent to the front (cadres/) ---
    "cadres": [get(lambda w: reverse("cadres"), other=302)],  # to the user's own zone
    "cadres_roster": [get(r("cadres_roster", zone)), get(r("cadres_roster", zone), {"format": "xlsx"})],
    "cadres_counts": [get(r("cadres_counts", zone)), get(r("cadres_counts", zone), {"format": "xlsx"})],
    "cadres_new": [
        get(r("cadres_new", zone)),
        post(r("cadres_new", zone), lambda w: {"name": "外区干部", "department": w.dept.pk}),
    ],
    "cadres_lend": [
        get(r("cadres_lend", zone)),
        post(
            r("cadres_lend", zone),
            lambda w: {"cadre": w.cadre.pk, "unit": w.b.pk, "role": "member", "start": soon(40)},
        ),
    ],
    "cadres_import": [get(r("cadres_import", zone)), post(r("cadres_import", zone), None, home=(400,))],
    "cadres_pairings": [
        get(r("cadres_pairings", zone)),
        post(r("cadres_pairings", zone), lambda w: {"first": w.town2.pk, "second": w.town.pk, "start": soon(1)}),
    ],
    "cadres_eligibility": [
        get(r("cadres_eligibility", zone)),
        post(
            r("cadres_eligibility", zone),
            lambda w: {"campaign": w.campaign.pk, "year": int(soon(0)[:4]), "kind": "week", "bottom_n": 2, "streak": 2},
        ),
    ],
    "cadres_commendations": [
        get(r("cadres_commendations", zone)),
        post(
            r("cadres_commendations", zone),
            lambda w: {"cadre": w.cadre.pk, "title": "外区表彰", "day": soon(0), "reason": "外区"},
        ),
    ],
    "cadres_reserve": [
        get(r("cadres_reserve", zone)),
        post(r("cadres_reserve", zone), lambda w: {"cadre": w.cadre.pk, "day": soon(0), "reason": "外区"}),
    ],
    "cadres_person": [get(r("cadres_person", lambda w: w.cadre.pk))],
    # --- the REST API (a session log-in, no token needed) ---
    "api_token": [
        post(lambda w: reverse("api_token"), None, other=200, home=(200,))  # one's own token: data made per user
    ],
    "api_units": [page("api_units", absent=lambda w: {w.zone.pk, w.a.pk, w.b.pk, w.a1.pk, w.area.pk, w.village.pk})],
    "api_unit": [get(r("api_unit", lambda w: w.a.pk)), get(r("api_unit", lambda w: w.village.pk))],
    "api_campaigns": [page("api_campaigns", absent=lambda w: {w.campaign.pk})],
    "api_campaign": [get(r("api_campaign", campaign))],
    "api_campaign_progress": [get(r("api_campaign_progress", campaign))],
    "api_campaign_league": [get(r("api_campaign_league", campaign))],
    "api_targets": [
        page("api_targets", absent=lambda w: set(w.campaign.targets.values_list("pk", flat=True))),
        get(
            lambda w: reverse("api_targets"),
            lambda w: {"campaign": w.campaign.pk},
            other=200,
            absent=lambda w: set(w.campaign.targets.values_list("pk", flat=True)),
        ),
    ],
    "api_reports": [page("api_reports", absent=lambda w: {w.report.pk})],
    "api_report": [get(r("api_report", lambda w: w.report.pk))],
    "api_report_submit": [
        post(
            lambda w: reverse("api_report_submit"),
            lambda w: {"unit": w.a.pk, "week": w.week.label, "values": {"land": "5"}, "progress_text": "进展"},
            json=True,
            home=(403,),  # the office reads reports, it does not submit them
        )
    ],
    "api_projects": [page("api_projects", absent=lambda w: {w.project.pk})],
    "api_project": [get(r("api_project", lambda w: w.project.pk))],
    "api_project_investment": [get(r("api_project_investment", lambda w: w.project.pk))],
    "api_households": [page("api_households", absent=lambda w: {w.household.pk})],
    "api_problems": [page("api_problems", absent=lambda w: {w.problem.pk, w.agenda_problem.pk})],
}

# Not about any zone's data: the admin (Django's own, superusers only), logging in and out, the
# language switch, the API's schema and its documentation page.
NOT_SWEPT = {
    "login",
    "logout",
    "login_verify",
    "admin_login_redirect",
    "set_language",
    "api_schema",
    "api_docs",
}


def url_names(resolver=None, namespace=""):
    """Every named URL of the project (namespaced ones as ns:name), walking the resolver."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_it_has_a_line_for_every_url():
    names = {n for n in url_names() if not n.startswith("admin:")} - NOT_SWEPT
    assert sorted(names - set(CALLS)) == [], "URLs without a line in CALLS"
    assert sorted(set(CALLS) - names) == [], "lines in CALLS for URLs that do not exist"


def call(client, w, user, c):
    url = c.url(w)
    data = c.data(w) if callable(c.data) else c.data
    if data is None and url == reverse("api_token"):
        data = {"username": user.username, "password": PASSWORD}
    if c.method == "get":
        return client.get(url, data or {})
    if c.json:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data or {})


def api_ids(response):
    data = response.json()
    rows = data.get("results", data) if isinstance(data, dict) else data
    return {row["id"] for row in rows if isinstance(row, dict) and "id" in row}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_it_refuses_the_home_zone_other_zone_office(name, home, client):
    """The office of 外区: 404 for the home zone's objects, pages without the home zone in them,
    and no POST changes anything of the home zone."""
    w = home
    client.force_login(w.other_office)
    for n, c in enumerate(CALLS[name]):
        before = fingerprint(w) if c.method == "post" else None
        response = call(client, w, w.other_office, c)
        where = f"{name}[{n}] {c.method.upper()} {c.url(w)}"
        assert response.status_code == c.other, f"{where}: got {response.status_code}, expected {c.other}"
        leaked = home_names_in(body_text(response))
        assert leaked == [], f"{where}: the page names the home zone's {leaked}"
        if c.absent is not None:
            found = api_ids(response) & c.absent(w)
            assert not found, f"{where}: the list holds the home zone's rows {sorted(found)}"
        if before is not None:
            changed = changes(before, fingerprint(w))
            assert changed == [], f"{where}: changed {changed}"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_it_lets_the_home_office_make_the_same_calls(name, home, client):
    """The same calls by the office of 测试区 succeed: the table's URLs and data are right."""
    w = home
    client.force_login(w.office)
    for n, c in enumerate(CALLS[name]):
        response = call(client, w, w.office, c)
        where = f"{name}[{n}] {c.method.upper()} {c.url(w)}"
        assert response.status_code in c.home, f"{where}: got {response.status_code}, expected {c.home}"


# The named holes ----------------------------------------------------------------------------------


def test_it_refuses_returning_a_home_report_other_zone_office(home, client):
    client.force_login(home.other_office)
    response = client.post(reverse("return_report", args=[home.a.pk, home.week.label]), {"reason": "退回"})
    assert response.status_code == 404
    home.report.refresh_from_db()
    assert home.report.status == WeeklyReport.Status.SUBMITTED and home.report.returned_by is None


def test_it_leaves_the_home_week_open_when_another_zone_locks_it_other_zone_office(world, client):
    client.force_login(world.other_office)
    assert client.post(reverse("office_lock", args=[world.week.label]), {"confirm": "1"}).status_code == 302
    assert not week_open(world.c, world.week)  # its own zone's week is locked
    client.force_login(world.owner)
    data = {f"v_{world.land.pk}": "5", "progress_text": "进展", "save": "1"}
    response = client.post(reverse("report", args=[world.a.pk, world.week.label]), data, follow=True)
    assert "草稿已保存" in response.content.decode()
    report = WeeklyReport.objects.get(unit=world.a, week_end=world.week.end)
    assert report.status == WeeklyReport.Status.DRAFT


def test_it_keeps_the_home_lock_when_another_zone_unlocks_other_zone_office(world, client):
    client.force_login(world.office)
    assert client.post(reverse("office_lock", args=[world.week.label]), {"confirm": "1"}).status_code == 302
    client.force_login(world.other_office)
    client.post(reverse("office_lock", args=[world.week.label]), {"action": "unlock"})
    assert not week_open(world.a, world.week)
    client.force_login(world.owner)
    data = {f"v_{world.land.pk}": "5", "progress_text": "进展", "save": "1"}
    response = client.post(reverse("report", args=[world.a.pk, world.week.label]), data, follow=True)
    assert "已锁定" in response.content.decode()
    assert not WeeklyReport.objects.filter(unit=world.a, week_end=world.week.end).exists()


def test_it_refuses_revoking_a_home_kiosk_key_other_zone_office(home, client):
    client.force_login(home.other_office)
    assert client.post(reverse("revoke_kiosk", args=[home.kiosk.pk])).status_code == 404
    home.kiosk.refresh_from_db()
    assert home.kiosk.revoked_at is None
    client.logout()
    assert client.get(reverse("screen"), {"kiosk": KIOSK_KEY}).status_code == 200  # the wall still opens


def test_it_refuses_revealing_a_home_id_number_other_zone_office(home, client):
    client.force_login(home.other_office)
    response = client.post(reverse("requisition_household", args=[home.household.pk]), {"field": "id_number"})
    assert response.status_code == 404
    assert zone_helpers.ID_NUMBER not in response.content.decode()
    assert not RevealLog.objects.exists()


def test_it_refuses_the_full_ledger_of_a_home_village_other_zone_office(home, client):
    client.force_login(home.other_office)
    response = client.get(reverse("requisition_ledger_export", args=[home.village.pk]), {"full": "1"})
    assert response.status_code == 404
    assert "spreadsheetml" not in response.get("Content-Type", "")
    assert not RevealLog.objects.exists()


def test_it_refuses_publishing_a_home_table_other_zone_office(home, client):
    client.force_login(home.other_office)
    url = reverse("assessment_publish", args=[home.campaign.pk])
    assert client.post(url, {"kind": "week", "key": home.week.label, "note": "外区发布"}).status_code == 404
    assert list(Publication.objects.values_list("pk", flat=True)) == [home.publication.pk]


def test_it_refuses_editing_a_home_scoring_scheme_other_zone_office(home, client):
    client.force_login(home.other_office)
    url = reverse("assessment_scheme", args=[home.campaign.pk])
    data = scheme_post(home, [{"kind": "reports", "weight": "100"}], bottom_n="5")
    assert client.post(url, data).status_code == 404
    assert client.post(url, {"action": "reset"}).status_code == 404
    scheme = Scheme.objects.get(campaign=home.campaign)
    assert (scheme.pk, scheme.bottom_n, scheme.updated_by) == (home.scheme.pk, 1, home.office)
    assert not scheme.parts.exists()


def test_it_refuses_issuing_a_home_bulletin_other_zone_office(home, client):
    client.force_login(home.other_office)
    url = reverse("bulletin_issue", args=[home.campaign.pk])
    data = {"kind": "week", "key": home.week.label, "issuer": "外区攻坚办", "confirm": "1", "correction": "new"}
    assert client.post(url, data).status_code == 404
    assert list(Bulletin.objects.values_list("pk", flat=True)) == [home.bulletin.pk]


def test_it_refuses_a_home_kiosk_key_in_the_new_key_form_other_zone_office(home, client):
    client.force_login(home.other_office)
    response = client.post(reverse("kiosks"), {"name": "外区借屏", "unit": home.zone.pk})
    assert response.status_code == 400
    assert list(KioskToken.objects.values_list("pk", flat=True)) == [home.kiosk.pk]


def test_it_keeps_the_home_zone_from_the_other_zone_leader(home, client):
    """A leader of 外区 reads 外区 only, as its office does."""
    client.force_login(make_user("other-leader", home.other_zone, Membership.Role.LEADER))
    assert client.get(reverse("campaign_detail", args=[home.campaign.pk])).status_code == 404
    assert client.get(reverse("problem_detail", args=[home.problem.pk])).status_code == 404
    assert client.get(reverse("requisition_household", args=[home.household.pk])).status_code == 404
    assert home_names_in(client.get(reverse("campaign_list")).content.decode()) == []
    assert client.get(reverse("campaign_detail", args=[home.other_campaign.pk])).status_code == 200


def import_as(client, user, page, session_key, data):
    """Upload `data` on an import page as `user` and confirm it if the check offered to; the
    dry run's page."""
    client.force_login(user)
    checked = client.post(reverse(page), {"file": SimpleUploadedFile("导入.xlsx", data)})
    token = client.session.get(session_key, {}).get("token")
    if token:
        client.post(reverse(page), {"confirm": "1", "token": token})
    return checked.content.decode()


@pytest.fixture
def pending(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path  # checked uploads wait in pending_uploads.FOLDER under it


def test_it_imports_nothing_into_a_home_village_other_zone_office(home, client, pending):
    data = roster_sheet(roster_row(1, "冒名户主", ROSTER_ID, "甲庄村"))
    before = fingerprint(home)
    import_as(client, home.other_office, "requisition_import", "roster_import", data)
    assert changes(before, fingerprint(home)) == []
    assert "新建1条" in import_as(
        client, home.office, "requisition_import", "roster_import", data
    )  # the file itself is good


def test_it_imports_nothing_into_a_home_project_other_zone_office(home, client, pending):
    data = projects_monthly(["", "甲区滨江大道", "甲指挥部", "2026-01", 30])
    before = fingerprint(home)
    import_as(client, home.other_office, "project_import", "project_import", data)
    assert changes(before, fingerprint(home)) == []
    assert "新建1条" in import_as(client, home.office, "project_import", "project_import", data)  # the file is good


# The demo ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_keeps_the_demo_zones_apart_other_zone_office(client):
    """Suizhou's office reaches none of Hanjiang; `office` (Fuzhou and Hanjiang) reaches both of
    those and none of Suizhou."""
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from org.models import OrgUnit
    from requisition.models import Household

    call_command("load_demo", stdout=StringIO())
    users = get_user_model().objects
    hanjiang = Campaign.objects.get(name="奋战100天，征迁300万")
    fuzhou = Campaign.objects.get(name="2021年上半年征迁交地攻坚行动")
    jiangwei = OrgUnit.objects.get(name="江尾村")
    suizhou = OrgUnit.objects.get(name="随州高新区", parent=None)
    hanjiang_house = Household.objects.filter(village=jiangwei).first()
    suizhou_house = Household.objects.filter(village__path__startswith=suizhou.path).first()

    client.force_login(users.get(username="sz-office"))
    assert client.get(reverse("campaign_detail", args=[hanjiang.pk])).status_code == 404
    assert client.get(reverse("requisition_household", args=[hanjiang_house.pk])).status_code == 404
    ledger = client.get(reverse("requisition_ledger_export", args=[jiangwei.pk]), {"full": "1"})
    assert ledger.status_code == 404
    assert "涵江" not in client.get(reverse("campaign_list")).content.decode()
    assert client.get(reverse("requisition_household", args=[suizhou_house.pk])).status_code == 200

    client.force_login(users.get(username="office"))
    assert client.get(reverse("campaign_detail", args=[hanjiang.pk])).status_code == 200
    assert client.get(reverse("campaign_detail", args=[fuzhou.pk])).status_code == 200
    assert client.get(reverse("requisition_household", args=[hanjiang_house.pk])).status_code == 200
    assert client.get(reverse("requisition_household", args=[suizhou_house.pk])).status_code == 404
    assert client.get(reverse("requisition_unit", args=[suizhou.pk])).status_code == 404
