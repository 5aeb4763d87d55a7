"""Background jobs with a real Celery worker (a subprocess) on the Redis of the project's
machines (127.0.0.1:6379, database 14, keys and queue of this test's own name): the progress
advances and the result lands; a worker killed mid-job leaves nothing, the job shows as failed
and a retry imports it.

The worker must see the test's database: on PostgreSQL the test database itself (committed
rows: transactional_db); on SQLite, whose test database lives in this process's memory, a
file copy of it handed to the worker (push) and copied back after (pull)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connections
from django.urls import reverse

from duban.celery import app as celery_app
from jobs import progress, runner
from jobs.models import Job
from requisition.models import Household
from tests.import_helpers import roster, village

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/14"
STALE_SECONDS = 2
QUEUE = f"duban-test-{uuid.uuid4().hex[:10]}"  # one for the module: kombu keeps a channel's key prefix


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379 (.ci/run starts it; start it to run these)"
)


class WorkerDb:
    """The database as the worker sees it: its URL, push() before a worker starts, pull() to
    read what it wrote, status(pk) of a job as the worker last committed it."""

    def __init__(self, tmp_path):
        self.connection = connections["default"]
        self.sqlite = self.connection.vendor == "sqlite"
        settings = self.connection.settings_dict
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"

    def push(self):
        if not self.sqlite:
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.connection.ensure_connection()
        target = sqlite3.connect(self.path)
        self.connection.connection.backup(target)
        target.close()

    def pull(self):
        if not self.sqlite:
            return
        source = sqlite3.connect(self.path)
        source.backup(self.connection.connection)
        source.close()

    def status(self, pk):
        if not self.sqlite:
            return Job.objects.values_list("status", flat=True).get(pk=pk)
        source = sqlite3.connect(self.path)
        try:
            return source.execute("SELECT status FROM jobs_job WHERE id = ?", [pk]).fetchone()[0]
        finally:
            source.close()


@pytest.fixture
def worker_db(transactional_db, tmp_path):
    return WorkerDb(tmp_path)


@pytest.fixture(scope="module", autouse=True)
def _clean_redis():
    yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{QUEUE}:*"):
        client.delete(key)


@pytest.fixture
def queue(settings):
    """The module's own queue and key prefix on Redis database 14, the app pointed at it."""
    settings.DUBAN_BROKER_URL = REDIS_URL
    settings.DUBAN_TASK_QUEUE = QUEUE
    settings.DUBAN_JOB_STALE_SECONDS = STALE_SECONDS
    conf = celery_app.conf
    keys = ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_TRANSPORT_OPTIONS")  # as namespaced
    saved = {key: conf[key] for key in keys}
    _forget_connections()
    conf.update(zip(keys, (REDIS_URL, False, {"global_keyprefix": f"{QUEUE}:"}), strict=True))
    yield QUEUE
    _forget_connections()
    conf.update(saved)


def _forget_connections():
    """Connections and producers made with the settings before (an eager test may have made the
    producer pool on memory://; close() forgets it only when the connection pool was made)."""
    celery_app.close()
    celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(queue, worker_db, tmp_path):
    started = []

    def start():
        env = {
            **os.environ,
            "DATABASE_URL": worker_db.url,
            "DUBAN_BROKER_URL": REDIS_URL,
            "DUBAN_TASK_QUEUE": queue,
            "DB_CONN_MAX_AGE": "0",
        }
        command = [sys.executable, "-m", "tests.slow_worker", "-A", "duban", "worker", "--pool=solo", "-Q", queue]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
        command += ["-n", f"{queue}-{len(started)}@%h"]
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115 (closed at the end)
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        return process

    yield start
    for index, (process, log) in enumerate(started):
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()
        print(f"worker {index}:", (tmp_path / f"worker-{index}.log").read_text()[-3000:])  # shown on failure


def wait_for(condition, timeout=60, what="the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _job(world, rows):
    data = roster(rows)
    return runner.start(
        kind=Job.Kind.ROSTER_IMPORT, owner=world.owner, data=data, filename="花名册.xlsx", rows=rows + 1
    )


def test_it_runs_an_import_in_a_real_worker_with_its_progress(world, login, worker_db, workers):
    village(world)
    client = login(world.owner)
    job = _job(world, 1500)
    assert Job.objects.get(pk=job.pk).status == "queued"  # not run in the request
    worker_db.push()
    workers()
    seen = []

    def done():
        live = progress.read(job.pk)
        if live is not None and (not seen or seen[-1] != live.done):
            seen.append(live.done)
        return seen[-1] if seen else 0

    def finished():
        done()
        return worker_db.status(job.pk) in ("done", "failed")

    wait_for(lambda: done() >= 300, what="progress")
    worker_db.pull()
    bar = client.get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "进行中" in bar and 'max="1501"' in bar and 'value="0"' not in bar
    wait_for(finished)
    worker_db.pull()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.attempts) == ("done", 1500, 1)
    assert job.result["created"] == 1500 and job.result["errors"] == []
    assert Household.objects.count() == 1500
    middle = [done for done in seen if 0 < done < 1500]
    assert len(middle) >= 3 and middle == sorted(middle)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "导入完成" in page and "新建1500条，更新0条，未变0条。" in page


def test_it_keeps_nothing_from_a_killed_worker_and_a_retry_imports_it(world, login, worker_db, workers):
    village(world)
    client = login(world.owner)
    job = _job(world, 3000)
    worker_db.push()
    worker = workers()
    wait_for(lambda: progress.read(job.pk) and progress.read(job.pk).done >= 500, what="progress")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    worker_db.pull()
    assert Household.objects.count() == 0  # the import's transaction never committed
    assert Job.objects.get(pk=job.pk).status == "running"
    time.sleep(STALE_SECONDS + 0.5)  # its heartbeat has stopped
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "失败" in page and "任务没有完成就中断了（后台进程被终止），未保存任何数据。" in page and "重试" in page
    assert Job.objects.get(pk=job.pk).status == "failed"
    client.post(reverse("job", args=[job.pk]), {"retry": "1"})
    assert Job.objects.get(pk=job.pk).status == "queued"
    worker_db.push()
    workers()
    wait_for(lambda: worker_db.status(job.pk) in ("done", "failed"))
    worker_db.pull()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 3000)
    assert Household.objects.count() == 3000
