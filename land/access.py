"""Fetching a batch or parcel for a request, authorized in one step (org/scoping.py): out of the
user's reach a 404; reachable but not overseen (office, leader) a 403 to read; not the office
a 403 to edit."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.scoping import scope_for


def require_oversight(request):
    """The land pages are the office's and the leaders'."""
    if not scope_for(request).oversees_any:
        raise PermissionDenied


def get_land(request, model, pk, edit=False):
    scope = scope_for(request)
    try:
        obj = model.objects.visible_to(scope).select_related("unit").get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not scope.oversees(obj.unit) or (edit and not scope.office_for(obj.unit)):
        raise PermissionDenied
    return obj
