"""Roster import page and the ledger and tally exports.

The import page checks an upload with a dry run and shows the row-by-row errors or a preview;
the checked file waits server-side under a random token kept in the session (projects'
excel_views keeps it the same way, in the same private directory); confirming imports that
file for real, checking it again, and deletes it.

**Ledger exports are masked by role.** Everyone gets ID and phone numbers masked; the office,
which may see them (requisition.ids.may_see_personal_data), may also download them in full
(?full=1), and that download logs a look at every household in the file, one RevealLog row
each (field "export"), written in the same transaction as the file is made: no file without
its log. The tally export holds no personal data.
"""

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import pending_uploads
from duban.spreadsheet import XLSX_CONTENT_TYPE, ExcelError, ImportResult, count_rows, read_source
from jobs import runner
from jobs.models import Job
from org.scoping import get_unit, scope_for
from requisition import ids, reveals, roster
from requisition.models import Household
from requisition.tallies import tally_level, tally_unit

SESSION_KEY = "roster_import"
TEMPLATE = "requisition/import.html"


def _keep_pending(request, data, name):
    token = pending_uploads.keep(data)
    request.session[SESSION_KEY] = {"token": token, "name": name}
    return token


def _drop_pending(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        pending_uploads.drop(pending.get("token"))


@login_required
def import_roster(request):
    """Field workers and the office import into the villages of their units' subtrees; readers
    only get a 403."""
    scope = scope_for(request)
    if not (scope.edit_paths or scope.is_office):
        raise PermissionDenied
    context = {"result": None}
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, context)
    if request.method == "POST":
        _drop_pending(request)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an Excel file to import."))
            return render(request, TEMPLATE, context)
        result = ImportResult()
        try:
            data = read_source(upload)
            rows = count_rows(data)  # a sheet too big is refused before anything parses it
        except ExcelError as err:
            result.errors.append(err.message)
        else:
            if rows > settings.DUBAN_IMPORT_JOB_ROWS:  # too big for a request: checked by a job
                job = runner.start(
                    kind=Job.Kind.ROSTER_IMPORT,
                    owner=request.user,
                    data=data,
                    filename=upload.name,
                    rows=rows,
                    dry_run=True,
                )
                return redirect("job", pk=job.pk)
            result = roster.import_file(data, scope=scope, dry_run=True)
            if result.ok and result.changed:
                context["token"] = _keep_pending(request, data, upload.name[:100])
        context.update(result=result, filename=upload.name)
    return render(request, TEMPLATE, context)


def _confirm(request, context):
    pending = request.session.get(SESSION_KEY)
    data = pending_uploads.read(pending.get("token")) if pending else None
    if data is None or request.POST.get("token") != pending["token"]:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("requisition_import")
    result = roster.import_file(data, scope=scope_for(request))
    _drop_pending(request)
    if not result.ok:
        context.update(result=result, filename=pending["name"])
        return render(request, TEMPLATE, context)
    messages.success(
        request, _("Imported %(file)s: %(summary)s") % {"file": pending["name"], "summary": result.summary()}
    )
    return redirect("requisition_import")


def _attachment(data, ascii_name, name):
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def export_ledger_view(request, unit_id):
    """The households of a unit's subtree (404 when the unit is out of reach), masked; in full
    for the office with ?full=1 (403 for anyone else), each household's look logged."""
    unit = get_unit(request, unit_id)
    full = request.GET.get("full") == "1"
    if full and not ids.may_see_personal_data(scope_for(request), unit):
        raise PermissionDenied
    households = Household.objects.filter(unit.within_q("village__path"))
    title = f"{unit.name}{roster.LEDGER_TITLE}"
    if not full:
        data = roster.export_ledger(households, mask=True, title=title)
        return _attachment(data, f"ledger-{unit.pk}.xlsx", f"{title}.xlsx")
    with transaction.atomic():
        exported = []
        data = roster.export_ledger(households, mask=False, title=title, exported=exported)
        reveals.log(request, exported, reveals.EXPORT, note=f"{unit.name}: {len(exported)}")
    return _attachment(data, f"ledger-{unit.pk}-full.xlsx", f"{title}（完整）.xlsx")


def _on(request):
    text = request.GET.get("on")
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest("on") from None


@login_required
def export_tallies_view(request, unit_id):
    """The tallies of a unit's children as of ?on=YYYY-MM-DD (default today), with the unit's
    own tally as the 合计 line."""
    unit = get_unit(request, unit_id)
    on = _on(request)
    tallies = tally_level(unit, unit.depth + 1, on)
    rows = sorted(tallies.values(), key=lambda t: (t.unit.sort_order, t.unit.path))
    title = f"{unit.name}{roster.TALLY_TITLE}({on:%Y年%m月%d日})"
    data = roster.export_tallies(rows, total=tally_unit(unit, on), title=title)
    return _attachment(data, f"tallies-{unit.pk}-{on.isoformat()}.xlsx", f"{title}.xlsx")
