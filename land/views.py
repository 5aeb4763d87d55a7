"""Land pages: the batch list with its charts, a batch, the parcels' readiness board, and the
office's forms. The office and the leaders of a zone read them; the office edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import pending_uploads, spreadsheet
from duban.table_export import COUNT, DATE, NUMBER, Column, Table, wants_xlsx, xlsx_response
from land import batch_sheet, figures
from land.access import get_land, require_oversight
from land.forms import BatchForm, ParcelForm
from land.models import READINESS, BatchStatus, LandBatch, Parcel
from org.models import OrgUnit
from org.scoping import scope_for


def _batches(scope):
    return (
        LandBatch.objects.visible_to(scope)
        .filter(scope.oversight_q("unit__path"))
        .select_related("unit")
        .order_by(F("approved_on").asc(nulls_last=True), F("submitted_on").asc(nulls_last=True), "name")
    )


def _parcels(scope):
    return (
        Parcel.objects.visible_to(scope)
        .filter(scope.oversight_q("unit__path"))
        .select_related("unit", "project", "batch")
        .order_by("phase", "code")
    )


def _status_chart(totals):
    statuses = list(BatchStatus)
    return {
        "categories": [str(s.label) for s in statuses],
        "area": [float(totals.by_status[s][1]) for s in statuses],
        "count": [totals.by_status[s][0] for s in statuses],
        "labels": {"area": _("mu"), "count": _("batches")},
    }


def _timeline_chart(batches):
    steps = [
        ("packaged_on", _("Packaged (组卷)")),
        ("submitted_on", _("Submitted (上报)")),
        ("approved_on", _("Approved (获批)")),
    ]
    return {
        "batches": [b.name for b in batches],
        "series": [
            {
                "name": label,
                "data": [[getattr(b, name).isoformat(), b.name] for b in batches if getattr(b, name)],
            }
            for name, label in steps
        ],
    }


@login_required
def batch_list(request):
    require_oversight(request)
    scope = scope_for(request)
    batches = list(_batches(scope))
    totals = figures.batch_totals(batches)
    villages = figures.batch_villages(batches)
    names = dict(OrgUnit.objects.filter(pk__in={v for vs in villages.values() for v in vs}).values_list("pk", "name"))
    rows = [(b, [names[v] for v in sorted(villages[b.pk], key=names.get)]) for b in batches]
    if wants_xlsx(request):
        table = Table(
            title=_("Land approval batches"),
            columns=[
                Column(_("Batch")),
                Column(_("Unit")),
                Column(_("Area"), "亩", NUMBER),
                Column(_("Farmland"), "亩", NUMBER),
                Column(_("Construction land"), "亩", NUMBER),
                Column(_("Villages"), width=30),
                Column(_("Packaged (组卷)"), kind=DATE),
                Column(_("Submitted (上报)"), kind=DATE),
                Column(_("Approved (获批)"), kind=DATE),
                Column(_("Status")),
            ],
            rows=[
                [
                    b.name,
                    b.unit.name,
                    b.area,
                    b.farmland_area,
                    b.construction_area,
                    "、".join(vs),
                    b.packaged_on,
                    b.submitted_on,
                    b.approved_on,
                    str(b.status_label),
                ]
                for b, vs in rows
            ],
            totals=[_("Total"), "", totals.area, None, None, "", None, None, None, ""],
            as_of=timezone.localdate(),
        )
        return xlsx_response(table, _("Land approval batches"))
    approved = totals.by_status[BatchStatus.APPROVED]
    return render(
        request,
        "land/batches.html",
        {
            "rows": rows,
            "totals": totals,
            "approved_count": approved[0],
            "approved_area": approved[1],
            "status_chart": _status_chart(totals),
            "timeline_chart": _timeline_chart(batches),
            "may_edit": scope.is_office,
        },
    )


@login_required
def batch_detail(request, batch_id):
    batch = get_land(request, LandBatch, batch_id)
    scope = scope_for(request)
    villages = list(batch.villages.order_by("path"))
    by_village = figures.relocation_by_village([v.pk for v in villages])
    land = figures.land_by_village([v.pk for v in villages])
    village_rows = [(v, land.get(v.pk) or figures.ZERO, by_village.get(v.pk, figures.Relocation())) for v in villages]
    relocation = figures.relocation([v.pk for v in villages], by_village)
    parcels = figures.parcel_states(batch.parcels.select_related("project").order_by("code"))
    return render(
        request,
        "land/batch.html",
        {
            "batch": batch,
            "village_rows": village_rows,
            "village_land": sum((r[1] for r in village_rows), figures.ZERO),
            "relocation": relocation,
            "projects": list(batch.projects.order_by("name")),
            "parcels": parcels,
            "parcel_area": sum((s.parcel.area for s in parcels), figures.ZERO),
            "may_edit": scope.office_for(batch.unit),
        },
    )


def _edit(request, form_class, instance, template, done):
    scope = scope_for(request)
    if instance is None and not scope.is_office:
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, scope=scope)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                obj = form.save()
            messages.success(request, _("Saved."))
            return redirect(*done(obj))
        messages.error(request, _("Nothing was saved: see the fields marked below."))
    return render(request, template, {"form": form, "obj": instance}, status=400 if form.errors else 200)


@login_required
def batch_new(request):
    return _edit(request, BatchForm, None, "land/batch_form.html", lambda b: ("land_batch", b.pk))


@login_required
def batch_edit(request, batch_id):
    batch = get_land(request, LandBatch, batch_id, edit=True)
    return _edit(request, BatchForm, batch, "land/batch_form.html", lambda b: ("land_batch", b.pk))


@login_required
def parcel_new(request):
    return _edit(request, ParcelForm, None, "land/parcel_form.html", lambda p: ("land_parcels",))


@login_required
def parcel_edit(request, parcel_id):
    parcel = get_land(request, Parcel, parcel_id, edit=True)
    return _edit(request, ParcelForm, parcel, "land/parcel_form.html", lambda p: ("land_parcels",))


@login_required
def parcel_board(request):
    """The parcels' readiness board: which are 拿地即可开工, phase by phase."""
    require_oversight(request)
    scope = scope_for(request)
    parcels = _parcels(scope)
    phase = request.GET.get("phase")
    phases_all = sorted(set(parcels.values_list("phase", flat=True)))
    if phase in phases_all:
        parcels = parcels.filter(phase=phase)
    states = figures.parcel_states(parcels)
    phases = figures.phase_figures(states)
    if wants_xlsx(request):
        table = Table(
            title=_("Land supply and site readiness"),
            columns=[
                Column(_("Parcel number")),
                Column(_("Parcel name")),
                Column(_("Phase")),
                Column(_("Area"), "亩", NUMBER),
                Column(_("Project supplied"), width=24),
                Column(_("Supplied on (供地)"), kind=DATE),
                Column(_("Way of supply")),
                Column(_("Households relocated"), "户", COUNT),
                Column(_("Households"), "户", COUNT),
                *[Column(str(label), kind=DATE) for _name, label in READINESS],
                Column(_("Ready to build")),
            ],
            rows=[
                [
                    s.parcel.code,
                    s.parcel.name,
                    s.parcel.phase,
                    s.parcel.area,
                    s.parcel.project.name if s.parcel.project_id else "",
                    s.parcel.supplied_on,
                    s.parcel.get_way_display(),
                    s.relocation.delivered,
                    s.relocation.households,
                    *[day for _label, day in s.parcel.readiness()],
                    _("Yes") if s.ready else _("No"),
                ]
                for s in states
            ],
            totals=[_("Total"), "", "", sum((s.parcel.area for s in states), figures.ZERO)]
            + [None] * (5 + len(READINESS) + 1),
            as_of=timezone.localdate(),
        )
        return xlsx_response(table, _("Land supply and site readiness"))
    phase_list = list(phases.values())
    chart = {
        "categories": [f.phase or _("No phase") for f in phase_list],
        "series": [
            {"name": _("Ready to build (mu)"), "key": "ready", "data": [float(f.ready_area) for f in phase_list]},
            {
                "name": _("Not yet ready (mu)"),
                "key": "waiting",
                "data": [float(f.area - f.ready_area) for f in phase_list],
            },
        ],
    }
    return render(
        request,
        "land/parcels.html",
        {
            "states": states,
            "phases": phase_list,
            "phases_all": phases_all,
            "phase": phase if phase in phases_all else "",
            "readiness": [label for _name, label in READINESS],
            "chart": chart,
            "may_edit": scope.is_office,
            "item_count": figures.ITEM_COUNT,
            "ready_count": sum(1 for s in states if s.ready),
            "ready_area": sum((s.parcel.area for s in states if s.ready), figures.ZERO),
            "total_area": sum((s.parcel.area for s in states), figures.ZERO),
        },
    )


IMPORT_SESSION = "land_batch_import"


@login_required
def batch_import(request):
    """The office's batch list from Excel: a dry run shows what was read and every refused row;
    confirming imports the same file, all rows or none."""
    scope = scope_for(request)
    if not scope.is_office:
        raise PermissionDenied
    units = list(scope.office_units().exclude(kind__in=(OrgUnit.Kind.VILLAGE, OrgUnit.Kind.VILLAGE_GROUP)))
    context = {"units": units, "outcome": None, "token": None}
    status = 200
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        token = request.POST.get("token")
        if unit is None:
            context["errors"] = [_("This unit is not in your office's zone.")]
            status = 400
        elif token:
            pending = request.session.get(IMPORT_SESSION) or {}
            data = pending_uploads.read(token) if token == pending.get("token") else None
            if data is None or pending.get("unit") != unit.pk:
                context["errors"] = [_("The checked file is gone: upload it again.")]
                status = 400
            else:
                outcome = batch_sheet.check_and_save(batch_sheet.read(data), unit, scope, commit=True)
                if not outcome.errors:
                    pending_uploads.drop(token)
                    request.session.pop(IMPORT_SESSION, None)
                    messages.success(request, _("Imported %(n)s batches.") % {"n": outcome.saved})
                    return redirect("land_batches")
                context["outcome"], status = outcome, 400
        elif "file" in request.FILES:
            try:
                data = spreadsheet.read_source(request.FILES["file"])
                spreadsheet.check_excel(data)
            except spreadsheet.ExcelError as err:
                context["errors"] = [err.message]
                status = 400
            else:
                outcome = batch_sheet.check_and_save(batch_sheet.read(data), unit, scope, commit=False)
                context["outcome"] = outcome
                if outcome.errors:
                    status = 400
                else:
                    context["token"] = pending_uploads.keep(data)
                    request.session[IMPORT_SESSION] = {"token": context["token"], "unit": unit.pk}
        else:
            context["errors"] = [_("Choose an Excel file.")]
            status = 400
        context["unit"] = unit
    return render(request, "land/import.html", context, status=status)
