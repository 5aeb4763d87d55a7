from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from org.scoping import scope_for
from reports import periods
from reports.models import WeeklyReport


@login_required
def home(request):
    scope = scope_for(request)
    week = periods.current_week()
    own = list(scope.own_units().filter(targets__isnull=False).distinct()) if scope.paths else []
    reports = {r.unit_id: r for r in WeeklyReport.objects.filter(unit__in=own, week_end=week.end)}
    today = timezone.localdate()
    campaigns = list(scope.campaigns().filter(end__gte=today).order_by("end")[:20])
    for c in campaigns:
        c.elapsed = periods.elapsed_pct(c.start, c.end, today)
    return render(
        request,
        "home.html",
        {"week": week, "own": [(u, reports.get(u.pk)) for u in own], "campaigns": campaigns},
    )
