"""A new campaign in a few steps: name, slogan and period; indicators; the units taking part;
targets typed in one grid or read from the office's 目标任务分解表; the task list and the scoring
scheme (the campaign's own pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessment.scheme import scheme_for
from campaigns.models import Indicator
from duban import spreadsheet
from setup import access, targets, task_sheet
from setup.campaign_forms import CampaignForm, IndicatorsForm, TargetFileForm, UnitsForm, new_indicator_code
from setup.models import CampaignPlan


@login_required
def campaign_list(request):
    units = access.office_units(request)
    form = CampaignForm(request.POST or None, units=units, initial={"owner": units.first()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = form.save()
            CampaignPlan.of(campaign)
        messages.success(
            request, _("The campaign “%(name)s” was made. Now choose its indicators.") % {"name": campaign.name}
        )
        return redirect("setup_campaign_indicators", campaign_id=campaign.pk)
    status = 400 if form.errors else 200
    return render(
        request, "setup/campaigns.html", {"campaigns": access.office_campaigns(request), "form": form}, status=status
    )


def _steps(campaign, current):
    return {"campaign": campaign, "step": current}


@login_required
def campaign_edit(request, campaign_id):
    campaign = access.office_campaign(request, campaign_id)
    form = CampaignForm(request.POST or None, instance=campaign, units=access.office_units(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("setup_campaign", campaign_id=campaign.pk)
    plan = CampaignPlan.of(campaign)
    context = _steps(campaign, "basics") | {
        "form": form,
        "indicators": plan.ordered_indicators(),
        "units": plan.ordered_units(),
        "target_count": campaign.targets.count(),
        "task_count": campaign.tasks.count(),
        "default_scheme": scheme_for(campaign)[2],
    }
    return render(request, "setup/campaign.html", context, status=400 if form.errors else 200)


@login_required
def campaign_indicators(request, campaign_id):
    campaign = access.office_campaign(request, campaign_id)
    plan = CampaignPlan.of(campaign)
    form = IndicatorsForm(request.POST or None, initial={"indicators": plan.indicators.all()})
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["indicators"])
        with transaction.atomic():
            if form.cleaned_data["new_name"]:
                chosen.append(
                    Indicator.objects.create(
                        code=new_indicator_code(form.cleaned_data["new_name"]),
                        name=form.cleaned_data["new_name"],
                        unit_of_measure=form.cleaned_data["new_unit"],
                        kind=form.cleaned_data["new_kind"],
                        sort_order=(
                            Indicator.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
                        )
                        + 1,
                    )
                )
            plan.indicators.set(chosen)
        messages.success(request, _("Saved."))
        if "add" in request.POST:
            return redirect("setup_campaign_indicators", campaign_id=campaign.pk)
        return redirect("setup_campaign_units", campaign_id=campaign.pk)
    return render(
        request,
        "setup/campaign_indicators.html",
        _steps(campaign, "indicators") | {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def campaign_units(request, campaign_id):
    campaign = access.office_campaign(request, campaign_id)
    plan = CampaignPlan.of(campaign)
    allowed = targets.allowed_units(campaign, access.office_units(request))
    form = UnitsForm(request.POST or None, units=allowed, initial={"units": plan.units.all()})
    if request.method == "POST" and form.is_valid():
        plan.units.set(form.cleaned_data["units"])
        messages.success(request, _("Saved."))
        return redirect("setup_campaign_targets", campaign_id=campaign.pk)
    return render(
        request,
        "setup/campaign_units.html",
        _steps(campaign, "units") | {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def campaign_targets(request, campaign_id):
    """The grid: GET shows the stored targets; POST `save` stores the grid as typed (all or
    nothing); POST with a file reads the 目标任务分解表 into the grid, to be checked and saved."""
    campaign = access.office_campaign(request, campaign_id)
    plan = CampaignPlan.of(campaign)
    allowed = list(targets.allowed_units(campaign, access.office_units(request)))
    indicators = plan.ordered_indicators()
    file_form = TargetFileForm()
    status = 200
    grid = targets.Grid(
        values={(t.unit_id, t.indicator_id): t.amount for t in campaign.targets.all()},
        units=plan.ordered_units(),
    )
    if request.method == "POST" and "file" in request.FILES:
        file_form = TargetFileForm(request.POST, request.FILES)
        try:
            data = spreadsheet.read_source(request.FILES["file"])
            spreadsheet.check_excel(data)
        except spreadsheet.ExcelError as err:
            read = targets.Grid(errors=[err.message])
        else:
            read = targets.read_workbook(data, allowed, indicators)
        if read.errors:
            grid.errors = read.errors
            status = 400
        else:
            units = grid.units + [u for u in read.units if u not in grid.units]
            grid = targets.Grid(values={**grid.values, **read.values}, units=sorted(units, key=lambda u: u.path))
            grid.notes, grid.understood = read.notes, read.understood
            messages.info(
                request,
                _("Read from the file: %(units)s units. Nothing is saved yet: check the grid and save it.")
                % {"units": len(read.units)},
            )
    elif request.method == "POST":
        posted = targets.check_posted(request.POST, allowed, indicators)
        if posted.errors:
            grid = targets.Grid(values={}, units=posted.units or grid.units, errors=posted.errors)
            grid.typed = request.POST
            status = 400
        else:
            created, updated, removed = targets.save(campaign, plan, posted, indicators)
            messages.success(
                request,
                _("Targets saved: %(created)s new, %(updated)s changed, %(removed)s removed.")
                % {"created": created, "updated": updated, "removed": removed},
            )
            return redirect("setup_campaign_targets", campaign_id=campaign.pk)
    typed = getattr(grid, "typed", None)
    rows = [
        {
            "unit": unit,
            "cells": [
                {
                    "name": targets.cell_name(unit.pk, ind.pk),
                    "value": typed.get(targets.cell_name(unit.pk, ind.pk), "")
                    if typed is not None
                    else _plain(grid.values.get((unit.pk, ind.pk))),
                }
                for ind in indicators
            ],
        }
        for unit in grid.units
    ]
    context = _steps(campaign, "targets") | {
        "indicators": indicators,
        "rows": rows,
        "grid": grid,
        "file_form": file_form,
    }
    return render(request, "setup/campaign_targets.html", context, status=status)


def _plain(amount):
    """A stored amount as the grid's input shows it: 1200, 12.5 (no trailing zeros)."""
    if amount is None:
        return ""
    text = format(amount.normalize(), "f")
    return text


def _next_sort_order():
    last = Indicator.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
    return (last or 0) + 1


BLANK_TASK_ROWS = 5


@login_required
def campaign_tasks(request, campaign_id):
    """The task list typed as rows or read from a sheet (to be checked, then saved)."""
    campaign = access.office_campaign(request, campaign_id)
    units = list(targets.allowed_units(campaign, access.office_units(request)))
    lines, errors, status, understood = [], [], 200, []
    if request.method == "POST" and "file" in request.FILES:
        try:
            data = spreadsheet.read_source(request.FILES["file"])
            spreadsheet.check_excel(data)
        except spreadsheet.ExcelError as err:
            errors = [err.message]
        else:
            read = task_sheet.read_workbook(data)
            errors, understood = read.errors, read.understood
            if not errors:
                _made, errors = task_sheet.check(campaign, read.lines, units)
                lines = read.lines
                if not errors:
                    messages.info(
                        request,
                        _("Read from the file: %(n)s items. Nothing is saved yet: check them and save.")
                        % {"n": len(lines)},
                    )
        status = 400 if errors else 200
    elif request.method == "POST":
        lines = task_sheet.posted_lines(request.POST)
        made, errors = task_sheet.check(campaign, lines, units)
        if not lines:
            errors = [_("Nothing to save: the rows are blank.")]
        if errors:
            status = 400
        else:
            added, there = task_sheet.save(campaign, made)
            messages.success(
                request,
                _("Task list saved: %(added)s added, %(there)s already on it.") % {"added": added, "there": there},
            )
            return redirect("setup_campaign_tasks", campaign_id=campaign.pk)
    by_name = {u.name: u for u in units}
    rows = []
    shown = [] if errors and "file" in request.FILES else lines  # a refused file fills in nothing
    for line in shown:
        unit = by_name.get(line.unit_text) or next((u for u in units if str(u.pk) == line.unit_text), None)
        rows.append({"title": line.title, "unit_id": unit.pk if unit else "", "deadline": line.deadline_text})
    rows += [{"title": "", "unit_id": "", "deadline": ""}] * (BLANK_TASK_ROWS if not rows else 0)
    context = _steps(campaign, "tasks") | {
        "understood": understood,
        "rows": rows,
        "units": units,
        "errors": errors,
        "tasks": campaign.tasks.select_related("unit").order_by("deadline", "pk"),
        "file_form": TargetFileForm(),
    }
    return render(request, "setup/campaign_tasks.html", context, status=status)
