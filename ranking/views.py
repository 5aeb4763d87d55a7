from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from campaigns.access import get_campaign
from campaigns.chart_labels import chart_labels
from campaigns.progress import default_as_of
from duban import periods
from duban.schedule import q2
from duban.table_export import wants_xlsx, xlsx_response
from ranking.exports import league_export
from ranking.league import OVERALL, league_table


@login_required
def league(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    label = request.GET.get("week")
    try:
        week = periods.parse_week(label) if label else periods.week_of(default_as_of(campaign))
    except ValueError:
        raise Http404 from None
    first = periods.week_of(campaign.start)
    last = max(min(periods.week_of(campaign.end), periods.current_week()), first)  # no week to come
    week = min(max(week, first), last)
    table = league_table(campaign, week, request.GET.get("indicator") or OVERALL)
    if table.indicator_code != OVERALL and not any(i.code == table.indicator_code for i in table.progress.indicators):
        raise Http404
    if wants_xlsx(request):
        return xlsx_response(league_export(table, campaign, week), f"{campaign.name}-{week.label}")
    weeks = [w for w in periods.weeks_between(campaign.start, campaign.end) if w <= last]
    return render(
        request,
        "ranking/league.html",
        {
            "campaign": campaign,
            "table": table,
            "week": week,
            "weeks": weeks[::-1],
            "prev_week": week.prev() if week > first else None,
            "next_week": week.next() if week < last else None,
            "chart": {
                "categories": [e.unit.label for e in table.entries],
                "done": [float(q2(e.done_pct)) for e in table.entries],
                "elapsed": float(q2(table.progress.elapsed_pct)),
                "labels": chart_labels(),
            },
        },
    )
