from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.display import Words
from audit.forms import EntryFilter
from audit.models import Entry
from duban.params import page_param
from org.scoping import require_office, scope_for

PAGE_SIZE = 50


def _changes(entry, words):
    """Rows (field, before, after) of an entry, in words."""
    rows = words.rows(entry)
    if entry.action in (Entry.Action.CREATE, Entry.Action.DELETE):  # whole records: the filled-in fields
        rows = [row for row in rows if row[1] not in (None, "") or row[2] not in (None, "")]
    return rows


def _model_name(label):
    try:
        return apps.get_model(label)._meta.verbose_name
    except (LookupError, ValueError):
        return label


@login_required
def entry_list(request):
    """The office's search through the audit trail."""
    require_office(request)
    form = EntryFilter(request.GET or None)
    entries = Entry.objects.visible_to(scope_for(request))
    if form.is_bound and not form.is_valid():
        page = None
    else:
        if form.is_bound:
            entries = form.filter(entries)
        page = Paginator(entries, PAGE_SIZE).get_page(page_param(request.GET))
        words = Words(page)
        for entry in page:
            entry.changes = _changes(entry, words)
            entry.whole = entry.action in (Entry.Action.CREATE, Entry.Action.DELETE)
            entry.model_name = _model_name(entry.model) if entry.model else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})
