"""The one place that decides what a user may see and change.

- office, leader and admin members read everything;
- office and admin members also act as the office (return reports, lock weeks);
- a reporter (or admin) sees and edits the subtrees of the units they report for; office and
  leader memberships grant reading only — the office returns reports, it does not fill them in;
- a unit that exists but lies outside the user's reach is a 404, never a hint that it exists;
  a unit the user may read but not edit is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from org.models import Membership, OrgUnit

READ_ALL_ROLES = {Membership.Role.OFFICE, Membership.Role.LEADER, Membership.Role.ADMIN}
OFFICE_ROLES = {Membership.Role.OFFICE, Membership.Role.ADMIN}
EDIT_ROLES = {Membership.Role.REPORTER, Membership.Role.ADMIN}


class Scope:
    """What one user may reach, computed once per request (one query)."""

    def __init__(self, user):
        self.user = user
        if user.is_authenticated:
            rows = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        else:
            rows = []
        self.roles = {role for role, _ in rows}
        self.paths = sorted({path for _, path in rows})
        self.edit_paths = sorted({path for role, path in rows if role in EDIT_ROLES})
        self.is_superuser = bool(getattr(user, "is_superuser", False))

    @property
    def reads_all(self):
        return self.is_superuser or bool(self.roles & READ_ALL_ROLES)

    @property
    def is_office(self):
        return self.is_superuser or bool(self.roles & OFFICE_ROLES)

    def _subtree_q(self, field="path", paths=None):
        q = Q(pk__in=[])
        for path in self.paths if paths is None else paths:
            q |= Q(**{f"{field}__startswith": path})
        return q

    def owns(self, unit):
        """May edit this unit's data: the unit lies in the subtree of one of the user's units."""
        return self.is_superuser or any(unit.path.startswith(p) for p in self.edit_paths)

    def can_read(self, unit):
        return self.reads_all or any(unit.path.startswith(p) for p in self.paths)

    def units(self):
        """Units this user may read."""
        if self.reads_all:
            return OrgUnit.objects.all()
        return OrgUnit.objects.filter(self._subtree_q())

    def own_units(self):
        """Units this user may edit (report for)."""
        if self.is_superuser:
            return OrgUnit.objects.all()
        return OrgUnit.objects.filter(self._subtree_q(paths=self.edit_paths))

    def campaigns(self):
        """Campaigns this user may open: all for readers-of-all; otherwise those with a target in,
        above or below one of the user's units (a campaign's league table is shared with every
        unit that takes part in it)."""
        from campaigns.models import Campaign

        if self.reads_all:
            return Campaign.objects.all()
        q = self._subtree_q("targets__unit__path")
        for path in self.paths:
            ancestors = [int(part) for part in path.split(".") if part]
            q |= Q(targets__unit_id__in=ancestors)
        return Campaign.objects.filter(q).distinct()

    def projects(self):
        """Key projects this user may read: all for readers-of-all, else those of their units' subtrees."""
        from projects.models import Project

        if self.reads_all:
            return Project.objects.all()
        return Project.objects.filter(self._subtree_q("unit__path"))

    def households(self):
        """Requisition households this user may read: those of the villages in their subtrees."""
        from requisition.models import Household

        if self.reads_all:
            return Household.objects.all()
        return Household.objects.filter(self._subtree_q("village__path"))

    def problems(self):
        """Coordination problems this user may read: all for readers-of-all; else those raised in
        or assigned to their units' subtrees, and those they coordinate as the leader."""
        from problems.models import Problem

        if self.reads_all:
            return Problem.objects.all()
        q = self._subtree_q("raised_by_unit__path") | self._subtree_q("responsible__path")
        if self.user.is_authenticated:
            q |= Q(leader=self.user)
        return Problem.objects.filter(q)


def scope_for(request):
    scope = getattr(request, "_duban_scope", None)
    if scope is None or scope.user is not request.user:
        scope = Scope(request.user)
        request._duban_scope = scope
    return scope


def get_unit(request, unit_id, edit=False):
    """Fetch and authorize a unit in one step: 404 when out of reach, 403 when read-only."""
    scope = scope_for(request)
    try:
        unit = OrgUnit.objects.get(pk=unit_id)
    except (OrgUnit.DoesNotExist, ValueError):
        raise Http404 from None
    if not scope.can_read(unit):
        raise Http404
    if edit and not scope.owns(unit):
        raise PermissionDenied
    return unit


def get_campaign(request, campaign_id):
    """Fetch and authorize a campaign in one step: 404 when missing or out of reach."""
    from campaigns.models import Campaign

    try:
        return scope_for(request).campaigns().get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_office(request):
    if not scope_for(request).is_office:
        raise PermissionDenied


def get_project(request, project_id, edit=False):
    """Fetch and authorize a key project in one step: 404 when out of reach, 403 when read-only."""
    from projects.models import Project

    scope = scope_for(request)
    try:
        project = scope.projects().select_related("unit").get(pk=int(project_id))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if edit and not scope.owns(project.unit):
        raise PermissionDenied
    return project
