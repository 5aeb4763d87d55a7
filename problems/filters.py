"""The problem list's filters and colours, shared by the list page and the API."""

from datetime import timedelta

from django.db.models import F, Q

from duban.params import int_param
from org.models import OrgUnit
from problems.colours import BLUE, DUE_SOON_DAYS, LABELS, RED, YELLOW, problem_colour
from problems.models import Problem

S = Problem.Status


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filter_problems(qs, params):
    """The list's filters; unknown values are ignored (the list shows what it shows)."""
    status = params.get("status") or "open"
    if status == "open":
        qs = qs.filter(status__in=Problem.OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=Problem.OPEN_STATUSES)
    elif status in S.values:
        qs = qs.filter(status=status)
    for name, field in (("responsible", "responsible_id"), ("leader", "leader_id"), ("campaign", "campaign_id")):
        if (value := int_param(params, name)) is not None:
            qs = qs.filter(**{field: value})
    if (unit_id := int_param(params, "unit")) is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        qs = qs.filter(unit.within_q("raised_by_unit__path")) if unit else qs.none()
    if params.get("category") in Problem.Category.values:
        qs = qs.filter(category=params["category"])
    if params.get("source") in Problem.Source.values:
        qs = qs.filter(source=params["source"])
    return qs


def with_colours(problems, today):
    for p in problems:
        p.colour = problem_colour(p, today)
        p.colour_label = LABELS[p.colour]
    return problems


def yellow_ids(qs, today):
    """Problems that are yellow today: open, due in more than 3 days, no progress since assignment,
    past half their time — the last test in Python (date arithmetic differs between databases)."""
    candidates = qs.filter(status__in=Problem.OPEN_STATUSES, deadline__gt=today + timedelta(days=DUE_SOON_DAYS)).filter(
        Q(progress_at__isnull=True) | Q(progress_at__lt=F("assigned_at"))
    )
    fields = ("pk", "status", "deadline", "created_at", "assigned_at", "progress_at")
    return [p.pk for p in candidates.only(*fields).order_by() if problem_colour(p, today) == YELLOW]


def by_colour(qs, colour, today):
    """The problems of one colour, as a queryset."""
    open_ = qs.filter(status__in=Problem.OPEN_STATUSES)
    if colour == RED:
        return open_.filter(deadline__lt=today)
    if colour == BLUE:
        return open_.filter(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
    return qs.filter(pk__in=yellow_ids(qs, today))
