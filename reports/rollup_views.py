"""Monthly, quarterly, half-year and yearly roll-ups (每月一汇总、每季一表态、半年一小结、全年一总结)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Indicator, Target
from duban import numbers, periods
from org.scoping import get_unit
from reports.figures import period_amounts
from reports.models import WeeklyReport

PERIOD_NAMES = {
    "month": _("Monthly summary"),
    "quarter": _("Quarterly statement"),
    "half": _("Half-year review"),
    "year": _("Annual review"),
}
MAX_DEPTH_BELOW = 2


@login_required
def rollup(request, unit_id):
    unit = get_unit(request, unit_id)
    kind = request.GET.get("kind", "month")
    if kind not in periods.PERIOD_KINDS:
        raise Http404
    key = request.GET.get("key")
    try:
        period = periods.parse_period(kind, key) if key else periods.period_of(kind, timezone.localdate())
    except ValueError:
        raise Http404 from None

    units = [u for u in unit.subtree() if u.depth - unit.depth <= MAX_DEPTH_BELOW]
    unit_ids = [u.pk for u in units] + unit.ancestor_ids()
    indicators = list(
        Indicator.objects.filter(
            pk__in=Target.objects.filter(unit_id__in=unit_ids).values("indicator_id"), kind__in=["flow", "stock"]
        )
    )
    in_period = period_amounts(units, indicators, period.start, period.end)
    year = periods.period_of("year", period.start)
    to_date = period_amounts(units, indicators, year.start, period.end)
    rows = [
        {
            "unit": u,
            "indent": u.depth - unit.depth,
            "cells": [(in_period[(u.pk, i.pk)], to_date[(u.pk, i.pk)], i.unit_of_measure) for i in indicators],
        }
        for u in units
    ]
    narratives = (
        WeeklyReport.objects.filter(
            unit.within_q("unit__path"),
            status=WeeklyReport.Status.SUBMITTED,
            week_end__gte=period.start,
            week_end__lte=period.end,
        )
        .select_related("unit")
        .order_by("unit__path", "week_end")
    )
    children = [u for u in units if u.parent_id == unit.pk]
    chart = {
        "categories": [c.label for c in children],
        "series": [
            {
                "name": f"{i.name}({i.unit_of_measure})",
                "data": [float(in_period[(c.pk, i.pk)]) for c in children],
                "places": 0 if numbers.is_count(i.unit_of_measure) else 2,
            }
            for i in indicators
        ],
    }
    return render(
        request,
        "reports/rollup.html",
        {
            "unit": unit,
            "period": period,
            "kind": kind,
            "kinds": [(k, PERIOD_NAMES[k]) for k in periods.PERIOD_KINDS],
            "title": PERIOD_NAMES[kind],
            "indicators": indicators,
            "rows": rows,
            "narratives": narratives,
            "chart": chart,
            "prev": period.prev(),
            "next": period.next(),
        },
    )
