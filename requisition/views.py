"""Requisition pages: tallies with drill-down, the household file, and the field page."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban import personal
from duban.numbers import to_decimal
from duban.params import int_param, page_param
from duban.table_export import wants_xlsx, xlsx_response
from org.models import OrgUnit
from org.scoping import get_unit, scope_for
from requisition import ids, reveals, search, stages
from requisition.exports import tallies_export
from requisition.models import STAGE_DATE, STAGES, Household, Stage
from requisition.tallies import tally_level, tally_unit

PAGE_SIZE = 50


def _on(request):
    try:
        return date.fromisoformat(request.GET.get("on") or "")
    except ValueError:
        return timezone.localdate()


def get_household(request, household_id, edit=False):
    """Fetch a household and authorize it through its village (404 out of reach, 403 read-only)."""
    try:
        household = Household.objects.select_related("village").get(pk=int(household_id))
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_unit(request, household.village_id, edit=edit)
    return household


@login_required
def requisition_home(request):
    """The top units the user may read that hold households, each with today's tally: straight
    to the only one."""
    scope = scope_for(request)
    tops = [u for u in scope.top_units() if Household.objects.filter(u.within_q("village__path")).exists()]
    if len(tops) == 1:
        return redirect("requisition_unit", unit_id=tops[0].pk)
    today = timezone.localdate()
    return render(request, "requisition/home.html", {"tallies": [tally_unit(u, today) for u in tops], "today": today})


@login_required
def unit_tallies(request, unit_id):
    unit = get_unit(request, unit_id)
    on = _on(request)
    scope = scope_for(request)
    context = {"unit": unit, "on": on, "stages": STAGES, "total": tally_unit(unit, on)}
    export = wants_xlsx(request)
    if export and unit.kind == OrgUnit.Kind.VILLAGE:
        return xlsx_response(tallies_export(unit, None, context["total"], on), f"{unit.name}-{on}")
    if unit.kind == OrgUnit.Kind.VILLAGE:
        households = unit.households.all()
        q = (request.GET.get("q") or "").strip()
        if q:
            if refused := search.refused_page(request):
                return refused
            households = search.find_logged(request, households, q)
        if request.GET.get("stage") in Stage.values:
            households = households.filter(stage=request.GET["stage"])
        page = Paginator(households, PAGE_SIZE).get_page(page_param(request.GET))
        context.update(
            page=page,
            rows=[(h, personal.mask_id(h.id_number), personal.mask_phone(h.phone)) for h in page],
            q=q,
            can_edit=scope.owns(unit),
        )
    else:
        rows = sorted(tally_level(unit, unit.depth + 1, on).values(), key=lambda t: (t.unit.sort_order, t.unit.path))
        rows = [t for t in rows if t.households or t.graves or t.enterprises]
        if export:
            return xlsx_response(tallies_export(unit, rows, context["total"], on), f"{unit.name}-{on}")
        context.update(
            rows=rows,
            chart={
                "categories": [t.unit.label for t in rows],
                "series": [{"name": s.label, "data": [t.at_stage(s) for t in rows]} for s in [Stage.NONE, *STAGES]],
            },
        )
    ancestors = OrgUnit.objects.filter(pk__in=unit.ancestor_ids()).exclude(pk=unit.pk)
    context["breadcrumbs"] = [u for u in ancestors if scope.can_read(u)]
    context["may_reveal"] = ids.may_see_personal_data(scope, unit)
    return render(request, "requisition/unit.html", context)


@login_required
def household_file(request, household_id):
    household = get_household(request, household_id)
    scope = scope_for(request)
    revealed = {}
    if request.method == "POST":
        if not ids.may_see_personal_data(scope, household.village):
            raise PermissionDenied
        field = request.POST.get("field")
        if field not in (reveals.ID_NUMBER, reveals.PHONE):
            raise Http404
        reveals.log_one(request, household, field)
        # a phone as the roster typed it (the stored form is for searches)
        revealed[field] = household.phone_shown if field == reveals.PHONE else getattr(household, field)
    return render(
        request,
        "requisition/household.html",
        {
            "h": household,
            "id_masked": revealed.get("id_number") or personal.mask_id(household.id_number),
            "phone_masked": revealed.get("phone") or personal.mask_phone(household.phone),
            "revealed": revealed,
            "may_reveal": ids.may_see_personal_data(scope, household.village),
            "can_edit": scope.owns(household.village),
            "steps": [(s, household.stage_date(s)) for s in STAGES],
            "next": stages.next_stage(household.stage),
            "earlier": [
                s for s in [Stage.NONE, *STAGES] if stages.ORDER.index(s) < stages.ORDER.index(Stage(household.stage))
            ],
            "events": household.events.select_related("recorded_by"),
            "today": timezone.localdate(),
        },
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _posted_step(data):
    """The step's date and figures as posted, each refused naming its field."""
    try:
        on = date.fromisoformat(data.get("on") or "")
    except ValueError:
        raise stages.StageError(_("Enter the date of the step (日期), e.g. 2026-12-03.")) from None
    figures = []
    for key in ("measured_area", "assessed_price"):
        label = Household._meta.get_field(key).verbose_name
        text = (data.get(key) or "").strip()
        try:
            figures.append(to_decimal(text) if text else None)
        except ValueError:
            raise stages.StageError(
                _("%(field)s: “%(value)s” is not a number.") % {"field": label, "value": text[:20]}
            ) from None
    return on, *figures


@login_required
@require_POST
def record_step(request, household_id):
    """Record the next step (from the household file or the field page). Sending the same step
    again — a resend after a dropped connection — is answered as done, not recorded twice."""
    household = get_household(request, household_id, edit=True)
    to_stage = request.POST.get("to_stage", "")
    try:
        on, area, price = _posted_step(request.POST)
        if to_stage not in Stage.values:
            raise stages.StageError(_("Unknown step."))
        already = household.stage == to_stage and household.stage_date(to_stage) == on
        if not already:
            household = stages.advance(
                household,
                to_stage,
                on,
                request.user,
                note=request.POST.get("note", ""),
                measured_area=area,
                assessed_price=price,
            )
    except stages.StageError as err:
        message, ok = err.message, False
    else:
        message = _("%(name)s: %(stage)s recorded.") % {"name": household.head_name, "stage": Stage(to_stage).label}
        ok = True
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, "stage": household.stage}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("requisition_household", household_id=household.pk)


@login_required
@require_POST
def step_back(request, household_id):
    household = get_household(request, household_id, edit=True)
    try:
        stages.step_back(
            household,
            request.POST.get("to_stage", ""),
            request.user,
            request.POST.get("reason"),
            seen_stage=request.POST.get("from_stage"),
        )
    except (stages.StageError, ValueError) as err:
        messages.error(request, getattr(err, "message", _("Unknown step.")))
    else:
        messages.success(request, _("The household was moved back; the reason is kept in its history."))
    return redirect("requisition_household", household_id=household.pk)


@login_required
def field_page(request):
    """The field worker's phone page: pick a village, find a household, record today's step;
    the day's summary and tomorrow's list."""
    scope = scope_for(request)
    villages = list(scope.own_units().filter(kind=OrgUnit.Kind.VILLAGE).order_by("path"))
    wanted = int_param(request.GET, "village")
    village = next((v for v in villages if v.pk == wanted), villages[0] if villages else None)
    today = timezone.localdate()
    context = {"villages": villages, "village": village, "today": today, "q": (request.GET.get("q") or "").strip()}
    if village:
        households = village.households.all()
        if context["q"]:
            if refused := search.refused_page(request):
                return refused
            households = search.find_logged(request, households, context["q"])
            context["found"] = [(h, stages.next_stage(h.stage)) for h in households[:20]]
        done_today = village.households.aggregate(
            **{s.value: Count("pk", filter=Q(**{STAGE_DATE[s]: today})) for s in STAGES}
        )
        context["summary"] = [(s, done_today[s.value]) for s in STAGES if done_today[s.value]]
        context["to_measure"] = village.households.filter(stage=Stage.VISITED).order_by("number")[:30]
        context["to_assess"] = village.households.filter(stage=Stage.MEASURED).order_by("number")[:30]
        context["tomorrow"] = today + timedelta(days=1)
    return render(request, "requisition/field.html", context)
