"""The pages of the people lent to the front. Every page hangs on a zone: its office and leaders
read it (anyone else: 404), its office keeps it (a leader gets 403 on a form)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import exports, importing, results, roster
from cadres.forms import AssignmentForm, CadreForm, CommendationForm, NominationForm, PairingForm, RuleForm
from cadres.models import Assignment, Cadre, Commendation, Disqualification, EligibilityRule, Nomination, Pairing
from duban import pending_uploads, spreadsheet
from duban.personal import mask_phone
from duban.table_export import wants_xlsx, xlsx_response
from org.models import OrgUnit
from org.scoping import scope_for

TOKEN_KEY = "cadres_import"


def zone_for(request, zone_id, act=False):
    """The zone of the URL: 404 unless the user oversees it, 403 on a form for a leader."""
    scope = scope_for(request)
    zone = OrgUnit.objects.filter(pk=zone_id, kind=OrgUnit.Kind.ZONE).first()
    if zone is None or not scope.oversees(zone):
        raise Http404
    if act and not scope.office_for(zone):
        raise PermissionDenied
    return zone


def context(request, zone, here, **extra):
    return {"zone": zone, "here": here, "may_act": scope_for(request).office_for(zone), **extra}


def parse_date(text, default=None):
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return None


@login_required
def index(request):
    scope = scope_for(request)
    zones = [
        u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE).order_by("sort_order", "pk") if scope.oversees(u)
    ]
    if not zones:
        raise PermissionDenied
    return redirect("cadres_roster", zones[0].pk)


@login_required
def roster_view(request, zone_id):
    zone = zone_for(request, zone_id)
    rows = Assignment.objects.filter(zone=zone).select_related("cadre", "department", "unit")
    filters = {k: request.GET.get(k, "") for k in ("department", "unit", "post", "role", "day")}
    error = None
    if filters["department"].isdigit():
        rows = rows.filter(department_id=filters["department"])
    if filters["unit"].isdigit():
        unit = OrgUnit.objects.filter(pk=filters["unit"]).first()
        rows = rows.filter(unit__path__startswith=unit.path) if unit and roster.in_zone(zone, unit) else rows.none()
    if filters["post"]:
        rows = rows.filter(cadre__post__contains=filters["post"])
    if filters["role"]:
        rows = rows.filter(role=filters["role"])
    if filters["day"]:
        day = parse_date(filters["day"])
        if day is None:
            error = _("The date must be written as YYYY-MM-DD, e.g. 2020-10-23.")
            rows = rows.none()
        else:
            rows = rows.filter(roster.active_q(day))
    rows = list(rows.order_by("department__sort_order", "department__name", "cadre__name", "start"))
    if wants_xlsx(request):
        return xlsx_response(exports.roster_table(zone, rows), f"{zone.name}-抽调干部花名册")
    units = OrgUnit.objects.filter(zone.within_q())
    return render(
        request,
        "cadres/roster.html",
        context(
            request,
            zone,
            "roster",
            rows=rows,
            filters=filters,
            error=error,
            departments=units.filter(kind__in=("department", "town")).order_by("kind", "sort_order", "name"),
            units=units.filter(kind__in=("command_post", "working_group", "task_force")).order_by("path"),
            roles=Assignment.Role.choices,
            cadres_count=len({a.cadre_id for a in rows}),
        ),
        status=400 if error else 200,
    )


@login_required
def counts_view(request, zone_id):
    zone = zone_for(request, zone_id)
    day = parse_date(request.GET.get("day"), timezone.localdate())
    if day is None:
        return render(
            request,
            "cadres/error.html",
            context(request, zone, "counts", message=_("The date must be written as YYYY-MM-DD, e.g. 2020-10-23.")),
            status=400,
        )
    data = roster.summary(zone, day)
    if wants_xlsx(request):
        return xlsx_response(exports.counts_table(zone, data), f"{zone.name}-抽调干部统计")
    charts = {
        "departments": {
            "categories": [r["unit"] for r in data["by_department"]],
            "series": [{"name": _("Cadres lent"), "data": [r["cadres"] for r in data["by_department"]], "places": 0}],
        },
        "posts": {
            "categories": [r["unit"] for r in data["by_command_post"]],
            "series": [
                {"name": _("Cadres serving"), "data": [r["cadres"] for r in data["by_command_post"]], "places": 0}
            ],
        },
    }
    return render(
        request,
        "cadres/counts.html",
        context(
            request,
            zone,
            "counts",
            data=data,
            day=day,
            charts=charts,
            chart_height=max(200, 60 + 22 * len(data["by_department"])),
        ),
    )


def _form_page(request, zone, here, form_class, template, extra=None, save=None):
    """GET: the form; POST (office only): save it, or show it again with the message (400)."""
    if request.method == "POST":
        zone_for(request, zone.pk, act=True)
        form = form_class(request.POST, zone=zone)
        if form.is_valid():
            with transaction.atomic():
                saved = save(form)
            messages.success(request, _("Saved."))
            return saved
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        status = 400
    else:
        form = form_class(zone=zone)
        status = 200
    return render(request, template, context(request, zone, here, form=form, **(extra or {})), status=status)


@login_required
def cadre_new(request, zone_id):
    zone = zone_for(request, zone_id, act=True)

    def save(form):
        cadre = form.save(commit=False)
        cadre.zone = zone
        cadre.save()
        return redirect("cadres_person", cadre.pk)

    return _form_page(request, zone, "roster", CadreForm, "cadres/form.html", {"title": _("Add a cadre")}, save)


@login_required
def assignment_new(request, zone_id):
    zone = zone_for(request, zone_id, act=True)

    def save(form):
        assignment = form.save(commit=False)
        assignment.zone = zone
        assignment.department = form.cleaned_data["department"]
        assignment.created_by = request.user
        roster.save_assignment(assignment)
        return redirect("cadres_person", assignment.cadre_id)

    return _form_page(request, zone, "roster", AssignmentForm, "cadres/form.html", {"title": _("Lend a cadre")}, save)


@login_required
def pairings_view(request, zone_id):
    zone = zone_for(request, zone_id)

    def save(form):
        pairing = form.save(commit=False)
        pairing.zone = zone
        pairing.save()
        return redirect("cadres_pairings", zone.pk)

    pairings = Pairing.objects.filter(zone=zone).select_related("first", "second")
    return _form_page(request, zone, "pairings", PairingForm, "cadres/pairings.html", {"pairings": pairings}, save)


@login_required
def eligibility_view(request, zone_id):
    zone = zone_for(request, zone_id)

    def save(form):
        rule = EligibilityRule.objects.filter(
            campaign=form.cleaned_data["campaign"], year=form.cleaned_data["year"], kind=form.cleaned_data["kind"]
        ).first() or EligibilityRule(zone=zone, created_by=request.user)
        for key in ("campaign", "year", "kind", "bottom_n", "streak"):
            setattr(rule, key, form.cleaned_data[key])
        rule.save()
        results.apply_rule(rule)
        return redirect("cadres_eligibility", zone.pk)

    rules = EligibilityRule.objects.filter(zone=zone).select_related("campaign").prefetch_related("marks__unit")
    initial_year = timezone.localdate().year
    response = _form_page(
        request, zone, "eligibility", RuleForm, "cadres/eligibility.html", {"rules": rules, "year": initial_year}, save
    )
    return response


@login_required
def commendations_view(request, zone_id):
    zone = zone_for(request, zone_id)

    def save(form):
        item = form.save(commit=False)
        item.zone = zone
        item.created_by = request.user
        item.save()
        return redirect("cadres_commendations", zone.pk)

    items = Commendation.objects.filter(zone=zone).select_related("cadre", "unit")
    if wants_xlsx(request):
        return xlsx_response(exports.commendations_table(zone, items), f"{zone.name}-表彰")
    return _form_page(
        request, zone, "commendations", CommendationForm, "cadres/commendations.html", {"items": items}, save
    )


@login_required
def reserve_view(request, zone_id):
    zone = zone_for(request, zone_id)

    def save(form):
        cadre = form.cleaned_data["cadre"]
        day = form.cleaned_data["day"]
        Nomination.objects.create(
            zone=zone,
            cadre=cadre,
            day=day,
            reason=form.cleaned_data["reason"],
            results=results.frozen_results(cadre, day),
            created_by=request.user,
        )
        return redirect("cadres_reserve", zone.pk)

    items = Nomination.objects.filter(zone=zone).select_related("cadre", "cadre__department")
    if wants_xlsx(request):
        return xlsx_response(exports.reserve_table(zone, items), f"{zone.name}-后备干部库")
    return _form_page(request, zone, "reserve", NominationForm, "cadres/reserve.html", {"items": items}, save)


@login_required
def person_view(request, cadre_id):
    cadre = get_object_or_404(Cadre.objects.select_related("zone", "department"), pk=cadre_id)
    zone = zone_for(request, cadre.zone_id)
    served = results.served_results(cadre)
    disqualified = {d.unit_id for d in Disqualification.objects.filter(zone=zone)}
    return render(
        request,
        "cadres/person.html",
        context(
            request,
            zone,
            "roster",
            cadre=cadre,
            phone=mask_phone(cadre.phone) if cadre.phone else "",
            served=served,
            disqualified=disqualified,
            commendations=cadre.commendations.all(),
            nominations=cadre.nominations.all(),
        ),
    )


@login_required
def import_view(request, zone_id):
    zone = zone_for(request, zone_id, act=True)
    if request.method != "POST":
        return render(request, "cadres/import.html", context(request, zone, "import"))
    token = request.POST.get("token", "")
    if token:
        data = pending_uploads.read(token) if token == request.session.get(TOKEN_KEY) else None
        if data is None:
            return render(
                request,
                "cadres/import.html",
                context(request, zone, "import", errors=[_("The checked file is no longer waiting: upload it again.")]),
                status=400,
            )
        reading = importing.read(data, zone)
        if reading.errors:
            return render(
                request, "cadres/import.html", context(request, zone, "import", errors=reading.errors), status=400
            )
        made = importing.save(reading, zone, request.user)
        pending_uploads.drop(token)
        request.session.pop(TOKEN_KEY, None)
        messages.success(request, _("%(n)d assignments imported.") % {"n": made})
        return redirect("cadres_roster", zone.pk)
    upload = request.FILES.get("file")
    if upload is None:
        return render(
            request,
            "cadres/import.html",
            context(request, zone, "import", errors=[_("Choose the roster's Excel file.")]),
            status=400,
        )
    try:
        data = spreadsheet.read_source(upload)
    except spreadsheet.ExcelError as err:
        return render(request, "cadres/import.html", context(request, zone, "import", errors=[err.message]), status=400)
    reading = importing.read(data, zone)
    if reading.errors:
        return render(
            request,
            "cadres/import.html",
            context(request, zone, "import", errors=reading.errors, understood=reading.understood),
            status=400,
        )
    token = pending_uploads.keep(data)
    request.session[TOKEN_KEY] = token
    return render(
        request,
        "cadres/import.html",
        context(
            request,
            zone,
            "import",
            reading=reading,
            understood=reading.understood,
            token=token,
            new_cadres=len({(r.name, r.department.pk, r.post) for r in reading.rows}),
        ),
    )


def roster_url(zone):
    return reverse("cadres_roster", args=[zone.pk])
