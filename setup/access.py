"""What the office's set-up pages reach: the units of its own subtree, never more.

Every set-up page needs the office role (403 otherwise); an object outside the office's subtree
is a 404, never a hint that it exists. A unit id posted from a form is looked up the same way, so
an office cannot hang anything on another zone's unit.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.models import Campaign
from org.models import Membership, OrgUnit
from org.scoping import scope_for


def require_office(request):
    """The scope of an office; 403 for anybody else (reporters, leaders, outsiders)."""
    scope = scope_for(request)
    if not scope.is_office:
        raise PermissionDenied
    return scope


def office_units(request):
    """The units the office sets up: its office memberships' subtrees."""
    return require_office(request).office_units().order_by("path")


def office_unit(request, unit_id):
    """One unit of the office's subtree, else 404."""
    try:
        return office_units(request).get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def office_people(request):
    """People with a membership in the office's subtree."""
    scope = require_office(request)
    users = get_user_model().objects.all()
    if not scope.is_superuser:
        users = users.filter(memberships__in=Membership.objects.filter(scope.office_q("unit__path")))
    return users.distinct().order_by("username")


def office_person(request, user_id):
    try:
        return office_people(request).get(pk=int(user_id))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def manages_fully(request, user):
    """The office may reset or disable an account only when every membership of it lies in its
    subtree (a person who also serves another zone is that zone's too), never a superuser's, and
    never its own."""
    scope = scope_for(request)
    if user.pk == request.user.pk:
        return False
    if scope.is_superuser:
        return True
    if user.is_superuser or user.is_staff:
        return False
    paths = list(user.memberships.values_list("unit__path", flat=True))
    return bool(paths) and all(any(p.startswith(o) for o in scope.office_paths) for p in paths)


def office_campaigns(request):
    """Campaigns owned by a unit of the office's subtree."""
    scope = require_office(request)
    return Campaign.objects.filter(scope.office_q("owner__path")).select_related("owner").order_by("-start", "name")


def office_campaign(request, campaign_id):
    try:
        return office_campaigns(request).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
