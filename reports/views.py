from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban import confirm, periods
from duban.table_export import wants_xlsx, xlsx_response
from org.scoping import get_unit, require_office, scope_for
from reports import entry, plausibility
from reports.exports import submissions_export
from reports.models import WeekLock, WeeklyReport


def _week_or_404(label):
    try:
        return periods.parse_week(label)
    except ValueError:
        raise Http404 from None


@login_required
def my_reports(request):
    """The user's own units with this week's report status."""
    week = periods.current_week()
    scope = scope_for(request)
    # Only units due to report this week: a campaign that is over asks for no report.
    units = list(entry.expected_units(week, within=scope.own_units()).order_by("sort_order", "path"))
    reports = {r.unit_id: r for r in WeeklyReport.objects.filter(unit__in=units, week_end=week.end)}
    rows = [(u, reports.get(u.pk)) for u in units]
    if len(rows) == 1 and not scope.is_office:
        return redirect("report", unit_id=rows[0][0].pk, week=week.label)
    context = {"week": week, "rows": rows, "has_units": bool(scope.edit_paths)}
    return render(request, "reports/my_reports.html", context)


@login_required
def report(request, unit_id, week):
    unit = get_unit(request, unit_id)
    week = _week_or_404(week)
    scope = scope_for(request)
    can_edit = scope.owns(unit)
    existing = WeeklyReport.objects.filter(unit=unit, week_end=week.end).first()
    form_errors, posted = {}, None

    if request.method == "POST":
        if not can_edit:
            get_unit(request, unit_id, edit=True)  # raises 403
        posted = request.POST
        submit = "submit" in request.POST
        try:
            saved, warnings = entry.save_report(unit, week, request.user, request.POST, submit=submit)
        except entry.ReportError as err:
            messages.error(request, err.message)
            form_errors = err.field_errors
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Report submitted.") if submit else _("Draft saved."))
            return redirect("report", unit_id=unit.pk, week=week.label)

    lines = entry.report_lines(unit, week, existing)
    for line in lines:
        line.error = form_errors.get(line.field_name)
        line.posted = posted.get(line.field_name) if posted is not None else None
    locked = WeekLock.covering(unit, week.end).exists()
    editable = can_edit and bool(lines) and not locked and (existing is None or not existing.is_submitted)
    return render(
        request,
        "reports/report.html",
        {
            "unit": unit,
            "week": week,
            "report": existing,
            "lines": lines,
            "locked": locked,
            "editable": editable,
            "can_confirm": can_edit and not locked,
            "can_return": scope.office_for(unit) and existing is not None and existing.is_submitted and not locked,
            "posted": posted,
            "form_errors": form_errors,
            "prev_week": week.prev(),
            "next_week": week.next(),
            "current_week": periods.current_week(),
        },
    )


@login_required
@require_POST
def return_report(request, unit_id, week):
    unit = get_unit(request, unit_id)
    require_office(request, unit)
    week = _week_or_404(week)
    report = WeeklyReport.objects.filter(unit=unit, week_end=week.end).first()
    if report is None:
        raise Http404
    try:
        entry.return_report(report, request.user, request.POST.get("reason"))
    except entry.ReportError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("The report was returned to %(unit)s.") % {"unit": unit.name})
    return redirect("report", unit_id=unit.pk, week=week.label)


@login_required
@require_POST
def confirm_held(request, unit_id, week):
    """The reporter confirms a held-back figure with the reason it is right; then it counts."""
    unit = get_unit(request, unit_id, edit=True)
    week = _week_or_404(week)
    report = WeeklyReport.objects.filter(unit=unit, week_end=week.end).first()
    if report is None:
        raise Http404
    try:
        held = entry.confirm_held(report, request.POST.get("indicator"), request.user, request.POST.get("reason"))
    except entry.ReportError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(name)s is confirmed and now counts.") % {"name": held.indicator.name})
    return redirect("report", unit_id=unit.pk, week=week.label)


@login_required
def office_week(request, week=None):
    """Who has submitted this week in the office's subtrees: on time, late, not at all."""
    require_office(request)
    scope = scope_for(request)
    week = _week_or_404(week) if week else periods.current_week()
    units = list(entry.expected_units(week, within=scope.office_units()))
    groups = entry.submissions(week, units)
    sections = [
        (_("Not submitted"), groups["missing"]),
        (_("Submitted late"), groups["late"]),
        (_("Submitted on time"), groups["on_time"]),
    ]
    if wants_xlsx(request):
        return xlsx_response(submissions_export(week, sections), f"{_('Submissions')}-{week.label}")
    held = list(plausibility.pending(WeeklyReport.objects.filter(week_end=week.end, unit__in=units)))
    return render(
        request,
        "reports/office_week.html",
        {
            "week": week,
            "groups": groups,
            "sections": sections,
            "total": len(units),
            "held": held,
            "locked": entry.week_lock(week, scope.office_roots()),
            "prev_week": week.prev(),
            "next_week": week.next(),
        },
    )


@login_required
@require_POST
def office_lock(request, week):
    require_office(request)
    week = _week_or_404(week)
    roots = scope_for(request).office_roots()
    if request.POST.get("action") == "unlock":
        entry.unlock_week(week, roots)
        if entry.week_lock(week, roots) is not None:
            messages.error(request, _("Week %(week)s was locked by an office above yours.") % {"week": week})
            return redirect("office_week", week=week.label)
        messages.success(request, _("Week %(week)s is open again.") % {"week": week})
    elif not confirm.confirmed(request):
        scope = scope_for(request)
        _week, missing = entry.missing_units(entry.expected_units(week, within=scope.office_units()), week)
        return confirm.ask(
            request,
            title=_("Lock week %(week)s?") % {"week": week},
            action=reverse("office_lock", args=[week.label]),
            cancel=reverse("office_week", args=[week.label]),
            happens=[
                _("The week's reports of every unit under your office can no longer be filled in or changed."),
                _("Reports not submitted by then stay missing; an office can unlock the week again."),
            ],
            missing=missing,
            button=_("Lock the week"),
        )
    else:
        entry.lock_week(week, request.user, roots)
        messages.success(request, _("Week %(week)s is locked.") % {"week": week})
    return redirect("office_week", week=week.label)
