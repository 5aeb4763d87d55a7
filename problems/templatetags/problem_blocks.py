"""Small blocks other apps' pages include: the problems raised from a weekly report, a project or a
household file, and the link to raise one from there."""

from django import template

from org.scoping import scope_for
from problems.models import Problem
from problems.sources import report_lines

register = template.Library()


def _may_raise(scope, unit):
    return scope.office_for(unit) or scope.owns(unit)


@register.inclusion_tag("problems/_raised_from.html", takes_context=True)
def problems_from_report(context, report):
    request = context["request"]
    scope = scope_for(request)
    if report is None:
        return {"show": False}
    return {
        "show": True,
        "kind": "report",
        "source_id": report.pk,
        "lines": list(enumerate(report_lines(report))),
        "problems": list(Problem.objects.visible_to(scope).filter(report=report).order_by("pk")),
        "may_raise": _may_raise(scope, report.unit),
    }


@register.inclusion_tag("problems/_raised_from.html", takes_context=True)
def problems_from_project(context, project):
    scope = scope_for(context["request"])
    return {
        "show": True,
        "kind": "project",
        "source_id": project.pk,
        "problems": list(Problem.objects.visible_to(scope).filter(project=project).order_by("pk")),
        "may_raise": _may_raise(scope, project.unit),
    }


@register.inclusion_tag("problems/_raised_from.html", takes_context=True)
def problems_from_household(context, household):
    scope = scope_for(context["request"])
    return {
        "show": True,
        "kind": "household",
        "source_id": household.pk,
        "problems": list(Problem.objects.visible_to(scope).filter(household=household).order_by("pk")),
        "may_raise": _may_raise(scope, household.village),
    }
