"""The one place that decides what a user may see and change.

Every membership hangs on a unit and reaches that unit's subtree, whatever its role: a county
office its county, a province office the province. Only a Django superuser reaches everything.

- reporter (and admin) members see and edit the subtrees of the units they report for;
- office, leader and admin members read their units' subtrees (leaders: oversight pages such as
  warnings and meetings too); office and admin members also act as the office there: return
  reports, lock weeks, publish tables, issue bulletins, keep kiosk keys, scoring schemes and
  reminders, reveal personal data. The office returns reports, it does not fill them in;
- a campaign belongs to its owner unit: the office of a subtree holding the owner acts on it;
- a unit that exists but lies outside the user's reach is a 404, never a hint that it exists;
  a unit the user may read but not act on is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from org.models import Membership, OrgUnit, topmost_paths

OVERSIGHT_ROLES = {Membership.Role.OFFICE, Membership.Role.LEADER, Membership.Role.ADMIN}
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
        self.office_paths = sorted({path for role, path in rows if role in OFFICE_ROLES})
        self.oversight_paths = sorted({path for role, path in rows if role in OVERSIGHT_ROLES})
        self.is_superuser = bool(getattr(user, "is_superuser", False))

    @property
    def reads_all(self):
        """Reaches every unit: a superuser only (every membership reaches its own subtree)."""
        return self.is_superuser

    @property
    def is_office(self):
        """Acts as the office somewhere (menus, the office's own pages); what it may act on is
        `office_for(unit)`."""
        return self.is_superuser or bool(self.office_paths)

    @property
    def oversees_any(self):
        """Office, leader or admin somewhere: the oversight pages (warnings, meetings)."""
        return self.is_superuser or bool(self.oversight_paths)

    @property
    def is_field_worker(self):
        """Reports only for villages (or villagers' groups): the phone page is their work, and
        where they land. Looked up once, and only for a pure reporter."""
        if not hasattr(self, "_field_worker"):
            self._field_worker = (
                not self.is_superuser
                and self.roles == {Membership.Role.REPORTER}
                and bool(self.edit_paths)
                and not OrgUnit.objects.filter(path__in=self.edit_paths)
                .exclude(kind__in=(OrgUnit.Kind.VILLAGE, OrgUnit.Kind.VILLAGE_GROUP))
                .exists()
            )
        return self._field_worker

    @staticmethod
    def _within(unit, paths):
        return unit is not None and any(unit.path.startswith(p) for p in paths)

    def _subtree_q(self, field="path", paths=None):
        return OrgUnit.subtree_q(self.paths if paths is None else paths, field)

    def owns(self, unit):
        """May edit this unit's data: the unit lies in the subtree of one of the user's units."""
        return self.is_superuser or self._within(unit, self.edit_paths)

    def can_read(self, unit):
        return self.reads_all or self._within(unit, self.paths)

    def office_for(self, unit):
        """Acts as the office for this unit: it lies in the subtree of an office membership."""
        return self.is_superuser or self._within(unit, self.office_paths)

    def oversees(self, unit):
        """Office, leader or admin of a subtree holding this unit."""
        return self.is_superuser or self._within(unit, self.oversight_paths)

    def office_units(self):
        """Units this user acts on as the office."""
        if self.is_superuser:
            return OrgUnit.objects.all()
        return OrgUnit.objects.filter(self._subtree_q(paths=self.office_paths))

    def office_roots(self):
        """The topmost units of the user's office memberships (every root unit for a superuser):
        what a week lock or a kiosk key of this office hangs on."""
        if self.is_superuser:
            return list(OrgUnit.objects.filter(parent__isnull=True))
        return list(OrgUnit.objects.filter(path__in=topmost_paths(self.office_paths)))

    def top_units(self):
        """The topmost units the user reads (every root unit for a superuser)."""
        if self.is_superuser:
            return list(OrgUnit.objects.filter(parent__isnull=True))
        return list(OrgUnit.objects.filter(path__in=topmost_paths(self.paths)))

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

    def office_q(self, field="path"):
        """Rows whose `field` (a unit's path) lies where the user acts as the office."""
        return Q() if self.is_superuser else self._subtree_q(field, self.office_paths)

    def oversight_q(self, field="path"):
        """Rows whose `field` lies where the user is office, leader or admin."""
        return Q() if self.is_superuser else self._subtree_q(field, self.oversight_paths)

    def reach_q(self, field="path"):
        """A filter for rows whose `field` (a unit's path, e.g. "village__path") lies in the user's
        reach: what each model's `visible_to(scope)` is built on."""
        return Q() if self.reads_all else self._subtree_q(field)


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


def require_office(request, unit=None):
    """403 unless the user acts as the office (for `unit`, when given: of a subtree holding it).
    Callers fetch the object through the user's reach first, so one out of reach is a 404."""
    scope = scope_for(request)
    if not (scope.office_for(unit) if unit is not None else scope.is_office):
        raise PermissionDenied
