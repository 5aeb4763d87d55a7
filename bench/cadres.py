"""Benchmark (not a test): the people lent to the front at Hanjiang's size and bigger — the demo's
roster (bulk inserts), the counts, the roster page and its export, a cadre's page, and reading
and importing the 组织部's sheet.

    .venv/bin/python bench/cadres.py               # the demo roster + a 2,000-row sheet
    .venv/bin/python bench/cadres.py --rows 5000
    DATABASE_URL=postgres://… .venv/bin/python bench/cadres.py

Without DATABASE_URL it runs on a fresh SQLite file under /tmp. On a given database it works on its
own zone (BENCH-涵江区) and deletes what it made at the end.
"""

import argparse
import io
import time
from datetime import timedelta

from django_setup import setup


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    setup("duban-bench-cadres.sqlite3")

    import openpyxl
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from cadres import importing, roster
    from cadres.models import Assignment, Cadre, Commendation, Disqualification, EligibilityRule, Nomination, Pairing
    from campaigns.models import Campaign
    from demo import cadres as cadres_demo
    from demo.loader import HANJIANG_POSTS, Loader
    from org.models import Membership, OrgUnit

    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    zone = OrgUnit.objects.create(name="BENCH-涵江区", kind=OrgUnit.Kind.ZONE)
    posts = [
        OrgUnit.objects.create(name=n, leader=leader, kind=OrgUnit.Kind.COMMAND_POST, parent=zone)
        for _u, n, _s, leader, _t in HANJIANG_POSTS
    ]
    campaign = Campaign.objects.create(
        name="BENCH-奋战100天", owner=zone, start=today - timedelta(days=60), end=today + timedelta(days=39)
    )
    user = get_user_model().objects.create_user("bench-cadres-office", password="x")
    Membership.objects.create(user=user, unit=zone, role=Membership.Role.OFFICE)
    try:
        timed(
            "demo roster (48 departments, 525 cadres, bulk)",
            lambda: cadres_demo.load(Loader("x", today), zone, campaign),
        )
        print(
            "figures:",
            {k: v for k, v in roster.summary(zone, today).items() if k in ("departments_lending", "cadres_lent")},
        )
        timed("summary (counts by department and post)", lambda: roster.summary(zone, today))
        client = Client()
        client.force_login(user)
        for name in ("cadres_roster", "cadres_counts"):
            url = reverse(name, args=[zone.pk])
            timed(f"GET {name}", lambda url=url: client.get(url))
        timed(
            "GET cadres_roster ?format=xlsx",
            lambda: client.get(reverse("cadres_roster", args=[zone.pk]), {"format": "xlsx"}),
        )
        cadre = Cadre.objects.filter(zone=zone).first()
        timed("GET cadres_person", lambda: client.get(reverse("cadres_person", args=[cadre.pk])))

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["序号", "姓名", "性别", "原单位", "职务", "职级", "派驻单位", "岗位", "起止时间"])
        span = f"{today:%Y-%m-%d}至{today + timedelta(days=30):%Y-%m-%d}"
        for k in range(args.rows):
            sheet.append(
                [
                    k + 1,
                    f"测{k:05d}",
                    "男",
                    cadres_demo.DEPARTMENTS[k % 48],
                    "科员",
                    "",
                    posts[k % 7].name,
                    "组员",
                    span,
                ]
            )
        data = io.BytesIO()
        book.save(data)
        reading = timed(f"read a {args.rows}-row sheet (dry run)", lambda: importing.read(data.getvalue(), zone))
        assert not reading.errors, reading.errors[:3]
        timed(f"import {args.rows} rows", lambda: importing.save(reading, zone, user))
    finally:
        for model in (Nomination, Commendation, Disqualification, EligibilityRule, Assignment, Cadre, Pairing):
            model.objects.filter(zone=zone).delete()
        campaign.delete()
        user.delete()
        for unit in OrgUnit.objects.filter(zone.within_q()).order_by("-path"):
            unit.delete()


if __name__ == "__main__":
    main()
