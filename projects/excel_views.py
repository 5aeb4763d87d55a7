"""Excel export and import pages for key projects.

The import page checks an upload with a dry run and shows the row-by-row errors or a preview.
The checked file waits in a private temporary directory under a random token kept in the
user's session (never a path from the request); confirming imports that file for real, checking
it again, and deletes it.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import pending_uploads, spreadsheet
from duban.spreadsheet.wording import MONEY_UNITS
from jobs import runner
from jobs.models import Job
from org.scoping import scope_for
from projects import excel, filters

SESSION_KEY = "project_import"


def _import_period(params):
    """The table's year and month from the form; blank means "as the title says, else this month"."""
    today = timezone.localdate()
    try:
        year = int(params["year"]) if params.get("year") else None
        month = int(params["month"]) if params.get("month") else None
    except ValueError:
        raise BadRequest("year/month") from None
    if (year is not None and not excel.MIN_YEAR <= year <= today.year + 1) or (
        month is not None and not 1 <= month <= 12
    ):
        raise BadRequest("year/month")
    return year, month


@login_required
def export_projects(request):
    """The office's progress table of the projects the list page shows with the same filters."""
    f, projects, _figures, _time_pct = filters.for_request(scope_for(request), request.GET)
    data = excel.export_bytes(projects, f.year, f.month)
    response = HttpResponse(data, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    filename = excel.export_filename(f.year, f.month)
    response["Content-Disposition"] = (
        f"attachment; filename=\"projects-{f.year}-{f.month:02d}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


# Import -------------------------------------------------------------------------------------


def _keep_pending(request, data, year, month, layout, name, unit=None, ytd=None):
    token = pending_uploads.keep(data)
    request.session[SESSION_KEY] = {
        "token": token,
        "year": year,
        "month": month,
        "layout": layout,
        "name": name,
        "unit": unit,
        "ytd": ytd,
    }
    return token


def _drop_pending(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        pending_uploads.drop(pending.get("token"))


def _choice(params, name, choices):
    value = params.get(name) or None
    if value not in (None, *choices):
        raise BadRequest(name)
    return value


def _layout_param(params):
    layout = params.get("layout") or None
    if layout not in (None, *excel.LAYOUTS):
        raise BadRequest("layout")
    return layout


@login_required
def import_projects(request):
    """Reporters import their units' projects, the office those of its subtrees; readers only get a 403."""
    scope = scope_for(request)
    if not (scope.edit_paths or scope.is_office):
        raise PermissionDenied
    year, month = _import_period(request.POST if request.method == "POST" else request.GET)
    params = request.POST if request.method == "POST" else request.GET
    unit, ytd = _choice(params, "unit", MONEY_UNITS), _choice(params, "ytd", excel.YTD_CHOICES)
    context = {
        "year": year,
        "month": month,
        "layout": "",
        "months": range(1, 13),
        "result": None,
        "unit": unit or "",
        "units": list(MONEY_UNITS),
        "ytd": ytd or "",
    }
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, context)
    if request.method == "POST":
        context["layout"] = layout = _layout_param(request.POST) or ""
        _drop_pending(request)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an Excel file to import."))
            return render(request, "projects/import.html", context)
        result = spreadsheet.ImportResult()
        try:
            data = spreadsheet.read_source(upload)
            rows = spreadsheet.count_rows(data)  # a sheet too big is refused before anything parses it
        except spreadsheet.ExcelError as err:
            result.errors.append(err.message)
        else:
            if rows > settings.DUBAN_IMPORT_JOB_ROWS:  # too big for a request: checked by a job
                params = {"year": year, "month": month, "layout": layout or None, "unit": unit, "ytd": ytd}
                job = runner.start(
                    kind=Job.Kind.PROJECT_IMPORT,
                    owner=request.user,
                    data=data,
                    filename=upload.name,
                    rows=rows,
                    params=params,
                    dry_run=True,
                )
                return redirect("job", pk=job.pk)
            result = excel.import_file(
                data, year=year, month=month, unit=unit, ytd=ytd, scope=scope, layout=layout or None, dry_run=True
            )
            if result.ok and result.changed:
                pending = (result.year, result.month, result.layout, upload.name[:100], unit, ytd)
                context["token"] = _keep_pending(request, data, *pending)
        context.update(result=result, filename=upload.name)
    return render(request, "projects/import.html", context)


def _confirm(request, context):
    pending = request.session.get(SESSION_KEY)
    data = pending_uploads.read(pending.get("token")) if pending else None
    if data is None or request.POST.get("token") != pending["token"]:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("project_import")
    result = excel.import_file(
        data,
        year=pending["year"],
        month=pending["month"],
        scope=scope_for(request),
        layout=pending["layout"],
        unit=pending.get("unit"),
        ytd=pending.get("ytd"),
        filename=pending["name"],
    )
    _drop_pending(request)
    if not result.ok:
        context.update(result=result, filename=pending["name"], year=pending["year"], month=pending["month"])
        return render(request, "projects/import.html", context)
    messages.success(
        request, _("Imported %(file)s: %(summary)s") % {"file": pending["name"], "summary": result.summary()}
    )
    for warning in result.warnings[: spreadsheet.PREVIEW_LIMIT]:
        messages.warning(request, warning)
    return redirect("project_import")
