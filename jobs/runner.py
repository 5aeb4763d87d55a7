"""Starting, running, retrying and watching background jobs.

start() stores the job (its file in the row, so a worker on any machine sees it) and queues
it; run() is the task's body in the worker: it claims the job (queued → running, in its own
short transaction), runs the import — one transaction, all or nothing — with its progress and
heartbeat going to Redis (jobs.progress), and records the outcome on the row.

A worker killed mid-job leaves nothing partial: the import's transaction never committed. The
job is then marked failed, either when its message comes back (acks_late and
reject_on_worker_lost: the message of a killed child process is delivered again, and finds its
job already running: run() marks it failed instead of starting it twice) or when its heartbeat
stops (check_alive, called by the job's page: the whole worker was killed). retry() queues it
again as a new attempt; a message of an older attempt that turns up later does nothing.
"""

import logging
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from audit.context import serving
from duban import metrics
from jobs import progress, results
from jobs.models import Job
from org.scoping import Scope

logger = logging.getLogger(__name__)


class JobRequest:
    """What the audit trail reads of a request, for the job of the person who started it."""

    def __init__(self, job):
        self.user = job.owner
        self.META = {}
        self.job = job

    def get_full_path(self):
        return f"/jobs/{self.job.pk}/"


def start(*, kind, owner, data, filename, rows, params=None, dry_run=False):
    """A new job, queued (or run at once in eager mode)."""
    membership = owner.memberships.select_related("unit").order_by("pk").first()
    job = Job.objects.create(
        kind=kind,
        owner=owner,
        unit=membership.unit if membership else None,
        dry_run=dry_run,
        filename=filename[:100],
        data=data,
        params={**(params or {}), "language": translation.get_language() or settings.LANGUAGE_CODE},
        rows_total=rows,
        attempts=1,
    )
    _enqueue(job)
    return job


def _enqueue(job):
    """Hand the job to the queue; when the broker cannot be reached the job is failed at once
    (the page then offers 重试), not left queued for ever."""
    from jobs.tasks import run_job

    try:
        run_job.apply_async((job.pk, job.attempts), queue=settings.DUBAN_TASK_QUEUE)
    except OperationalError as err:  # kombu's: the broker is down
        logger.error("job %s not queued: %s", job.pk, err)
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED, attempts=job.attempts).update(
            status=Job.Status.FAILED,
            message=_("The job could not be queued (the background service is not reachable); try again later."),
            finished_at=timezone.now(),
        )


def retry(job):
    """A failed job queued again, as a new attempt; False when it was not failed."""
    if (
        not Job.objects.filter(pk=job.pk, status=Job.Status.FAILED)
        .exclude(data=None)
        .update(
            status=Job.Status.QUEUED,
            attempts=F("attempts") + 1,
            rows_done=0,
            message="",
            result=None,
            started_at=None,
            finished_at=None,
        )
    ):
        return False
    progress.clear(job.pk)
    job.refresh_from_db()
    _enqueue(job)
    return True


def check_alive(job):
    """A running job whose heartbeat stopped more than DUBAN_JOB_STALE_SECONDS ago (its worker
    was killed) is marked failed; returns the job as it now is."""
    if job.status != Job.Status.RUNNING:
        return job
    live = progress.read(job.pk)
    if live is not None:
        last = live.at
    elif job.started_at is not None:
        last = job.started_at.timestamp()
    else:
        return job
    if timezone.now().timestamp() - last > settings.DUBAN_JOB_STALE_SECONDS:
        _fail(
            job.pk, job.attempts, _("The job stopped before it finished (its worker was stopped); nothing was saved.")
        )
        job.refresh_from_db()
    return job


def _fail(job_id, attempt, message):
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=attempt).update(
        status=Job.Status.FAILED, message=message, finished_at=timezone.now()
    )


def run(job_id, attempt):
    """The task's body: claim the job for this attempt, run it, record the outcome."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, attempts=attempt).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        # the message of an attempt that already started came back: its worker died mid-job
        with translation.override(settings.LANGUAGE_CODE):
            if _fail(
                job_id, attempt, _("The job stopped before it finished (its worker was stopped); nothing was saved.")
            ):
                logger.warning("job %s attempt %s: its worker was lost; marked failed", job_id, attempt)
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    progress.report(job.pk, 0, job.rows_total)
    began = time.monotonic()
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            with progress.heartbeat(job.pk), serving(JobRequest(job)):
                result = IMPORTS[job.kind](job, lambda done: progress.report(job.pk, done))
        except Exception:
            logger.exception("job %s failed", job.pk)
            _fail(job.pk, attempt, _("The job failed because of an error on the server; nothing was saved."))
            metrics.job_finished(job.kind, "error", time.monotonic() - began)
            return
    metrics.job_finished(job.kind, "done" if result.ok else "refused", time.monotonic() - began, result.rows)
    finished = {"status": Job.Status.DONE, "result": results.to_json(result), "finished_at": timezone.now()}
    finished["rows_done"] = result.rows
    if not job.dry_run or not result.ok or not result.changed:
        finished["data"] = None  # nothing more will be done with the file
    Job.objects.filter(pk=job.pk, attempts=attempt).update(**finished)
    progress.report(job.pk, result.rows)


def _roster_import(job, on_progress):
    from requisition import roster

    return roster.import_file(bytes(job.data), scope=Scope(job.owner), dry_run=job.dry_run, progress=on_progress)


def _project_import(job, on_progress):
    from projects import excel

    params = job.params
    return excel.import_file(
        bytes(job.data),
        year=params.get("year"),
        month=params.get("month"),
        layout=params.get("layout") or None,
        unit=params.get("unit"),
        ytd=params.get("ytd"),
        filename=job.filename,
        scope=Scope(job.owner),
        dry_run=job.dry_run,
        progress=on_progress,
    )


IMPORTS = {Job.Kind.ROSTER_IMPORT: _roster_import, Job.Kind.PROJECT_IMPORT: _project_import}


def confirm(job):
    """The real import of a checked file (a done dry run without errors): a new job, queued.
    None when the check did not pass or the file is gone."""
    checked = results.from_json(job.result) if job.result else None
    if not (job.dry_run and job.status == Job.Status.DONE and checked and checked.ok and checked.changed):
        return None
    data = Job.objects.filter(pk=job.pk).values_list("data", flat=True).first()
    if data is None:
        return None
    params = {k: v for k, v in job.params.items() if k != "language"}
    if checked.year:  # the period the check settled on
        params.update(year=checked.year, month=checked.month, layout=checked.layout)
    new = start(
        kind=job.kind, owner=job.owner, data=bytes(data), filename=job.filename, rows=job.rows_total, params=params
    )
    Job.objects.filter(pk=job.pk).update(data=None)
    return new
