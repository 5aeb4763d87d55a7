"""Counts of problems: raised, solved and overdue, by month, department and category.

- raised: created in the period;
- solved: solved in the period (whenever raised);
- overdue: missed its deadline — still open after it, or solved after it; counted in the month of
  the deadline. By department and category the counts cover the problems raised in the year, with
  those still open and those open past their deadline today.
"""

from collections import OrderedDict

from django.db.models import Q
from django.utils.translation import gettext as _

from problems.colours import local_date
from problems.models import Problem


def missed_deadline(p, today):
    """Open after its deadline, or solved after it."""
    if p["deadline"] is None:
        return False
    if p["status"] == Problem.Status.SOLVED:
        return p["solved_on"] is not None and p["solved_on"] > p["deadline"]
    if p["status"] in Problem.OPEN_STATUSES:
        return today > p["deadline"]
    return False  # returned: not the department's to meet


FIELDS = ("pk", "status", "category", "deadline", "created_at", "solved_at", "responsible_id", "responsible__name")


def rows_for_year(problems, year):
    """The rows a year's counts need (raised, solved or due that year), read once; the functions
    below take these rows or a queryset."""
    rows = []
    relevant = Q(created_at__year=year) | Q(solved_at__year=year) | Q(deadline__year=year)
    for p in problems.filter(relevant).order_by().values(*FIELDS):
        p["raised_on"] = local_date(p["created_at"])
        p["solved_on"] = local_date(p["solved_at"])
        rows.append(p)
    return rows


def _rows(problems):
    if isinstance(problems, list):
        return problems
    rows = []
    for p in problems.order_by().values(*FIELDS):
        p["raised_on"] = local_date(p["created_at"])
        p["solved_on"] = local_date(p["solved_at"])
        rows.append(p)
    return rows


def by_month(problems, year, today):
    """[{month: 1..12, raised, solved, overdue}] for the year."""
    months = OrderedDict((m, {"month": m, "raised": 0, "solved": 0, "overdue": 0}) for m in range(1, 13))
    for p in _rows(problems):
        if p["raised_on"].year == year:
            months[p["raised_on"].month]["raised"] += 1
        if p["status"] == Problem.Status.SOLVED and p["solved_on"] and p["solved_on"].year == year:
            months[p["solved_on"].month]["solved"] += 1
        if p["deadline"] and p["deadline"].year == year and missed_deadline(p, today):
            months[p["deadline"].month]["overdue"] += 1
    return list(months.values())


def _grouped(problems, year, today, key, label):
    groups = {}
    for p in _rows(problems):
        if p["raised_on"].year != year:
            continue
        k = key(p)
        g = groups.setdefault(
            k, {"key": k, "label": label(p), "raised": 0, "solved": 0, "open": 0, "overdue": 0, "open_overdue": 0}
        )
        g["raised"] += 1
        if p["status"] == Problem.Status.SOLVED:
            g["solved"] += 1
        if p["status"] in Problem.OPEN_STATUSES:
            g["open"] += 1
            if p["deadline"] and today > p["deadline"]:
                g["open_overdue"] += 1
        if missed_deadline(p, today):
            g["overdue"] += 1
    return sorted(groups.values(), key=lambda g: (-g["raised"], str(g["label"])))


def by_department(problems, year, today):
    return _grouped(
        problems, year, today, lambda p: p["responsible_id"], lambda p: p["responsible__name"] or _("Not assigned yet")
    )


def by_category(problems, year, today):
    labels = dict(Problem.Category.choices)
    return _grouped(problems, year, today, lambda p: p["category"], lambda p: labels.get(p["category"], p["category"]))


def summary(problems, year, today):
    """Totals for the year: the sentence offices write ("今年1-8月,共协调解决问题25个")."""
    months = by_month(problems, year, today)
    return {k: sum(m[k] for m in months) for k in ("raised", "solved", "overdue")}
