"""A small world of lent cadres in 测试区 (tests/conftest.py): a department 甲局 and a town 甲镇,
a cadre 甲干部 lent to 甲指挥部, and a sheet maker for the roster import."""

import io
from datetime import timedelta

import openpyxl
from django.utils import timezone

from cadres.models import Assignment, Cadre, Commendation, Disqualification, EligibilityRule, Nomination, Pairing
from org.models import OrgUnit

HEADER = ["序号", "姓名", "性别", "原单位", "职务", "职级", "派驻单位", "岗位", "起止时间"]


def add_cadres(w):
    today = timezone.localdate()
    w.dept = OrgUnit.objects.create(name="甲局", kind=OrgUnit.Kind.DEPARTMENT, parent=w.zone, sort_order=50)
    w.town = OrgUnit.objects.create(name="甲镇", kind=OrgUnit.Kind.TOWN, parent=w.zone, sort_order=60)
    w.town2 = OrgUnit.objects.create(name="乙镇", kind=OrgUnit.Kind.TOWN, parent=w.zone, sort_order=61)
    w.other_dept = OrgUnit.objects.create(name="丙局", kind=OrgUnit.Kind.DEPARTMENT, parent=w.other_zone)
    w.cadre = Cadre.objects.create(
        zone=w.zone, name="甲干部", gender="m", department=w.dept, post="科员", rank="一级科员", phone="13905917777"
    )
    w.assignment = Assignment.objects.create(
        zone=w.zone,
        cadre=w.cadre,
        department=w.dept,
        unit=w.a,
        start=today - timedelta(days=30),
        end=today + timedelta(days=30),
    )
    w.pairing = Pairing.objects.create(
        zone=w.zone, first=w.town, second=w.town2, first_gives="甲镇出人", second_gives="乙镇出资", start=today
    )
    w.rule = EligibilityRule.objects.create(zone=w.zone, campaign=w.campaign, year=today.year, bottom_n=1, streak=3)
    w.mark = Disqualification.objects.create(rule=w.rule, zone=w.zone, unit=w.b, periods=["甲期"])
    w.commendation = Commendation.objects.create(
        zone=w.zone, unit=w.town, title="甲先进集体", day=today, reason="甲镇表彰"
    )
    w.nomination = Nomination.objects.create(zone=w.zone, cadre=w.cadre, day=today, reason="甲干部入库", results={})
    return w


def cadre_fingerprint():
    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "cadres": rows(Cadre, "zone_id", "name", "department_id", "post"),
        "assignments": rows(Assignment, "cadre_id", "unit_id", "start", "end", "role"),
        "pairings": rows(Pairing, "first_id", "second_id", "first_gives"),
        "rules": rows(EligibilityRule, "campaign_id", "year", "bottom_n", "streak", "applied_at"),
        "marks": rows(Disqualification, "rule_id", "unit_id"),
        "commendations": rows(Commendation, "title"),
        "nominations": rows(Nomination, "cadre_id", "reason"),
    }


def sheet(rows, header=HEADER, title="涵江区抽调干部花名册"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "抽调干部"
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
