"""Excel export and import pages (being written)."""

from django.http import Http404


def export_projects(request):
    raise Http404


def import_projects(request):
    raise Http404
