"""The screen's validator (ETag / Last-Modified), computed without building the data.

A fingerprint of everything the screen shows, from cheap queries only: the highest id of the
big tables (one index lookup each), the roll-ups' latest update, counts over small tables
(campaigns, targets, tasks, units, indicators), the open problems, the counter the report
hooks bump, and the date (time elapsed moves every day). When the fingerprint changes, the
time is remembered: that is the Last-Modified of the data.
"""

import hashlib
import json

from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign, Indicator, Target, Task
from dashboard import rollups
from dashboard.models import Mark, UnitInvestment, VillageTally
from org.models import OrgUnit
from problems.models import Problem
from projects.models import Milestone, Project
from reports.models import WeeklyReport

FINGERPRINT = "fingerprint"
FORMAT = 2  # bump when the payload's shape changes, so walls reload fresh data


def _aggregates():
    """Counts and maxima of the tables the screen reads, in one statement."""
    q = connection.ops.quote_name

    def table(model):
        return q(model._meta.db_table)

    def col(model, field):
        return q(model._meta.get_field(field).column)

    open_statuses = ", ".join(f"'{s}'" for s in Problem.OPEN_STATUSES)
    parts = [
        f"(SELECT MAX({col(WeeklyReport, 'id')}) FROM {table(WeeklyReport)})",
        f"(SELECT MAX({col(VillageTally, 'updated_at')}) FROM {table(VillageTally)})",
        f"(SELECT MAX({col(UnitInvestment, 'updated_at')}) FROM {table(UnitInvestment)})",
        f"(SELECT MAX({col(Milestone, 'id')}) FROM {table(Milestone)})",
        f"(SELECT COUNT(*) FROM {table(Project)})",
        f"(SELECT MAX({col(Project, 'updated_at')}) FROM {table(Project)})",
        f"(SELECT COUNT(*) FROM {table(Target)})",
        f"(SELECT MAX({col(Target, 'id')}) FROM {table(Target)})",
        f"(SELECT SUM({col(Target, 'amount')}) FROM {table(Target)})",
        f"(SELECT COUNT(*) FROM {table(Task)})",
        f"(SELECT MAX({col(Task, 'id')}) FROM {table(Task)})",
        f"(SELECT COUNT(*) FROM {table(Task)} WHERE {col(Task, 'status')} = '{Task.Status.DONE}')",
        f"(SELECT MAX({col(Task, 'done_on')}) FROM {table(Task)})",
        f"(SELECT COUNT(*) FROM {table(OrgUnit)})",
        f"(SELECT MAX({col(OrgUnit, 'id')}) FROM {table(OrgUnit)})",
        f"(SELECT COUNT(*) FROM {table(Indicator)})",
        f"(SELECT MAX({col(Indicator, 'id')}) FROM {table(Indicator)})",
        f"(SELECT MAX({col(Problem, 'id')}) FROM {table(Problem)})",
        f"(SELECT COUNT(*) FROM {table(Problem)} WHERE {col(Problem, 'status')} IN ({open_statuses}))",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return list(cursor.fetchone())


def fingerprint(today, marks=None):
    """The fingerprint of the data; `marks` ({name: (value, text)}) when already read."""
    if marks is None:
        marks = {name: (value, text) for name, value, text in Mark.objects.values_list("name", "value", "text")}
    if rollups.catch_up(marks):
        marks = {name: (value, text) for name, value, text in Mark.objects.values_list("name", "value", "text")}
    parts = [
        FORMAT,
        today,
        sorted((name, value, text) for name, (value, text) in marks.items() if name != FINGERPRINT),
        rollups.newest_ids(),
        _aggregates(),
        list(
            Campaign.objects.order_by("pk").values_list("pk", "name", "slogan", "start", "end", "yellow_gap", "red_gap")
        ),
    ]
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:40]


def current(today=None):
    """(fingerprint, changed_at) of the data as it stands."""
    today = today or timezone.localdate()
    marks = {m.name: m for m in Mark.objects.all()}
    value = fingerprint(today, {name: (m.value, m.text) for name, m in marks.items()})
    mark = marks.get(FINGERPRINT) or Mark.objects.filter(name=FINGERPRINT).first()
    if mark is None or mark.text != value:
        mark, _ = Mark.objects.update_or_create(
            name=FINGERPRINT, defaults={"text": value, "changed_at": timezone.now()}
        )
    return value, mark.changed_at


def etag_for(value, scope_key, focus_id):
    return hashlib.sha256(f"{value}|{scope_key}|{focus_id}".encode()).hexdigest()[:32]
