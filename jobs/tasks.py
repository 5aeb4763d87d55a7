"""The Celery task of the background jobs (see jobs.runner)."""

from celery import shared_task

from jobs import runner


@shared_task(name="jobs.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id, attempt):
    runner.run(job_id, attempt)
