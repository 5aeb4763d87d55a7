from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from campaigns.models import Campaign
from duban import home_cards, periods, versions
from org.scoping import scope_for
from problems.colours import BLUE, RED
from problems.filters import by_colour
from problems.models import Problem
from reports import entry
from reports.models import WeeklyReport

CARDS = 6  # running campaigns drawn on the home page, the soonest to end first


@login_required
def home(request):
    """The week at a glance: the user's own reports to make; each running campaign drawn against
    time elapsed with the head and tail of its league table; for the office, who has reported
    this week and the problems past or near their deadline."""
    scope = scope_for(request)
    if scope.is_field_worker:  # their work is the phone page
        return redirect("requisition_field")
    week = periods.current_week()
    today = timezone.localdate()
    # Only units due to report this week: a campaign that is over asks for no report.
    own = []
    if scope.paths:
        own = list(entry.expected_units(week, within=scope.own_units()).order_by("sort_order", "path"))
    reports = {r.unit_id: r for r in WeeklyReport.objects.filter(unit__in=own, week_end=week.end)}
    campaigns = list(
        Campaign.objects.visible_to(scope).filter(start__lte=today, end__gte=today).order_by("end", "pk")[:CARDS]
    )
    version = versions.read() if campaigns else None
    context = {
        "week": week,
        "own": [(u, reports.get(u.pk)) for u in own],
        "cards": [home_cards.card(c, version) for c in campaigns],
    }
    if scope.is_office:
        context["reporting"] = _reporting(week, scope.office_units())
        problems = Problem.objects.visible_to(scope)
        context["problems"] = {
            "open": problems.filter(status__in=Problem.OPEN_STATUSES).count(),
            "red": by_colour(problems, RED, today).count(),
            "blue": by_colour(problems, BLUE, today).count(),
        }
    return render(request, "home.html", context)


def _reporting(week, within):
    """This week's reports so far in the office's units: expected, submitted (on time and
    late), and who is missing."""
    units = list(entry.expected_units(week, within=within).order_by("sort_order", "path"))
    groups = entry.submissions(week, units)
    return {
        "expected": len(units),
        "submitted": len(groups["on_time"]) + len(groups["late"]),
        "late": len(groups["late"]),
        "missing": [unit for unit, _report in groups["missing"]],
    }
