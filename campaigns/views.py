from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from campaigns.access import get_campaign
from campaigns.chart_labels import chart_labels
from campaigns.exports import progress_export
from campaigns.models import Campaign
from campaigns.progress import campaign_progress, default_as_of
from duban import numbers, periods, schedule
from duban.params import int_param, page_param
from duban.table_export import wants_xlsx, xlsx_response
from org.scoping import get_unit, scope_for
from reports import plausibility
from reports.figures import weekly_amounts

ROWS_PER_PAGE = 100  # units per table on the campaign page


@login_required
def campaign_list(request):
    today = timezone.localdate()
    campaigns = list(Campaign.objects.visible_to(scope_for(request)).select_related("owner"))
    for c in campaigns:
        c.elapsed = periods.elapsed_pct(c.start, c.end, today)
        c.running = c.start <= today <= c.end
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


def _parse_date(raw):
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


@login_required
def campaign_detail(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    at = _parse_date(request.GET.get("at")) or default_as_of(campaign)
    progress = campaign_progress(campaign, as_of=min(max(at, campaign.start), campaign.end))
    sections = []
    page_number = page_param(request.GET)
    page = None
    export = wants_xlsx(request)
    for indicator in progress.indicators:
        rows = progress.rows_for(indicator)
        if len(rows) > ROWS_PER_PAGE and export:  # every unit, in the page's order
            rows.sort(key=lambda r: (r.gap, r.unit.path))
        elif len(rows) > ROWS_PER_PAGE:
            # a province-wide campaign: the units furthest behind time first, a page at a time
            rows.sort(key=lambda r: (r.gap, r.unit.path))
            page = Paginator(rows, ROWS_PER_PAGE).get_page(page_number)
            rows = list(page.object_list)
        sections.append(
            {
                "indicator": indicator,
                "rows": rows,
                "total": progress.totals.get(indicator.pk),
                "chart_id": f"chart-{indicator.pk}",
                "chart": {
                    "categories": [r.unit.label for r in rows],
                    "done": [float(schedule.q2(r.done_pct) or 0) for r in rows],
                    "elapsed": float(schedule.q2(progress.elapsed_pct)),
                    "colours": [r.status.colour for r in rows],
                    "labels": chart_labels(),
                },
            }
        )
    if export:
        return xlsx_response(progress_export(campaign, progress, sections), f"{campaign.name}-{progress.as_of}")
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "sections": sections,
            "page": page,
            "at": request.GET.get("at", ""),
            "latest": max(min(campaign.end, timezone.localdate()), campaign.start),  # no day to come
            "tasks": campaign.tasks.select_related("unit"),
            "held": list(plausibility.pending_in_campaign(campaign, scope_for(request).units())[:200]),
        },
    )


@login_required
def unit_page(request, unit_id):
    """A unit's weekly history in each campaign it has targets in, drawn as charts."""
    unit = get_unit(request, unit_id)
    scope = scope_for(request)
    campaigns = list(
        Campaign.objects.visible_to(scope)
        .filter(targets__unit_id__in=unit.ancestor_ids())
        .distinct()
        .order_by("-start")
    )
    wanted = int_param(request.GET, "campaign")
    selected = campaigns[0] if campaigns else None
    if wanted is not None:
        selected = next((c for c in campaigns if c.pk == wanted), None)
        if selected is None:
            raise Http404
    histories = []
    if selected:
        progress = campaign_progress(selected)
        weeks = [w for w in periods.weeks_between(selected.start, selected.end) if w.end <= progress.week.end]
        indicators = [i for i in progress.indicators if i.kind != i.Kind.RATIO]
        amounts = weekly_amounts(unit, indicators, weeks)
        nearest_first = unit.ancestor_ids()[::-1]
        for indicator in indicators:
            target = next(
                (
                    progress.rows[(uid, indicator.pk)].target
                    for uid in nearest_first
                    if (uid, indicator.pk) in progress.rows
                ),
                None,
            )
            cum, series_week, series_cum = 0, [], []
            for w in weeks:
                value = amounts[indicator.pk].get(w.end)
                if indicator.kind == indicator.Kind.FLOW:
                    cum += float(value or 0)
                elif value is not None:
                    cum = float(value)
                series_week.append(float(value or 0))
                series_cum.append(round(cum, 2))
            histories.append(
                {
                    "indicator": indicator,
                    "target": target,
                    "chart_id": f"history-{indicator.pk}",
                    "rows": list(zip([w.label for w in weeks], series_week, series_cum, strict=True))[::-1],
                    "chart": {
                        "weeks": [w.label for w in weeks],
                        "amounts": series_week,
                        "cumulative": series_cum,
                        "target": float(target) if target is not None else None,
                        "name": indicator.name,
                        "uom": indicator.unit_of_measure,
                        "places": 0 if numbers.is_count(indicator.unit_of_measure) else 2,
                        "labels": chart_labels(),
                    },
                }
            )
    return render(
        request,
        "campaigns/unit.html",
        {
            "unit": unit,
            "campaigns": campaigns,
            "selected": selected,
            "histories": histories,
            "children": unit.children.all(),
            "can_edit": scope.owns(unit),
            "current_week": periods.current_week(),
        },
    )
