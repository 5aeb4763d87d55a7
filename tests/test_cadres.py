"""People lent to the front (issue 19 part 3, seed 001): the roster and its rules, the counts
reproduced from raw rows, the import, the exports, the eligibility rule, nominations with their
frozen results, a cadre's page, the CLI, and who may see and do what."""

import io
import json
from datetime import timedelta
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.publishing import publish
from assessment.scoring import campaign_weeks, weekly_table
from cadres import results, roster
from cadres.models import Assignment, Cadre, Disqualification, EligibilityRule, Nomination
from campaigns.models import Campaign, Target
from demo import cadres as cadres_demo
from demo.loader import HANJIANG_POSTS, Loader
from duban import periods
from org.models import OrgUnit
from tests.cadre_helpers import HEADER, add_cadres, cadre_fingerprint, sheet
from tests.conftest import submit

TODAY = timezone.localdate


@pytest.fixture
def w(world):
    return add_cadres(world)


def hanjiang():
    """涵江区 with its seven command posts (led by their 处级 leaders), 48 departments and 白沙镇."""
    zone = OrgUnit.objects.create(name="涵江区", kind=OrgUnit.Kind.ZONE)
    posts = [
        OrgUnit.objects.create(
            name=name, short_name=short, leader=leader, kind=OrgUnit.Kind.COMMAND_POST, parent=zone, sort_order=k + 1
        )
        for k, (_u, name, short, leader, _t) in enumerate(HANJIANG_POSTS)
    ]
    return zone, posts


# --- the seed's figures from raw rows ---


def test_it_counts_the_seed_figures_from_an_imported_roster(world, client):
    """512 rows of 48 departments and 6 of 白沙镇's team, imported: 48 departments lend 512 cadres,
    each command post holds the rows lent to it, 白沙镇's team is 6."""
    zone, posts = hanjiang()
    departments = [
        OrgUnit.objects.create(name=n, kind=OrgUnit.Kind.DEPARTMENT, parent=zone) for n in cadres_demo.DEPARTMENTS
    ]
    OrgUnit.objects.create(name="白沙镇", kind=OrgUnit.Kind.TOWN, parent=zone)
    start = TODAY() - timedelta(days=20)
    span = f"{start:%Y-%m-%d}至{TODAY() + timedelta(days=60):%Y-%m-%d}"
    raw = []
    for k in range(512):
        raw.append(
            [
                k + 1,
                f"干部{k:03d}",
                "男" if k % 3 else "女",
                departments[k % 48].name,
                "科员",
                "一级科员",
                posts[(k * 3) % 7].name,
                "组员",
                span,
                "",
            ]
        )
    for k in range(6):
        raw.append(
            [
                513 + k,
                f"白沙{k}",
                "男",
                "白沙镇",
                "镇干部",
                "",
                "白塘湖片区指挥部",
                "组长" if k == 0 else "组员",
                span,
                "白沙镇拆迁工作组",
            ]
        )
    office = world.office
    from org.models import Membership

    Membership.objects.create(user=office, unit=zone, role=Membership.Role.OFFICE)
    client.force_login(office)
    url = reverse("cadres_import", args=[zone.pk])
    data = sheet(raw, header=[*HEADER, "工作组"])
    checked = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", data)})
    assert checked.status_code == 200 and Assignment.objects.count() == 0  # the dry run writes nothing
    assert "518条派驻记录" in checked.content.decode()
    done = client.post(url, {"token": checked.context["token"]})
    assert done.status_code == 302
    from audit.models import Entry

    entry = Entry.objects.get(action="import", model="cadres.assignment")
    assert entry.username == "office" and "518 assignments" in entry.note

    figures = roster.summary(zone, TODAY())
    assert (figures["departments_lending"], figures["cadres_lent"], figures["cadres_lent_all"]) == (48, 512, 518)
    expected = {p.name: sum(1 for row in raw if row[6] == p.name) for p in posts}
    assert {r["unit"]: r["cadres"] for r in figures["by_command_post"]} == expected
    assert sum(expected.values()) == 518
    assert [(t["town"], t["to"], t["cadres"]) for t in figures["town_teams"]] == [("白沙镇", "白塘湖片区指挥部", 6)]


def test_the_demo_roster_gives_the_seed_figures_and_loads_once(db):
    zone, posts = hanjiang()
    campaign = Campaign.objects.create(
        name="奋战100天，征迁300万", owner=zone, start=TODAY() - timedelta(days=60), end=TODAY() + timedelta(days=39)
    )
    loader = Loader("pw", TODAY())
    cadres_demo.load(loader, zone, campaign)
    cadres_demo.load(loader, zone, campaign)  # twice: nothing more
    figures = roster.summary(zone, TODAY())
    assert figures["departments_lending"] == 48 and figures["cadres_lent"] >= 500
    assert [r["unit"] for r in figures["by_command_post"]] == [p.name for p in posts]
    assert all(r["leaders"] == 1 and r["cadres"] > 1 for r in figures["by_command_post"])
    assert len(figures["pairings"]) == 5
    towns = set(OrgUnit.objects.filter(parent=zone, kind=OrgUnit.Kind.TOWN).values_list("name", flat=True))
    assert (
        len(towns) == 10
        and {p["unit"] for p in figures["pairings"]} | {p["paired_with"] for p in figures["pairings"]} == towns
    )
    assert [(t["town"], t["cadres"]) for t in figures["town_teams"]] == [("白沙镇", 6)]
    # the seed's teams: 区委办's 13 at 大学城片区, 住建局's 13 at 涵江动车站片区
    lent = Assignment.objects.filter(zone=zone)
    assert lent.filter(department__name="区委办", unit__name="大学城片区指挥部").count() == 13
    assert lent.filter(department__name="区住房和城乡建设局", unit__name="涵江动车站片区指挥部").count() == 13
    assert Cadre.objects.filter(zone=zone).count() == 512 + 7 + 6


# --- bad input: a clear message, nothing changed ---


def lend(client, w, **fields):
    data = {"cadre": w.cadre.pk, "unit": w.b.pk, "role": "member", "start": TODAY().isoformat(), "end": ""}
    data.update(fields)
    return client.post(reverse("cadres_lend", args=[w.zone.pk]), data)


def test_it_refuses_lending_a_cadre_to_two_units_at_once(w, client):
    client.force_login(w.office)
    before = cadre_fingerprint()
    response = lend(client, w)
    assert response.status_code == 400
    assert (
        "甲干部已派驻甲指挥部" in response.content.decode() and "同一时间只能派驻一个单位" in response.content.decode()
    )
    assert cadre_fingerprint() == before
    # after the first assignment ends, the same cadre may go elsewhere
    later = w.assignment.end + timedelta(days=1)
    assert lend(client, w, start=later.isoformat()).status_code == 302
    assert Assignment.objects.filter(cadre=w.cadre).count() == 2


def test_it_refuses_an_assignment_outside_the_zone(w, client):
    client.force_login(w.office)
    before = cadre_fingerprint()
    response = lend(client, w, unit=w.c.pk, start=(w.assignment.end + timedelta(days=1)).isoformat())
    assert response.status_code == 400
    assert "“丙指挥部”不是测试区的指挥部、工作组或乡镇" in response.content.decode()
    assert "丙指挥部</option>" not in response.content.decode()  # never offered
    assert cadre_fingerprint() == before


def test_it_refuses_a_to_date_before_the_from_date(w, client):
    client.force_login(w.office)
    before = cadre_fingerprint()
    day = w.assignment.end + timedelta(days=10)
    response = lend(client, w, start=day.isoformat(), end=(day - timedelta(days=3)).isoformat())
    assert response.status_code == 400
    assert "结束日期" in response.content.decode() and "早于开始日期" in response.content.decode()
    assert cadre_fingerprint() == before


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ["1", "李明", "男", "不存在局", "科员", "", "甲指挥部", "组员", "2020-09-26至2020-12-31"],
            "未知的原单位“不存在局”",
        ),
        (["1", "李明", "男", "甲局", "科员", "", "丙指挥部", "组员", "2020-09-26至2020-12-31"], "“丙指挥部”不在测试区"),
        (["1", "李明", "男", "甲局", "科员", "", "甲指挥部", "组员", "2020-12-31至2020-09-26"], "早于开始日期"),
        (["1", "甲干部", "男", "甲局", "科员", "", "乙指挥部", "组员", "{today}至"], "甲干部已派驻甲指挥部"),
    ],
    ids=["unknown department", "outside the zone", "dates reversed", "lent twice at once"],
)
def test_it_imports_nothing_from_a_sheet_with_a_bad_row(w, client, row, message):
    client.force_login(w.office)
    good = ["2", "王芳", "女", "甲局", "副股长", "", "乙指挥部", "组长", "2020-09-26至2020-12-31"]
    row = [str(c).replace("{today}", TODAY().isoformat()) for c in row]
    before = cadre_fingerprint()
    response = client.post(
        reverse("cadres_import", args=[w.zone.pk]), {"file": SimpleUploadedFile("r.xlsx", sheet([good, row]))}
    )
    body = response.content.decode()
    assert response.status_code == 400 and message in body and "未导入任何数据" in body
    assert cadre_fingerprint() == before


def test_it_refuses_two_rows_of_one_cadre_at_once_in_one_sheet(w, client):
    client.force_login(w.office)
    rows = [
        ["1", "李明", "男", "甲局", "科员", "", "甲指挥部", "组员", "2020-09-26至2020-12-31"],
        ["2", "李明", "男", "甲局", "科员", "", "乙指挥部", "组员", "2020-10-01至2020-11-30"],
    ]
    before = cadre_fingerprint()
    response = client.post(
        reverse("cadres_import", args=[w.zone.pk]), {"file": SimpleUploadedFile("r.xlsx", sheet(rows))}
    )
    assert response.status_code == 400 and "同一时间只能派驻一个单位" in response.content.decode()
    assert cadre_fingerprint() == before


@pytest.mark.parametrize("n, k", [(0, 2), (1, 0), (-1, 2), (2, -3)])
def test_it_refuses_a_rule_with_n_or_k_below_one(w, client, n, k):
    client.force_login(w.office)
    before = cadre_fingerprint()
    response = client.post(
        reverse("cadres_eligibility", args=[w.zone.pk]),
        {"campaign": w.campaign.pk, "year": TODAY().year, "kind": "week", "bottom_n": n, "streak": k},
    )
    assert response.status_code == 400 and "必须为1或以上" in response.content.decode()
    assert cadre_fingerprint() == before


# --- what the work earns ---


def test_the_rule_marks_the_units_ranked_last_for_k_periods_in_the_year(w, client):
    """甲 reports from three weeks back, 乙 never: 乙 is last in each of those weeks (those of this year count)."""
    last = periods.current_week().prev()
    weeks = [last.prev(2), last.prev(1), last]
    campaign = Campaign.objects.create(
        name="三周行动", owner=w.zone, start=weeks[0].start, end=last.end + timedelta(days=30)
    )
    for unit in (w.a, w.b):
        Target.objects.create(campaign=campaign, unit=unit, indicator=w.land, amount=100)
    submit(w.a, weeks[0], {w.land: 30})
    year = last.end.year
    k = sum(1 for week in weeks if week.end.year == year)
    client.force_login(w.office)
    Disqualification.objects.all().delete()
    EligibilityRule.objects.all().delete()
    response = client.post(
        reverse("cadres_eligibility", args=[w.zone.pk]),
        {"campaign": campaign.pk, "year": year, "kind": "week", "bottom_n": 1, "streak": k},
    )
    assert response.status_code == 302
    marks = list(Disqualification.objects.values_list("unit__name", "periods"))
    assert marks == [("乙指挥部", [week.label for week in weeks if week.end.year == year])]
    page = client.get(reverse("cadres_eligibility", args=[w.zone.pk])).content.decode()
    assert "乙指挥部" in page and "取消年度评优资格" in page
    # a stricter rule (one period more than the run) marks nobody
    client.post(
        reverse("cadres_eligibility", args=[w.zone.pk]),
        {"campaign": campaign.pk, "year": year, "kind": "week", "bottom_n": 1, "streak": k + 1},
    )
    assert Disqualification.objects.count() == 0


def test_a_nomination_keeps_the_results_of_its_day(w, client):
    last = results.last_closed_week(w.campaign)
    submit(w.b, last.prev(1), {w.land: 150, w.households: 30})  # 乙 ahead, 甲 (where 甲干部 serves) behind
    client.force_login(w.office)
    day = last.end
    response = client.post(
        reverse("cadres_reserve", args=[w.zone.pk]),
        {"cadre": w.cadre.pk, "day": day.isoformat(), "reason": "攻坚表现突出"},
    )
    assert response.status_code == 302
    kept = Nomination.objects.get(reason="攻坚表现突出").results
    table = weekly_table(w.campaign, last).as_data()
    row = next(r for r in table["rows"] if r["unit_id"] == w.a.pk)
    assert (kept["unit"], kept["rank"], kept["total"]) == ("甲指挥部", row["rank"], row["total"])
    assert kept["rank"] == 2
    submit(w.a, last, {w.land: 100, w.households: 50})  # later reports change the table, not the copy
    assert Nomination.objects.get(reason="攻坚表现突出").results == kept
    assert (
        "第2名" not in str(kept)
        and "甲指挥部" in client.get(reverse("cadres_reserve", args=[w.zone.pk])).content.decode()
    )


def test_a_cadres_page_lists_where_they_served_and_the_results_in_their_dates(w, client):
    publish(weekly_table(w.campaign, results.last_closed_week(w.campaign)), w.office)
    client.force_login(w.leader)
    page = client.get(reverse("cadres_person", args=[w.cadre.pk]))
    assert page.status_code == 200
    served = page.context["served"]
    ((assignment, post, lines),) = served
    assert post == w.a
    last = results.last_closed_week(w.campaign)
    expected = [wk.label for wk in campaign_weeks(w.campaign) if w.assignment.start <= wk.end <= min(TODAY(), last.end)]
    assert [line["period"] for line in lines] == expected and expected
    body = page.content.decode()
    assert "甲指挥部" in body and "139****7777" in body and "13905917777" not in body


# --- exports, CLI ---


def test_the_roster_exports_in_the_organisation_departments_layout(w, client):
    client.force_login(w.office)
    response = client.get(reverse("cadres_roster", args=[w.zone.pk]), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    assert list(header[:10]) == [
        "序号",
        "姓名",
        "性别",
        "原单位",
        "职务",
        "职级",
        "派驻单位",
        "岗位",
        "工作组",
        "起止时间",
    ]
    line = rows[rows.index(header) + 1]
    assert line[:8] == (1, "甲干部", "男", "甲局", "科员", "一级科员", "甲指挥部", "组员")
    assert line[9] == f"{w.assignment.start:%Y.%m.%d}—{w.assignment.end:%Y.%m.%d}"


def test_the_roster_filters(w, client):
    client.force_login(w.office)
    url = reverse("cadres_roster", args=[w.zone.pk])
    assert len(client.get(url, {"unit": w.a.pk}).context["rows"]) == 1
    assert len(client.get(url, {"unit": w.b.pk}).context["rows"]) == 0
    assert len(client.get(url, {"role": "head"}).context["rows"]) == 0
    assert len(client.get(url, {"post": "科员", "department": w.dept.pk}).context["rows"]) == 1
    assert len(client.get(url, {"day": (w.assignment.end + timedelta(days=1)).isoformat()}).context["rows"]) == 0
    bad = client.get(url, {"day": "2020-13-40"})
    assert bad.status_code == 400 and "日期应写作" in bad.content.decode()


def test_the_cli_prints_the_figures(w):
    out = StringIO()
    call_command("cadre_summary", "--unit", "测试区", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["departments_lending"], data["cadres_lent"]) == (1, 1)
    assert data["by_command_post"] == [{"unit": "甲指挥部", "cadres": 1, "leaders": 0}]
    assert data["pairings"][0]["unit"] == "甲镇" and data["pairings"][0]["gives"] == ["甲镇出人"]
    text = StringIO()
    call_command("cadre_summary", "--unit", str(w.zone.pk), "--format", "text", stdout=text)
    assert "1个区直单位抽调1名干部" in text.getvalue()


# --- who may see and do what ---

READ_PAGES = [
    "cadres_roster",
    "cadres_counts",
    "cadres_pairings",
    "cadres_eligibility",
    "cadres_commendations",
    "cadres_reserve",
]
FORM_PAGES = ["cadres_new", "cadres_lend", "cadres_import"]


@pytest.mark.parametrize("name", READ_PAGES + FORM_PAGES + ["cadres_person"])
def test_who_may_open_each_page(w, client, name):
    url = reverse(name, args=[w.cadre.pk if name == "cadres_person" else w.zone.pk])
    expected = {
        "owner": 404,
        "colleague": 404,
        "outsider": 404,
        "other_office": 404,
        "office": 200,
        "leader": 403 if name in FORM_PAGES else 200,
    }
    for who, status in expected.items():
        client.force_login(getattr(w, who))
        assert client.get(url).status_code == status, (who, name)


POSTS = {
    "cadres_new": lambda w: {"name": "新干部", "department": w.dept.pk, "post": "科员"},
    "cadres_lend": lambda w: {
        "cadre": w.cadre.pk,
        "unit": w.b.pk,
        "role": "member",
        "start": (w.assignment.end + timedelta(days=1)).isoformat(),
    },
    "cadres_pairings": lambda w: {"first": w.town2.pk, "second": w.town.pk, "start": TODAY().isoformat()},
    "cadres_eligibility": lambda w: {
        "campaign": w.campaign.pk,
        "year": TODAY().year,
        "kind": "month",
        "bottom_n": 1,
        "streak": 2,
    },
    "cadres_commendations": lambda w: {
        "cadre": w.cadre.pk,
        "title": "优秀征迁干部",
        "day": TODAY().isoformat(),
        "reason": "敢担当",
    },
    "cadres_reserve": lambda w: {"cadre": w.cadre.pk, "day": TODAY().isoformat(), "reason": "善作为"},
}


@pytest.mark.parametrize("name", sorted(POSTS))
def test_only_the_zones_office_changes_anything(w, client, name):
    url = reverse(name, args=[w.zone.pk])
    for who, status in {"leader": 403, "owner": 404, "colleague": 404, "outsider": 404, "other_office": 404}.items():
        client.force_login(getattr(w, who))
        before = cadre_fingerprint()
        assert client.post(url, POSTS[name](w)).status_code == status, who
        assert cadre_fingerprint() == before, who
    client.force_login(w.office)
    before = cadre_fingerprint()
    assert client.post(url, POSTS[name](w)).status_code == 302
    assert cadre_fingerprint() != before


def test_the_index_leads_to_the_users_zone(w, client):
    client.force_login(w.office)
    assert client.get(reverse("cadres")).url == reverse("cadres_roster", args=[w.zone.pk])
    client.force_login(w.other_office)
    assert client.get(reverse("cadres")).url == reverse("cadres_roster", args=[w.other_zone.pk])
    client.force_login(w.owner)
    assert client.get(reverse("cadres")).status_code == 403


def test_changes_are_audited(w, client):
    from audit.models import Entry

    client.force_login(w.office)
    before = Entry.objects.count()
    client.post(
        reverse("cadres_new", args=[w.zone.pk]), {"name": "审计干部", "department": w.dept.pk, "phone": "13905918888"}
    )
    entry = Entry.objects.filter(pk__gt=0).order_by("-pk").first()
    assert Entry.objects.count() > before and "审计干部" in json.dumps(entry.after, ensure_ascii=False)
    assert "13905918888" not in json.dumps(entry.after)


def test_a_fresh_install_office_can_start_from_nothing(db, client):
    """start_zone, the units made at /setup/units/, then the roster: pages open empty, the first
    cadre and assignment go in."""
    from accounts.models import AccountSecurity

    call_command("start_zone", "新安县", "--office", "xa-office", stdout=StringIO())
    zone = OrgUnit.objects.get(name="新安县")
    office = zone.memberships.get().user
    AccountSecurity.objects.filter(user=office).update(must_change_password=False)  # as after the first log-in
    client.force_login(office)
    for name in READ_PAGES:
        assert client.get(reverse(name, args=[zone.pk])).status_code == 200
    assert "花名册尚无干部" in client.get(reverse("cadres_roster", args=[zone.pk])).content.decode()
    for name, kind in (("新安县财政局", "department"), ("新安县指挥部", "command_post")):
        data = {"parent": zone.pk, "name": name, "kind": kind, "sort_order": "0"}
        assert client.post(reverse("setup_units"), data).status_code == 302
    dept, post = OrgUnit.objects.get(name="新安县财政局"), OrgUnit.objects.get(name="新安县指挥部")
    response = client.post(reverse("cadres_new", args=[zone.pk]), {"name": "首位干部", "department": dept.pk})
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="首位干部")
    data = {"cadre": cadre.pk, "unit": post.pk, "role": "head", "start": TODAY().isoformat()}
    assert client.post(reverse("cadres_lend", args=[zone.pk]), data).status_code == 302
    assert roster.summary(zone, TODAY())["by_command_post"] == [{"unit": "新安县指挥部", "cadres": 1, "leaders": 0}]
    assert "新安县指挥部" in client.get(reverse("cadres_person", args=[cadre.pk])).content.decode()
