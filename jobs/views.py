"""The page of a background job: its progress bar (polled by htmx), then its result; retry of a
failed job, and the confirmation of a checked import. Only the person who started a job sees it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs import progress, results, runner
from jobs.models import Job

BACK = {Job.Kind.ROSTER_IMPORT: "requisition_import", Job.Kind.PROJECT_IMPORT: "project_import"}


@login_required
def job_detail(request, pk):
    job = get_object_or_404(Job.objects.defer("data"), pk=pk, owner=request.user)
    if request.method == "POST":
        return _act(request, job)
    job = runner.check_alive(job)
    done, total = job.rows_done, job.rows_total
    if job.status == Job.Status.RUNNING and (live := progress.read(job.pk)) is not None:
        done, total = live.done, live.total or total
    total = max(total, done)
    if job.status == Job.Status.DONE:
        done = total = max(total, 1)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
        "result": results.from_json(job.result) if job.result else None,
        "may_confirm": job.dry_run and Job.objects.filter(pk=job.pk).exclude(data=None).exists(),
        "record_label": _("Household") if job.kind == Job.Kind.ROSTER_IMPORT else _("Project"),
        "back_url": reverse(BACK[job.kind]),
    }
    if request.headers.get("HX-Request"):
        response = render(request, "jobs/_progress.html", context)
        if job.finished:
            response["HX-Refresh"] = "true"  # the whole page, with the result
        return response
    return render(request, "jobs/job.html", context)


def _act(request, job):
    if request.POST.get("retry"):
        if runner.retry(job):
            messages.success(request, _("The job was queued again."))
        else:
            messages.error(request, _("Only a failed job can be retried."))
        return redirect("job", pk=job.pk)
    if request.POST.get("confirm"):
        new = runner.confirm(job)
        if new is None:
            messages.error(request, _("This check cannot be imported any more; upload the file again."))
            return redirect("job", pk=job.pk)
        return redirect("job", pk=new.pk)
    return redirect("job", pk=job.pk)
