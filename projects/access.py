"""Fetching a key project for a request, authorized in one step (the rules: org/scoping.py and
Project.objects.visible_to)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.scoping import scope_for
from projects.models import Project


def get_project(request, project_id, edit=False):
    """Fetch and authorize a key project in one step: 404 when out of reach, 403 when read-only."""
    scope = scope_for(request)
    try:
        project = Project.objects.visible_to(scope).select_related("unit").get(pk=int(project_id))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if edit and not scope.owns(project.unit):
        raise PermissionDenied
    return project
