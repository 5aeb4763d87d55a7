"""The live progress of a running job, kept in the broker's Redis, not in the database.

A job's import runs in one transaction (all or nothing), which on SQLite holds the database's
write lock until it ends: a progress row written on another connection would wait for it. So
the rows done, the total and a heartbeat (the time of the last sign of life, written every few
seconds by a thread while the job runs) go to a Redis hash under the queue's name. The page
reads them while the Job row says running; the Job row gets the final figures when the job
ends. With no broker (eager mode) a job runs inside the request that starts it and nothing is
live: the page only ever sees it finished.
"""

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 2
KEEP_SECONDS = 7 * 24 * 3600
_clients = {}


@dataclass
class Progress:
    done: int
    total: int
    at: float  # time.time() of the last sign of life


def _client():
    url = settings.DUBAN_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    if url not in _clients:
        import redis

        _clients[url] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return _clients[url]


def key(job_id):
    return f"{settings.DUBAN_TASK_QUEUE}:job:{job_id}:progress"


def _write(job_id, **fields):
    client = _client()
    if client is None:
        return
    try:
        client.hset(key(job_id), mapping={**fields, "at": time.time()})
        client.expire(key(job_id), KEEP_SECONDS)
    except Exception as err:  # progress is a courtesy: a Redis hiccup must not fail the import
        logger.warning("job %s: progress not written: %s", job_id, err)


def report(job_id, done, total=None):
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    _write(job_id, **fields)


def read(job_id):
    """The job's Progress, or None when there is none (no broker, or never started)."""
    client = _client()
    if client is None:
        return None
    try:
        values = client.hgetall(key(job_id))
    except Exception as err:
        logger.warning("job %s: progress not read: %s", job_id, err)
        return None
    if not values:
        return None
    return Progress(int(values.get(b"done", 0)), int(values.get(b"total", 0)), float(values.get(b"at", 0)))


def clear(job_id):
    client = _client()
    if client is not None:
        try:
            client.delete(key(job_id))
        except Exception as err:
            logger.warning("job %s: progress not cleared: %s", job_id, err)


@contextmanager
def heartbeat(job_id):
    """Write the job's sign of life every HEARTBEAT_SECONDS while the block runs: a killed
    worker stops writing it, and the page then takes the job as failed (jobs.runner.check_alive)."""
    if _client() is None:
        yield
        return
    stop = threading.Event()

    def beat():
        while not stop.wait(HEARTBEAT_SECONDS):
            _write(job_id)

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
