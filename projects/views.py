from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.chart_labels import chart_labels
from campaigns.models import Campaign
from duban import hooks as screen_hooks
from duban import stale
from duban.numbers import to_decimal
from duban.params import page_param, year_param
from duban.schedule import q2
from org.scoping import scope_for
from projects import filters, investment
from projects.access import get_project
from projects.models import Milestone, MonthlyInvestment, Project, PromotionProject

PAGE_SIZE = 100


@login_required
def project_list(request):
    scope = scope_for(request)
    f, projects, figures, elapsed_pct = filters.for_request(scope, request.GET)
    totals = investment.total(projects, f.year, f.month, f.method)
    page = Paginator(projects.select_related("unit"), PAGE_SIZE).get_page(page_param(request.GET))
    rows = [(p, figures[p.pk], filters.is_behind(figures[p.pk], elapsed_pct)) for p in page]
    return render(
        request,
        "projects/list.html",
        {
            "f": f,
            "page": page,
            "rows": rows,
            "totals": totals,
            "elapsed_pct": elapsed_pct,
            "levels": Project.Level.choices,
            "categories": Project.Category.choices,
            "stages": Project.Stage.choices,
            "units": scope.units().filter(projects__isnull=False).distinct(),
            "campaigns": Campaign.objects.visible_to(scope).filter(projects__isnull=False).distinct(),
            "months": range(1, 13),
            "query": f.query(),
            "can_import": bool(scope.edit_paths) or scope.is_office,
        },
    )


@login_required
def project_detail(request, project_id):
    project = get_project(request, project_id)
    scope = scope_for(request)
    today = timezone.localdate()
    months = list(project.investments.order_by("month"))
    year = year_param(request.GET, default=months[-1].month.year if months else today.year)
    plan = project.plans.filter(year=year).first()
    by_month = {m.month.month: m.amount for m in months if m.month.year == year}
    opening = project.openings.filter(year=year).first()  # 期初: counted from its month on
    if opening is not None:
        by_month.setdefault(opening.as_of, Decimal(0))
    cum, done_cum, plan_cum = Decimal(0), [], []
    for n in range(1, 13):
        cum += by_month.get(n, Decimal(0)) + (opening.amount if opening and n == opening.as_of else Decimal(0))
        known = n <= max(by_month, default=0) and (opening is None or n >= opening.as_of)  # the opening is a sum
        done_cum.append(float(q2(cum / investment.WAN)) if known else None)
        plan_cum.append(float(q2(plan.amount * n / 12 / investment.WAN)) if plan else None)
    through = max(by_month, default=today.month if year == today.year else 12)
    figs = investment.project_figures(Project.objects.filter(pk=project.pk), year, through)[project.pk]
    as_of = min(investment.month_end(year, through), today)  # the date the page's figures are for
    labels = chart_labels()
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "year": year,
            "through": through,
            "figs": figs,
            "elapsed_pct": investment.elapsed_pct(year, through),
            "months": months[::-1],
            "opening": opening,
            "milestones": [(m, m.days_ahead(today), m.is_overdue(today)) for m in project.milestones.all()],
            "approvals": [(a, a.days_taken(as_of)) for a in project.approvals.all()],
            "as_of": as_of,
            "campaigns": project.campaigns.all(),
            "can_edit": scope.owns(project.unit),
            "chart": {
                "months": [f"{n}月" for n in range(1, 13)],
                "done": done_cum,
                "plan": plan_cum,
                "monthly": [float(q2(by_month.get(n, Decimal(0)) / investment.WAN)) for n in range(1, 13)],
                "labels": {**labels, "plan": _("Annual plan, spread evenly"), "monthly": _("Completed this month")},
            },
        },
    )


def _parse_money_wan(raw):
    """万元 typed by a person → Decimal yuan; None when blank; ValueError on bad input."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = to_decimal(raw)
    except ValueError:
        raise ValueError(_("“%(raw)s” is not a number.") % {"raw": raw[:20]}) from None
    if value < 0:
        raise ValueError(_("The amount cannot be negative."))
    if value > Decimal("100000000"):  # 1 万亿元
        raise ValueError(_("The amount is implausibly large."))
    return q2(value * investment.WAN)


def _parse_date(raw):
    raw = (raw or "").strip()
    if not raw:
        return None
    return date.fromisoformat(raw)


def _edit_state(project, milestones):
    """What the monthly update form writes over: its texts, the milestone dates and every
    month's investment (duban/stale.py)."""
    months = list(project.investments.order_by("month").values_list("month", "amount"))
    return project.progress_text, project.problems_text, [(m.pk, m.actual) for m in milestones], months


class StaleEdit(Exception):
    pass


@login_required
def project_edit(request, project_id):
    """The responsible unit's monthly update: this month's investment, physical progress,
    problems, milestone dates. A form opened before someone else's save is refused
    (duban/stale.py): the person's entries are shown back, nothing is saved."""
    project = get_project(request, project_id, edit=True)
    today = timezone.localdate()
    milestones = list(project.milestones.all())
    entries = {
        "month": today.strftime("%Y-%m"),
        "amount": "",
        "progress_text": project.progress_text,
        "problems_text": project.problems_text,
        **{f"ms_{m.pk}": m.actual.isoformat() if m.actual else "" for m in milestones},
    }
    seen = stale.stamp(*_edit_state(project, milestones))
    status = 200
    if request.method == "POST":
        entries = {name: request.POST.get(name, "") for name in entries}
        seen = request.POST.get(stale.FIELD)
        try:
            month = date.fromisoformat((request.POST.get("month") or "") + "-01")
            if month > today:
                raise ValueError(_("A month in the future cannot have completed investment."))
            amount = _parse_money_wan(request.POST.get("amount"))
            actuals = {m.pk: _parse_date(request.POST.get(f"ms_{m.pk}")) for m in milestones}
            if any(d and d > today for d in actuals.values()):
                raise ValueError(_("A milestone cannot be reached in the future."))
            with transaction.atomic():
                project = Project.objects.select_for_update().get(pk=project.pk)
                milestones = list(project.milestones.all())
                if stale.is_stale(seen, *_edit_state(project, milestones)):
                    raise StaleEdit
                if amount is not None:
                    MonthlyInvestment.objects.update_or_create(
                        project=project, month=month, defaults={"amount": amount}
                    )
                project.progress_text = request.POST.get("progress_text", "").strip()[:2000]
                project.problems_text = request.POST.get("problems_text", "").strip()[:2000]
                project.save(update_fields=["progress_text", "problems_text", "updated_at"])
                for m in milestones:
                    if m.actual != actuals.get(m.pk):
                        m.actual = actuals.get(m.pk)
                        m.save(update_fields=["actual"])
                screen_hooks.projects_changed([project.unit_id])
        except ValueError as err:
            messages.error(request, _("Nothing was saved: %(error)s") % {"error": err})
            status = 400
            if seen is None:
                seen = stale.stamp(*_edit_state(project, milestones))
        except StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else saved this project after you opened the form; your changes were not saved. "
                    "Your entries are still in the form: check the project's figures, then save again."
                ),
            )
            status = 409
            seen = stale.stamp(*_edit_state(project, milestones))  # saving again now overwrites knowingly
        else:
            messages.success(request, _("Saved."))
            return redirect("project_detail", project_id=project.pk)
    return render(
        request,
        "projects/edit.html",
        {
            "project": project,
            "milestones": [(m, entries.get(f"ms_{m.pk}", "")) for m in milestones],
            "entries": entries,
            "seen": seen,
            "seen_field": stale.FIELD,
            "recorded": [(m.month, m.amount / investment.WAN) for m in project.investments.order_by("-month")[:6]],
            "this_month": today.strftime("%Y-%m"),
        },
        status=status,
    )


@login_required
def investment_summary(request):
    """Investment by unit, level and category against the annual plan and time elapsed, with
    this year's starts / completions / production and the promotion pipeline."""
    scope = scope_for(request)
    visible = Project.objects.visible_to(scope)
    f = filters.parse(request.GET, visible, scope.units())
    projects = filters.apply(visible, f)
    units = {u.pk: u for u in scope.units()}
    groups = []
    for key, title in (("level", _("By level")), ("category", _("By category")), ("unit", _("By responsible unit"))):
        rows = investment.summarize(projects, f.year, f.month, group_by=key, method=f.method)
        for row in rows:
            if key == "unit":
                row.name = units[row.label].label if row.label in units else "—"
            else:
                row.name = getattr(Project, key.capitalize())(row.label).label
        rows.sort(key=lambda r: -r.figures.annual_plan)
        groups.append(
            {
                "key": key,
                "title": title,
                "rows": rows,
                "chart_id": f"summary-{key}",
                "chart": {
                    "categories": [r.name for r in rows],
                    "plan": [float(q2(r.figures.annual_plan / investment.YI)) for r in rows],
                    "done": [float(q2(r.figures.ytd / investment.YI)) for r in rows],
                    "labels": {
                        "plan": _("Annual plan (100 million yuan)"),
                        "done": _("Done this year (100 million yuan)"),
                    },
                },
            }
        )
    today = timezone.localdate()
    milestones = Milestone.objects.filter(project__in=projects)
    year_counts = {
        kind: milestones.filter(kind=kind, actual__year=f.year).count()
        for kind in (Milestone.Kind.START, Milestone.Kind.COMPLETION, Milestone.Kind.PRODUCTION)
    }
    overdue = milestones.filter(actual__isnull=True, planned__lt=today).select_related("project")[:50]
    promotions = PromotionProject.objects.filter(unit__in=scope.units(), signed_on__year=f.year)
    by_quarter = {
        row["q"]: (row["n"], row["amount"])
        for row in promotions.annotate(q=ExtractQuarter("signed_on"))
        .values("q")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    }
    quarters = [(q, *by_quarter.get(q, (0, Decimal(0)))) for q in range(1, 5)]
    by_stage = {
        row["stage"]: (row["n"], row["amount"])
        for row in promotions.values("stage").annotate(n=Count("pk"), amount=Sum("amount"))
    }
    pipeline = [(label, *by_stage.get(value, (0, Decimal(0)))) for value, label in PromotionProject.Stage.choices]
    return render(
        request,
        "projects/summary.html",
        {
            "f": f,
            "total": investment.total(projects, f.year, f.month, f.method),
            "groups": groups,
            "year_counts": year_counts,
            "overdue": overdue,
            "quarters": quarters,
            "pipeline": pipeline,
            "months": range(1, 13),
        },
    )
