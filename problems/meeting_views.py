from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.gongwen import pdf
from org.models import OrgUnit
from org.scoping import require_office, scope_for
from problems import flow, meetings
from problems.access import get_problem
from problems.forms import MeetingForm
from problems.models import AgendaItem, Meeting, Problem


def _require_reader(request):
    """Meetings are the office's and the leaders' business: others get a 403."""
    if not scope_for(request).oversees_any:
        raise PermissionDenied


def _meeting(request, meeting_id):
    """A meeting of the user's subtrees (404 otherwise)."""
    try:
        return Meeting.objects.visible_to(scope_for(request)).select_related("campaign", "unit").get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def meeting_list(request):
    _require_reader(request)
    scope = scope_for(request)
    form = None
    if scope.is_office:
        if request.method == "POST":
            form = MeetingForm(request.POST, scope=scope)
            if form.is_valid():
                meeting = form.save(commit=False)
                meeting.created_by = request.user
                meeting.save()
                messages.success(request, _("The meeting was created; now put problems on its agenda."))
                return redirect("meeting_detail", meeting_id=meeting.pk)
            messages.error(request, _("Please correct the errors below."))
        else:
            form = MeetingForm(scope=scope)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "problems/meetings.html",
        {
            "meetings": Meeting.objects.visible_to(scope)
            .select_related("campaign")
            .annotate(
                n_items=Count("items"), n_decided=Count("items", filter=~Q(items__outcome=AgendaItem.Outcome.PENDING))
            ),
            "form": form,
        },
    )


@login_required
def meeting_detail(request, meeting_id):
    _require_reader(request)
    meeting = _meeting(request, meeting_id)
    scope = scope_for(request)
    is_office = scope.office_for(meeting.unit)
    items = list(
        meeting.items.select_related("problem__responsible", "problem__raised_by_unit", "decided_by").prefetch_related(
            "tasks__unit"
        )
    )
    candidates = (
        Problem.objects.visible_to(scope)
        .filter(meeting.unit.within_q("raised_by_unit__path"))
        .filter(
            status__in=[
                Problem.Status.RAISED,
                Problem.Status.ASSIGNED,
                Problem.Status.IN_PROGRESS,
                Problem.Status.RETURNED,
            ]
        )
        .exclude(agenda_items__meeting=meeting)
        .select_related("raised_by_unit", "responsible")
        .order_by("deadline", "pk")[:200]
    )
    campaign = meeting.campaign
    return render(
        request,
        "problems/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "candidates": candidates if is_office else [],
            "is_office": is_office,
            "departments": flow.department_choices(meeting.unit),
            "task_units": OrgUnit.objects.filter(targets__campaign=campaign).distinct()
            if campaign
            else meeting.unit.subtree().exclude(kind=OrgUnit.Kind.VILLAGE),
            "task_rows": range(1, 4),
            "font_note": pdf.font_note(),
            "fonts_missing": pdf.fonts_missing(),
        },
    )


@login_required
@require_POST
def meeting_add_item(request, meeting_id):
    _require_reader(request)
    meeting = _meeting(request, meeting_id)
    require_office(request, meeting.unit)
    problem = get_problem(request, request.POST.get("problem"))
    try:
        meetings.add_to_agenda(meeting, problem, request.user)
    except flow.FlowError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("“%(title)s” is on the agenda.") % {"title": problem.title})
    return redirect("meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_decide(request, item_id):
    _require_reader(request)
    try:
        item = (
            AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(scope_for(request)))
            .select_related("meeting__unit", "problem__campaign")
            .get(pk=int(item_id))
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    require_office(request, item.meeting.unit)
    try:
        meetings.decide(item, request.user, request.POST)
    except flow.FlowError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("The decision on “%(title)s” was recorded.") % {"title": item.problem.title})
    return redirect("meeting_detail", meeting_id=item.meeting_id)


@login_required
def meeting_minutes(request, meeting_id, fmt):
    """会议纪要 as Word (.docx) or PDF; without LibreOffice or Chinese fonts the meeting page says
    why there is no PDF."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from problems import minutes

    if fmt not in ("docx", "pdf"):
        raise Http404
    _require_reader(request)
    meeting = _meeting(request, meeting_id)
    docx = minutes.build_docx(meeting)
    if fmt == "pdf":
        data, problem = pdf.docx_to_pdf(docx)
        if data is None:
            reasons = {
                "missing": _("LibreOffice (soffice) is not installed on the server: no PDF was made."),
                "fonts": _("No Chinese font is installed on the server (make system-packages): no PDF was made."),
            }
            messages.error(request, reasons.get(problem, _("LibreOffice could not convert the Word file.")))
            return redirect("meeting_detail", meeting_id=meeting.pk)
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = HttpResponse(
            docx, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    response["Content-Disposition"] = content_disposition_header(True, minutes.filename(meeting, fmt))
    return response
