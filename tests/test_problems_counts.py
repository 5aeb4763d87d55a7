"""Counts of problems raised / solved / overdue by month, department and category."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from problems import counts
from problems.models import Problem
from tests import problem_helpers
from tests.problem_helpers import raise_problem

depts = problem_helpers.depts  # the fixture

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=TZ)


def make(world, raised, deadline=None, solved=None, status=None, **kw):
    p = raise_problem(world, deadline=deadline, **kw)
    status = status or ("solved" if solved else "assigned")
    Problem.objects.filter(pk=p.pk).update(created_at=raised, solved_at=solved, status=status)
    return p


def test_counts_by_month_department_and_category(depts):
    w = depts
    today = date(2026, 9, 15)
    make(w, at(2026, 1, 5), date(2026, 2, 1), at(2026, 1, 20), responsible=w.land_dept)  # solved on time
    make(w, at(2026, 1, 31, 23), date(2026, 3, 1), at(2026, 3, 5), responsible=w.land_dept)  # solved late (March)
    make(w, at(2026, 2, 1, 0), date(2026, 8, 31), responsible=w.fin_dept, category="funding")  # open, overdue (Aug)
    make(w, at(2026, 8, 1), date(2026, 9, 30), responsible=w.fin_dept, category="funding")  # open, not yet due
    make(w, at(2026, 8, 2), date(2026, 8, 3), status="returned")  # returned: not overdue
    make(w, at(2025, 12, 31, 23), date(2026, 1, 10), at(2026, 1, 9), responsible=w.land_dept)  # raised last year

    months = {m["month"]: m for m in counts.by_month(Problem.objects.all(), 2026, today)}
    assert [months[m]["raised"] for m in range(1, 13)] == [2, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]
    assert [months[m]["solved"] for m in range(1, 13)] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [months[m]["overdue"] for m in range(1, 13)] == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert counts.summary(Problem.objects.all(), 2026, today) == {"raised": 5, "solved": 3, "overdue": 2}

    by_dept = {g["label"]: g for g in counts.by_department(Problem.objects.all(), 2026, today)}
    assert {k: by_dept["自然资源局"][k] for k in ("raised", "solved", "open", "overdue", "open_overdue")} == {
        "raised": 2,
        "solved": 2,
        "open": 0,
        "overdue": 1,
        "open_overdue": 0,
    }
    assert {k: by_dept["财政局"][k] for k in ("raised", "solved", "open", "overdue", "open_overdue")} == {
        "raised": 2,
        "solved": 0,
        "open": 2,
        "overdue": 1,
        "open_overdue": 1,
    }
    assert by_dept["尚未交办"]["raised"] == 1

    by_cat = {g["key"]: g for g in counts.by_category(Problem.objects.all(), 2026, today)}
    assert by_cat["funding"]["raised"] == 2 and by_cat["land"]["raised"] == 3
    assert str(by_cat["funding"]["label"]) in ("资金", "Funding")


def test_a_problem_due_today_is_not_yet_overdue(depts):
    today = date(2026, 9, 15)
    make(depts, at(2026, 9, 1), today)
    assert counts.summary(Problem.objects.all(), 2026, today)["overdue"] == 0
    assert counts.summary(Problem.objects.all(), 2026, today + timedelta(days=1))["overdue"] == 1
