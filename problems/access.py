"""Who may see and act on a problem, on top of org/scoping.py (Scope.problems: who reads which).

- office, leader and admin members read the problems of their units' subtrees, and act as the
  office on those raised in or assigned to them;
- members of the raising unit's subtree read the problems it raised;
- members of the responsible department (or a unit above it) read the problems assigned to it;
- the coordinating leader reads the problems they coordinate.
Out of reach is a 404; a problem one may read but not act on gives a 403 on actions.
"""

from django.http import Http404

from org.scoping import scope_for
from problems.models import Problem


def get_problem(request, problem_id):
    """Fetch and authorize a problem in one step: 404 when missing or out of reach."""
    try:
        return (
            Problem.objects.visible_to(scope_for(request))
            .select_related("raised_by_unit", "responsible", "leader", "raised_by", "campaign", "project", "village")
            .get(pk=int(problem_id))
        )
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roles_on(problem, scope):
    """The parts this user plays for this problem: office, department (handles it), raiser."""
    roles = set()
    if scope.office_for(problem.raised_by_unit) or scope.office_for(problem.responsible):
        roles.add("office")
    if problem.responsible_id and scope.owns(problem.responsible):
        roles.add("department")
    if scope.owns(problem.raised_by_unit):
        roles.add("raiser")
    return roles
