"""One object of every kind in the home zone (测试区), for the permission sweep of the office of
another zone (tests/test_zone_reach.py), and a fingerprint of everything an office could change."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from api.models import ApiToken
from assessment.models import Publication, Scheme
from assessment.publishing import publish
from assessment.scoring import weekly_table
from bulletins import archive
from bulletins.models import Bulletin, BulletinFile
from campaigns.models import Campaign, Target, Task
from dashboard.models import KioskToken, hash_token
from doctemplates import store
from doctemplates.models import DocumentTemplate
from economy import catalogue
from economy.models import EconomicIndicator, FigureRevision, MonthlyFigure, ReportSelection
from jobs.models import Job
from land.models import LandBatch, Parcel
from org.models import Membership, OrgUnit
from problems import meetings
from problems.models import AgendaItem, Attachment, Meeting, Problem, Reminder, Step
from projects import investment
from projects.models import MonthlyInvestment, Project
from reports import entry
from reports.models import ReportValue, WeeklyReport
from requisition.models import Household, RevealLog, StageEvent
from tests.cadre_helpers import add_cadres, cadre_fingerprint
from tests.conftest import submit
from tests.problem_helpers import raise_problem
from tests.test_compensation import make_household, make_scheme

ID_NUMBER = "350100196501011234"
PHONE = "13905912345"
KIOSK_KEY = "h" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Names only the home zone's objects carry: none may show on a page of the other zone's office.
HOME_NAMES = [
    "测试区",
    "甲指挥部",
    "乙指挥部",
    "甲一工作组",
    "测试攻坚行动",
    "甲片区",
    "甲庄村",
    "户主甲庄",
    "甲区滨江大道",
    "甲地块交地受阻",
    "乙村征迁纠纷",
    "第九次征迁调度会",
    "甲清单任务",
    "测试区指挥中心大屏",
    "甲指挥部周报催报",
    "甲现场照片",
    "测试区通报模板",
    "甲局",
    "甲干部",
    "甲先进集体",
    "甲干部入库",
    "甲庄村土地报批批次",
    "甲一号地块",
    ID_NUMBER,
    PHONE,
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def home(world, media):
    """The world with one object of every kind in 测试区 (w.zone, w.a, w.b)."""
    w = world
    today = timezone.localdate()
    w.today = today
    w.report = submit(w.a, w.week, {w.land: 10, w.households: 5}, user=w.owner)

    w.project = Project.objects.create(unit=w.a, name="甲区滨江大道", total_investment=Decimal(50000) * investment.WAN)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    MonthlyInvestment.objects.create(project=w.project, month=last_month, amount=Decimal(1234) * investment.WAN)

    w.area = OrgUnit.objects.create(name="甲片区", kind=OrgUnit.Kind.AREA, parent=w.a)
    w.village = OrgUnit.objects.create(name="甲庄村", kind=OrgUnit.Kind.VILLAGE, parent=w.area)
    make_scheme(w.area, name="甲片区征收补偿方案")
    w.household = make_household(w.village, head_name="户主甲庄", id_number=ID_NUMBER, phone=PHONE)

    w.problem = raise_problem(w, title="甲地块交地受阻")
    w.attachment = Attachment.objects.create(
        problem=w.problem, original_name="甲现场照片.png", kind="png", size=len(PNG), uploaded_by=w.owner
    )
    w.attachment.file.save("photo.png", ContentFile(PNG))
    w.meeting = Meeting.objects.create(
        unit=w.zone,
        title="第九次征迁调度会",
        held_on=today,
        chaired_by="王副区长",
        campaign=w.campaign,
        created_by=w.office,
    )
    w.agenda_problem = raise_problem(w, title="乙村征迁纠纷", unit=w.b, user=w.colleague)
    meetings.add_to_agenda(w.meeting, w.agenda_problem, w.office)
    w.item = AgendaItem.objects.get(meeting=w.meeting, problem=w.agenda_problem)
    w.task = Task.objects.create(campaign=w.campaign, unit=w.a, title="甲清单任务", deadline=today + timedelta(days=10))

    w.kiosk = KioskToken(name="测试区指挥中心大屏", unit=w.zone, campaign=w.campaign, created_by=w.office)
    w.kiosk.token_hash = hash_token(KIOSK_KEY)
    w.kiosk.hint = KIOSK_KEY[:6]
    w.kiosk.save()
    w.api_token, _key = ApiToken.issue(w.owner, "甲指挥部接口")
    w.job = Job.objects.create(
        kind=Job.Kind.ROSTER_IMPORT,
        owner=w.office,
        unit=w.village,
        status=Job.Status.DONE,
        filename="甲庄村花名册.xlsx",
    )

    catalogue.create(EconomicIndicator)
    w.figure = MonthlyFigure.objects.create(
        unit=w.a, indicator=EconomicIndicator.objects.get(code="fixed_investment"), year=2021, month=3, cumulative=60
    )
    ReportSelection.objects.create(unit=w.zone).indicators.set([w.figure.indicator])

    w.doc_template = store.upload(w.zone, "bulletin", store.default_bytes("bulletin"), "测试区通报模板.docx", w.office)
    w.publication = publish(weekly_table(w.campaign, w.week), w.office)
    w.bulletin = issued_bulletin(w)
    w.scheme = Scheme.objects.create(campaign=w.campaign, bottom_n=1, streak=3, red_weeks=3, updated_by=w.office)
    Household.objects.filter(pk=w.household.pk).update(land_area=Decimal(50))
    w.batch = LandBatch.objects.create(unit=w.zone, name="甲庄村土地报批批次", area=Decimal(30))
    w.batch.villages.set([w.village])
    w.parcel = Parcel.objects.create(unit=w.zone, code="JA-01", name="甲一号地块", area=Decimal(20), project=w.project)
    w.reminder = Reminder.objects.create(
        key=f"report:{w.week.label}:{w.a.pk}",
        kind=Reminder.Kind.REPORT,
        channel=Reminder.Channel.EMAIL,
        recipient="owner@example.invalid",
        subject="甲指挥部周报催报",
        body="甲指挥部：本周周报尚未提交。",
        status=Reminder.Status.SENT,
    )
    add_cadres(w)
    return w


def issued_bulletin(w):
    """An archived bulletin as archive.issue leaves it, without building the documents (slow)."""
    bulletin = Bulletin.objects.create(
        campaign=w.campaign,
        kind=Bulletin.Kind.WEEK,
        period_key=w.week.label,
        year=w.week.end.year,
        number=1,
        as_of=w.week.end,
        issuer="测试区攻坚办",
        title="测试攻坚行动工作周报",
        issued_by=w.office,
    )
    book = openpyxl.Workbook()
    book.active.append(["测试攻坚行动工作周报", "甲指挥部", 10])
    xlsx = io.BytesIO()
    book.save(xlsx)
    for fmt, data in (("docx", b"PK\x03\x04 docx of the home zone"), ("xlsx", xlsx.getvalue())):
        archived = BulletinFile(bulletin=bulletin, format=fmt, sha256=archive.sha256(data), size=len(data))
        archived.file.save(f"{fmt}.{fmt}", ContentFile(data), save=False)
        archived.save()
    return bulletin


def week_open(unit, week):
    """Whether the unit's reports of the week may still be saved (no lock covers it)."""
    try:
        entry.check_editable(unit, week)
    except entry.ReportError:
        return False
    return True


def fingerprint(w):
    """Everything of the home zone an office could change, read back from the database."""

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "reports": rows(WeeklyReport, "unit_id", "week_end", "status", "version", "returned_reason"),
        "values": rows(ReportValue, "report_id", "amount"),
        "home week open": week_open(w.a, w.week),
        "reveals": RevealLog.objects.count(),
        "kiosks": rows(KioskToken, "name", "unit_id", "revoked_at"),
        "jobs": rows(Job, "status", "attempts"),
        "api tokens": list(  # the home zone's people's tokens (an office may make its own)
            ApiToken.objects.filter(user__memberships__unit__path__startswith=w.zone.path)
            .distinct()
            .order_by("pk")
            .values_list("pk", "name", "revoked_at")
        ),
        "publications": rows(Publication, "campaign_id", "period_key", "version"),
        "schemes": rows(Scheme, "campaign_id", "bottom_n", "streak", "red_weeks", "updated_at"),
        "bulletins": rows(Bulletin, "campaign_id", "number"),
        "bulletin files": BulletinFile.objects.count(),
        "document templates": rows(DocumentTemplate, "zone_id", "kind", "active", "sha256"),
        "problems": rows(Problem, "status", "responsible_id", "deadline", "leader_id"),
        "steps": Step.objects.count(),
        "attachments": Attachment.objects.count(),
        "meetings": rows(Meeting, "title", "campaign_id"),
        "agenda": rows(AgendaItem, "meeting_id", "problem_id", "outcome"),
        "tasks": rows(Task, "campaign_id", "unit_id", "status", "title"),
        "households": rows(Household, "village_id", "stage", "id_number", "phone"),
        "land batches": rows(LandBatch, "unit_id", "name", "area", "approved_on", "updated_at"),
        "parcels": rows(Parcel, "unit_id", "code", "area", "project_id", "supplied_on", "updated_at"),
        "stage events": StageEvent.objects.count(),
        "projects": rows(Project, "unit_id", "progress_text", "problems_text"),
        "investments": rows(MonthlyInvestment, "project_id", "month", "amount"),
        "reminders": Reminder.objects.count(),
        "units": rows(OrgUnit, "parent_id", "name", "path", "leader", "contact_phone"),
        "memberships": rows(Membership, "user_id", "unit_id", "role"),
        "people": rows(get_user_model(), "username", "is_active", "password"),
        "campaigns": rows(Campaign, "name", "owner_id", "start", "end"),
        "targets": rows(Target, "campaign_id", "unit_id", "indicator_id", "amount"),
        "economic figures": rows(
            MonthlyFigure, "unit_id", "indicator_id", "year", "month", "month_value", "cumulative"
        ),
        "economic revisions": FigureRevision.objects.count(),
        "economic selections": [
            (s.unit_id, sorted(s.indicators.values_list("pk", flat=True)))
            for s in ReportSelection.objects.order_by("pk")
        ],
        **cadre_fingerprint(),
    }


def changes(before, after):
    """The parts of the fingerprint that differ."""
    return [key for key in before if before[key] != after[key]]


def body_text(response):
    """What a person would read in the response: the page, the JSON, or an Excel file's cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
        )
    if kind.startswith(("text/", "application/json")):
        return content.decode()
    return ""


def home_names_in(text):
    return [name for name in HOME_NAMES if name in text]


def soon(days=5):
    return (date.today() + timedelta(days=days)).isoformat()
