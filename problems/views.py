from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from duban.params import int_param, page_param, year_param
from duban.table_export import wants_xlsx, xlsx_response
from org.models import OrgUnit
from org.scoping import get_unit, scope_for
from problems import counts, flow, uploads
from problems.access import get_problem, roles_on
from problems.colours import BLUE, LABELS, RED, YELLOW, problem_colour
from problems.exports import problems_export
from problems.filters import as_int, by_colour, filter_problems, with_colours, yellow_ids
from problems.forms import ProblemForm
from problems.models import Attachment, Problem, Step
from problems.sources import report_lines
from projects.access import get_project
from reports.entry import campaigns_for

S = Problem.Status
PER_PAGE = 50


@login_required
def problem_list(request):
    scope = scope_for(request)
    today = timezone.localdate()
    qs = filter_problems(Problem.objects.visible_to(scope), request.GET)
    colour = request.GET.get("colour")
    if colour in (RED, BLUE, YELLOW):
        qs = by_colour(qs, colour, today).order_by("deadline", "-created_at", "-pk")
    qs = qs.select_related("raised_by_unit", "responsible", "leader", "campaign")
    if wants_xlsx(request):
        return xlsx_response(problems_export(with_colours(list(qs), today), today), _("Problem list"))
    page = Paginator(qs, PER_PAGE).get_page(page_param(request.GET))
    with_colours(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "problems/list.html",
        {
            "page": page,
            "count": page.paginator.count,
            "filters": request.GET,
            "query": query.urlencode(),
            "statuses": S.choices,
            "categories": Problem.Category.choices,
            "departments": flow.department_choices(*scope.top_units()),
            "leaders": flow.leader_choices(*scope.top_units()),
            "campaigns": Campaign.objects.visible_to(scope),
            "colours": [(c, LABELS[c]) for c in (RED, BLUE, YELLOW)],
            "may_raise": (scope.office_units() | scope.own_units()).exists(),
        },
    )


GROUPS = {"department": "responsible_id", "leader": "leader_id", "campaign": "campaign_id"}


def group_labels(by, keys):
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign

    keys = [k for k in keys if k is not None]
    if by == "department":
        labels = dict(OrgUnit.objects.filter(pk__in=keys).values_list("pk", "name"))
        return labels | {None: _("Not assigned yet")}
    if by == "leader":
        users = get_user_model().objects.filter(pk__in=keys)
        return {u.pk: u.get_full_name() or u.username for u in users} | {None: _("No coordinating leader")}
    return dict(Campaign.objects.filter(pk__in=keys).values_list("pk", "name")) | {None: _("No campaign")}


@login_required
def problem_groups(request):
    """Per department, per leader or per campaign: open, coloured, solved — counted by the database."""
    by = request.GET.get("by") if request.GET.get("by") in GROUPS else "department"
    key = GROUPS[by]
    today = timezone.localdate()
    qs = Problem.objects.visible_to(scope_for(request))
    is_open = Q(status__in=Problem.OPEN_STATUSES)
    rows = list(
        qs.order_by()
        .values(key)
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=is_open),
            solved=Count("pk", filter=Q(status=S.SOLVED)),
            red=Count("pk", filter=is_open & Q(deadline__lt=today)),
            blue=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + timedelta(days=3))),
        )
    )
    yellow = Counter(qs.filter(pk__in=yellow_ids(qs, today)).order_by().values_list(key, flat=True))
    labels = group_labels(by, [r[key] for r in rows])
    for r in rows:
        r["key"], r["label"], r["yellow"] = r[key], labels.get(r[key], r[key]), yellow.get(r[key], 0)
    rows.sort(key=lambda g: (g["key"] is None, -g["open"], str(g["label"])))
    return render(
        request, "problems/groups.html", {"by": by, "rows": rows, "param": {"department": "responsible"}.get(by, by)}
    )


@login_required
def problem_stats(request):
    scope = scope_for(request)
    today = timezone.localdate()
    year = year_param(request.GET, default=today.year)
    problems = counts.rows_for_year(Problem.objects.visible_to(scope), year)
    months = counts.by_month(problems, year, today)
    labels = {"raised": _("Raised"), "solved": _("Solved"), "overdue": _("Missed the deadline")}
    by_category = counts.by_category(problems, year, today)
    chart = {
        "categories": [_("Month %(month)s") % {"month": m["month"]} for m in months],
        "series": [
            {"name": str(labels[k]), "key": k, "data": [m[k] for m in months]} for k in ("raised", "solved", "overdue")
        ],
    }
    category_chart = {
        "categories": [str(g["label"]) for g in by_category],
        "series": [
            {"name": str(labels[k]), "key": k, "data": [g[k] for g in by_category]}
            for k in ("raised", "solved", "overdue")
        ],
    }
    return render(
        request,
        "problems/stats.html",
        {
            "year": year,
            "months": months,
            "by_department": counts.by_department(problems, year, today),
            "by_category": by_category,
            "summary": counts.summary(problems, year, today),
            "chart": chart,
            "category_chart": category_chart,
            "prev_year": year - 1,
            "next_year": year + 1,
        },
    )


def _source(request):
    """What the problem is raised from (?report=&line=, ?project=, ?household=), authorized;
    returns (initial values, fixed fields)."""
    from reports.models import WeeklyReport
    from requisition.models import Household

    params = request.POST if request.method == "POST" else request.GET
    initial, fixed = {}, {"source": Problem.Source.DIRECT}
    if params.get("report"):
        report = WeeklyReport.objects.select_related("unit").filter(pk=int_param(params, "report")).first()
        if report is None:
            raise Http404
        get_unit(request, report.unit_id)
        lines = report_lines(report)
        n = int_param(params, "line", minimum=0, maximum=10_000)
        text = lines[n] if n is not None and 0 <= n < len(lines) else report.problems_text.strip()
        initial.update(title=text[:60], description=text, raised_by_unit=report.unit)
        fixed.update(source=Problem.Source.REPORT, report=report)
        running = campaigns_for(report.unit, report.week)
        if len(running) == 1:
            initial["campaign"] = running[0]
    elif params.get("project"):
        project = get_project(request, params.get("project"))
        text = project.problems_text.strip()
        initial.update(title=(text or project.name)[:60], description=text, raised_by_unit=project.unit)
        fixed.update(source=Problem.Source.PROJECT, project=project)
    elif params.get("household"):
        household = Household.objects.select_related("village").filter(pk=int_param(params, "household")).first()
        if household is None:
            raise Http404
        get_unit(request, household.village_id)
        initial.update(
            title=_("Household of %(name)s") % {"name": household.head_name},
            description=household.disputes,
            raised_by_unit=household.village,
            village=household.village,
            category=Problem.Category.REQUISITION,
        )
        fixed.update(source=Problem.Source.HOUSEHOLD, household=household)
    return initial, fixed


@login_required
def problem_new(request):
    scope = scope_for(request)
    if not (scope.office_units() | scope.own_units()).exists():
        raise PermissionDenied
    initial, fixed = _source(request)
    if request.method == "POST":
        form = ProblemForm(request.POST, scope=scope)
        files = request.FILES.getlist("files")
        checked, upload_error = [], None
        try:
            checked = uploads.check_all(files)
        except uploads.UploadError as err:
            upload_error = err.message
        if form.is_valid() and upload_error is None:
            with transaction.atomic():
                problem = form.save(commit=False)
                for name, value in fixed.items():
                    setattr(problem, name, value)
                problem.raised_by = request.user
                problem.status = S.RAISED
                problem.save()
                flow.record_raise(problem, request.user)
                uploads.save(checked, request.user, problem=problem)
            messages.success(request, _("The problem was raised."))
            return redirect("problem_detail", problem_id=problem.pk)
        if upload_error:
            messages.error(request, upload_error)
        else:
            messages.error(request, _("Please correct the errors below."))
    else:
        form = ProblemForm(initial=initial, scope=scope)
    return render(request, "problems/new.html", {"form": form, "fixed": fixed})


@login_required
def problem_detail(request, problem_id):
    scope = scope_for(request)
    problem = get_problem(request, problem_id)
    today = timezone.localdate()
    problem.colour = problem_colour(problem, today)
    problem.colour_label = LABELS[problem.colour]
    roles = roles_on(problem, scope)
    return render(
        request,
        "problems/detail.html",
        {
            "problem": problem,
            "steps": problem.steps.select_related("by", "responsible"),
            "attachments": problem.attachments.all(),
            "agenda_items": problem.agenda_items.select_related("meeting__unit"),
            "actions": flow.allowed_actions(problem, scope),
            "departments": flow.department_choices(problem.raised_by_unit),
            "leaders": flow.leader_choices(problem.raised_by_unit),
            "may_attach": bool(roles) and problem.is_open,
            "today": today,
        },
    )


@login_required
@require_POST
def problem_act(request, problem_id):
    scope = scope_for(request)
    problem = get_problem(request, problem_id)
    action = request.POST.get("action", "")
    try:
        step = flow.act(problem, action, request.user, scope, request.POST)
    except flow.FlowError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": step.get_action_display()})
    return redirect("problem_detail", problem_id=problem.pk)


@login_required
@require_POST
def problem_attach(request, problem_id):
    scope = scope_for(request)
    problem = get_problem(request, problem_id)
    if not roles_on(problem, scope):
        raise PermissionDenied
    if not problem.is_open:
        messages.error(request, _("Attachments can be added to open problems only."))
        return redirect("problem_detail", problem_id=problem.pk)
    files = request.FILES.getlist("files")
    try:
        if not files:
            raise uploads.UploadError(_("Choose at least one file."))
        checked = uploads.check_all(files)
    except uploads.UploadError as err:
        messages.error(request, err.message)
    else:
        with transaction.atomic():
            saved = uploads.save(checked, request.user, problem=problem)
            Step.objects.create(
                problem=problem,
                action=Step.Action.ATTACH,
                from_status=problem.status,
                to_status=problem.status,
                by=request.user,
                reply="、".join(a.original_name for a in saved),
            )
        messages.success(request, _("%(n)s file(s) attached.") % {"n": len(saved)})
    return redirect("problem_detail", problem_id=problem.pk)


@login_required
def attachment_download(request, attachment_id):
    """Serves an attachment to whoever may read its problem (or its task's unit); 404 otherwise."""
    from campaigns.access import get_campaign

    attachment = Attachment.objects.select_related("task").filter(pk=as_int(attachment_id)).first()
    if attachment is None:
        raise Http404
    if attachment.problem_id:
        get_problem(request, attachment.problem_id)
    else:
        get_campaign(request, attachment.task.campaign_id)
        get_unit(request, attachment.task.unit_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=uploads.CONTENT_TYPES[attachment.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def reminder_log(request):
    from org.scoping import require_office
    from problems.models import Reminder

    require_office(request)
    scope = scope_for(request)
    rows = Reminder.objects.filter(scope.office_q("unit__path")).select_related("unit")[:300]
    return render(request, "problems/reminders.html", {"rows": rows})
