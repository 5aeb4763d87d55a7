"""A campaign's task list (任务清单): items per unit with deadline, status, evidence; checked item by item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.access import get_campaign
from campaigns.models import Task
from duban import stale
from duban.params import int_param, page_param
from duban.table_export import wants_xlsx, xlsx_response
from org.models import OrgUnit
from org.scoping import scope_for
from problems import tasks as task_logic
from problems import uploads
from problems.colours import LABELS, task_colour
from problems.exports import tasks_export
from problems.flow import FlowError

TASKS_PER_PAGE = 100


def _campaign_units(campaign):
    """Units that take part in the campaign (with a target) and their subtrees."""
    tops = OrgUnit.objects.filter(targets__campaign=campaign).distinct().values_list("path", flat=True)
    return OrgUnit.objects.filter(OrgUnit.subtree_q(tops)).exclude(kind=OrgUnit.Kind.VILLAGE).order_by("path")


@login_required
def task_list(request, campaign_id):
    campaign = get_campaign(request, campaign_id)
    scope = scope_for(request)
    is_office = scope.office_for(campaign.owner)
    today = timezone.localdate()
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied
        try:
            task = task_logic.add_task(campaign, request.POST, _campaign_units(campaign))
        except FlowError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("“%(title)s” was added to the task list.") % {"title": task.title})
            return redirect("task_list", campaign_id=campaign.pk)
    figures = task_logic.task_figures(campaign, today)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=figures)}
    rows = [
        {"unit": units[unit_id], "f": f, "on_time_pct": task_logic.on_time_pct(f)}
        for unit_id, f in sorted(figures.items(), key=lambda kv: units[kv[0]].path)
    ]
    tasks = (
        Task.objects.filter(campaign=campaign)
        .select_related("unit", "campaign")
        .order_by("deadline", "unit__path", "pk")
    )
    if (unit_filter := int_param(request.GET, "unit")) is not None:
        tasks = tasks.filter(unit_id=unit_filter)
    export = wants_xlsx(request)
    page = list(tasks) if export else Paginator(tasks, TASKS_PER_PAGE).get_page(page_param(request.GET))
    for t in page if export else page.object_list:
        t.colour = task_colour(t, today)
        t.colour_label = LABELS[t.colour]
        t.state = task_logic.classify(t, today)
    if export:
        tables = tasks_export(campaign, rows, task_logic.totals(figures), page, today)
        return xlsx_response(tables, f"{campaign.name}-{_('task list')}")
    return render(
        request,
        "problems/tasks.html",
        {
            "campaign": campaign,
            "tasks": page,
            "unit_filter": unit_filter or "",
            "rows": rows,
            "total": task_logic.totals(figures),
            "is_office": is_office,
            "units": _campaign_units(campaign) if is_office else [],
            "today": today,
        },
    )


def _task(campaign, task_id):
    """A task of a campaign the user may open: everyone who may open the campaign reads its task list
    (it is checked in public, like the league table)."""
    try:
        return Task.objects.select_related("unit", "campaign").get(pk=int(task_id), campaign=campaign)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def task_detail(request, campaign_id, task_id):
    campaign = get_campaign(request, campaign_id)
    task = _task(campaign, task_id)
    scope = scope_for(request)
    mine = scope.owns(task.unit)
    typed_note = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "progress":
            typed_note = request.POST.get("progress_note", "")
        if action in ("reopen", "cancel"):
            if not scope.office_for(campaign.owner):
                raise PermissionDenied
        elif action in ("progress", "done"):
            if not mine:  # the task list is readable by the campaign's units; only the task's unit acts
                raise PermissionDenied
        else:
            raise Http404
        try:
            if action == "progress":
                task_logic.record_progress(task, request.POST)
            elif action == "done":
                checked = uploads.check_all(request.FILES.getlist("files"))
                with transaction.atomic():
                    task_logic.mark_done(task, request.POST, checked, request.user)
            else:
                task_logic.set_status(task, action)
        except (FlowError, uploads.UploadError) as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("The task was updated."))
            return redirect("task_detail", campaign_id=campaign.pk, task_id=task.pk)
        task.refresh_from_db()
    today = timezone.localdate()
    task.colour = task_colour(task, today)
    task.colour_label = LABELS[task.colour]
    return render(
        request,
        "problems/task.html",
        {
            "campaign": campaign,
            "task": task,
            "state": task_logic.classify(task, today),
            "attachments": task.attachments.all(),
            "mine": mine and task.status == Task.Status.OPEN,
            "is_office": scope.office_for(campaign.owner),
            "today": today,
            "agenda_items": task.agenda_items.select_related("meeting", "problem"),
            "progress_note": task.progress_note if typed_note is None else typed_note,
            "seen_field": stale.FIELD,
            "seen": stale.stamp(*task_logic.progress_state(task)),
        },
    )
