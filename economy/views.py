"""The economic indicators' pages: the overview with its charts and growth tiles, one indicator
month by month with its revisions, the monthly form, the statistics office's table import and the
office's choice of the indicators its bulletins carry.

Reach: a unit out of reach is a 404 (org.scoping.get_unit); the form is for the unit's reporters
and the office of a subtree holding it, the import and the bulletin choice for the office; others
who may read get a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban import pending_uploads, spreadsheet
from duban.spreadsheet.wording import MONEY_UNITS
from economy import entry, growth, importer
from economy.models import EconomicIndicator, FigureRevision, MonthlyFigure, ReportSelection
from org.models import OrgUnit
from org.scoping import get_unit, require_office, scope_for

SESSION_KEY = "economy_import"


def may_enter(scope, unit):
    return scope.owns(unit) or scope.office_for(unit)


def _unit_for(request):
    """The unit asked for (?unit=), else the topmost unit in reach holding figures, else the
    user's first top unit."""
    scope = scope_for(request)
    if request.GET.get("unit"):
        return get_unit(request, request.GET["unit"])
    first = MonthlyFigure.objects.visible_to(scope).order_by("unit__path").select_related("unit").first()
    if first is not None:
        return first.unit
    tops = scope.top_units()
    return tops[0] if tops else None


def _month_for(request, unit):
    """(year, month) asked for (?period=2021-03 or 2021-Q1), else the latest with figures, else now."""
    key = request.GET.get("period")
    if key:
        try:
            period = growth.period_from_key(key)
        except ValueError:
            raise Http404 from None
        return period.end.year, period.end.month
    today = timezone.localdate()
    return growth.latest_month(unit) or (today.year, today.month)


@login_required
def overview(request):
    scope = scope_for(request)
    unit = _unit_for(request)
    holding = OrgUnit.objects.filter(
        pk__in=MonthlyFigure.objects.visible_to(scope).values("unit_id").distinct()
    ).order_by("path")[:200]
    tops = scope.top_units()
    units = tops + [u for u in holding if u not in tops]
    if unit is not None and unit not in units:
        units.append(unit)
    context = {"unit": unit, "units": units}
    if unit is not None:
        year, month = _month_for(request, unit)
        readings = growth.readings(unit, year, month)
        selection = ReportSelection.objects.filter(unit=unit).first()
        context.update(
            year=year,
            month=month,
            readings=readings,
            charts=[(r, f"chart-{r.indicator.code}", growth.chart_data(r)) for r in readings if r.this_year],
            growth_chart={
                "categories": [r.indicator.short_name or r.indicator.name for r in readings if r.growth is not None],
                "values": [float(r.growth_rounded) for r in readings if r.growth is not None],
                "label": _("比增 (%)"),
            },
            may_enter=may_enter(scope, unit),
            is_office=scope.office_for(unit),
            selected={i.pk for i in selection.indicators.all()} if selection else set(),
            indicators=EconomicIndicator.objects.all(),
        )
    return render(request, "economy/overview.html", context)


@login_required
def indicator_page(request, unit_id, code):
    unit = get_unit(request, unit_id)
    try:
        indicator = EconomicIndicator.objects.get(code=code)
    except EconomicIndicator.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or (growth.latest_month(unit) or (today.year, 1))[0])
    except ValueError:
        raise Http404 from None
    months = []
    for month in range(1, 13):
        (r,) = growth.readings(unit, year, month, [indicator])
        if r.cumulative is not None or r.month_value is not None or r.last_cumulative is not None:
            months.append(r)
    chart = growth.chart_data(months[-1]) if months else None
    revisions = (
        FigureRevision.objects.filter(figure__unit=unit, figure__indicator=indicator)
        .select_related("figure", "revised_by")
        .order_by("-revised_at", "-pk")
    )
    return render(
        request,
        "economy/indicator.html",
        {
            "unit": unit,
            "indicator": indicator,
            "year": year,
            "months": months,
            "chart": chart,
            "revisions": revisions,
            "may_enter": may_enter(scope_for(request), unit),
        },
    )


def _form_month(request):
    today = timezone.localdate()
    params = request.POST if request.method == "POST" else request.GET
    try:
        year = int(params.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 1990 <= year <= today.year + 1:
        raise Http404
    return year, params.get("month") or str(today.month)


@login_required
def entry_form(request, unit_id):
    """The monthly form: each indicator's month value and / or cumulative for one month."""
    unit = get_unit(request, unit_id)
    if not may_enter(scope_for(request), unit):
        raise PermissionDenied
    year, raw_month = _form_month(request)
    indicators = list(EconomicIndicator.objects.all())
    errors = []
    month = entry.parse_month(raw_month, year)
    if isinstance(month, str):
        errors.append(month)
        month = None
    if request.method == "POST" and not errors:
        rows = []
        for indicator in indicators:
            # a field left out of the POST is left as it is; one sent blank is cleared
            given = {
                f: request.POST[f"{f}_{indicator.pk}"] for f in entry.FIELDS if f"{f}_{indicator.pk}" in request.POST
            }
            if indicator.cumulative_only and not given.get("month_value"):
                given.pop("month_value", None)
            rows.append((indicator, given, request.POST.get(f"reason_{indicator.pk}", "")))
        try:
            changes = entry.check(unit, year, month, rows)
        except entry.EntryError as err:
            errors += err.messages
        else:
            entry.apply(unit, year, month, changes, user=request.user)
            messages.success(
                request,
                _("%(n)s figures of %(year)s年%(month)s月 saved.") % {"n": len(changes), "year": year, "month": month},
            )
            return redirect(f"{reverse('economy_entry', args=[unit.pk])}?year={year}&month={month}")
    stored = {}
    if month:
        stored = {f.indicator_id: f for f in MonthlyFigure.objects.filter(unit=unit, year=year, month=month)}
    lines = []
    for indicator in indicators:
        figure = stored.get(indicator.pk)
        post = request.POST if request.method == "POST" else {}
        lines.append(
            {
                "indicator": indicator,
                "month_value": post.get(f"month_value_{indicator.pk}", figure.month_value if figure else ""),
                "cumulative": post.get(f"cumulative_{indicator.pk}", figure.cumulative if figure else ""),
                "reason": post.get(f"reason_{indicator.pk}", ""),
                "stored": figure is not None,
            }
        )
    status = 400 if errors else 200
    return render(
        request,
        "economy/entry.html",
        {"unit": unit, "year": year, "month": month, "months": range(1, 13), "lines": lines, "errors": errors},
        status=status,
    )


@login_required
@require_POST
def selection(request, unit_id):
    """The office chooses the indicators its bulletins and roll-ups carry."""
    unit = get_unit(request, unit_id)
    require_office(request, unit)
    chosen = EconomicIndicator.objects.filter(pk__in=[v for v in request.POST.getlist("indicator") if v.isdigit()])
    sel, _created = ReportSelection.objects.get_or_create(unit=unit, defaults={"updated_by": request.user})
    sel.updated_by = request.user
    sel.save()
    sel.indicators.set(chosen)
    messages.success(request, _("The bulletins will carry %(n)s indicators.") % {"n": chosen.count()})
    return redirect(f"{reverse('economy')}?unit={unit.pk}")


@login_required
def import_table(request):
    """The office imports the statistics office's table for one of its units."""
    scope = scope_for(request)
    require_office(request)
    units = list(scope.office_units().order_by("path")[:500])
    context = {"units": units, "months": range(1, 13), "money_units": list(MONEY_UNITS), "result": None}
    if request.method != "POST":
        return render(request, "economy/import.html", context)
    if request.POST.get("confirm"):
        return _confirm(request, context)
    _drop_pending(request)
    params = request.POST
    context.update(chosen_unit=params.get("unit", ""), year=params.get("year", ""), month=params.get("month", ""))
    result = spreadsheet.ImportResult()
    unit = scope.office_units().filter(pk=params.get("unit")).first() if params.get("unit", "").isdigit() else None
    year = int(params["year"]) if params.get("year", "").isdigit() else None
    month = entry.parse_month(params["month"], year or 0) if params.get("month") else None
    money_unit = params.get("money_unit") if params.get("money_unit") in MONEY_UNITS else None
    reason = params.get("reason", "").strip()[:200]
    context["reason"] = reason
    upload = request.FILES.get("file")
    if unit is None:
        result.errors.append(_("Choose a unit of your zone for the figures."))
    elif isinstance(month, str):
        result.errors.append(month)
    elif upload is None:
        result.errors.append(_("Choose an Excel file to import."))
    else:
        try:
            data = spreadsheet.read_source(upload)
        except spreadsheet.ExcelError as err:
            result.errors.append(err.message)
        else:
            result = importer.import_file(
                data,
                unit,
                year=year,
                month=month,
                money_unit=money_unit,
                dry_run=True,
                filename=upload.name,
                reason=reason,
            )
            if result.ok and result.changed:
                token = pending_uploads.keep(data)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "unit": unit.pk,
                    "year": result.year,
                    "month": result.month,
                    "money_unit": money_unit,
                    "name": upload.name[:100],
                    "reason": reason,
                }
                context["token"] = token
        context["filename"] = upload.name
    context["result"] = result
    return render(request, "economy/import.html", context, status=400 if result.errors else 200)


def _drop_pending(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        pending_uploads.drop(pending.get("token"))


def _confirm(request, context):
    scope = scope_for(request)
    pending = request.session.get(SESSION_KEY)
    same = bool(pending) and request.POST.get("token") == pending["token"]
    data = pending_uploads.read(pending["token"]) if same else None
    unit = scope.office_units().filter(pk=pending["unit"]).first() if pending else None
    if data is None or unit is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("economy_import")
    result = importer.import_file(
        data,
        unit,
        year=pending["year"],
        month=pending["month"],
        money_unit=pending["money_unit"],
        user=request.user,
        filename=pending["name"],
        reason=pending.get("reason", ""),
    )
    _drop_pending(request)
    if not result.ok:
        context.update(result=result, filename=pending["name"])
        return render(request, "economy/import.html", context, status=400)
    messages.success(
        request, _("Imported %(file)s: %(summary)s") % {"file": pending["name"], "summary": result.summary()}
    )
    for warning in result.warnings[: spreadsheet.PREVIEW_LIMIT]:
        messages.warning(request, warning)
    return redirect(f"{reverse('economy')}?unit={unit.pk}&period={result.year}-{result.month:02d}")
