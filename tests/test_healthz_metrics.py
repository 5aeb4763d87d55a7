"""/healthz (for a load balancer) and /metrics (for Prometheus): ops/health.py, ops/metrics.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import UserRateThrottle

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["owner", "colleague", "outsider", "office", "leader", "other_office"]


@pytest.mark.django_db
def test_healthz_answers_without_log_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["ms"] >= 0
    assert body["replica"] == {"configured": False}
    assert body["cache"]["ok"] is True
    assert body["queue"] == {"configured": False, "mode": "eager"}
    assert body["files"]["store"] == "disk" and body["files"]["ok"] is True
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("role", ROLES)
def test_healthz_is_the_same_for_everyone(world, client, role):
    client.force_login(getattr(world, role))
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broken_queue_as_degraded_and_leaks_nothing(client, settings):
    settings.DUBAN_BROKER_URL = "redis://:s3cret-pass@127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 200  # the site still serves
    body = response.json()
    assert body["status"] == "degraded" and body["queue"]["ok"] is False and body["queue"]["error"]
    text = response.content.decode()
    assert "s3cret" not in text and "127.0.0.1" not in text and "redis://" not in text


def _healthz_in_a_process(env):
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DATABASE_URL"))}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "duban.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = done.stdout.split("\n", 1)
    return int(status), body


def test_healthz_is_503_when_the_primary_is_down():
    # a PostgreSQL primary on a port where nothing listens, with a password in its URL
    status, body = _healthz_in_a_process({"DATABASE_URL": "postgres://duban:pw-secret@127.0.0.1:1/duban"})
    assert status == 503
    data = json.loads(body)
    assert data["status"] == "down" and data["database"]["ok"] is False
    assert data["database"]["error"] == "OperationalError"
    assert "pw-secret" not in body and "127.0.0.1" not in body


def test_healthz_reports_a_replica_that_does_not_answer():
    primary = os.environ.get("DUBAN_TEST_PRIMARY", "postgres://postgres@127.0.0.1:5432/postgres")
    status, body = _healthz_in_a_process(
        {"DATABASE_URL": primary, "DUBAN_REPLICA_URL": "postgres://postgres@127.0.0.1:1/postgres"}
    )
    if status == 503:
        pytest.skip("no PostgreSQL primary on 127.0.0.1:5432")
    data = json.loads(body)
    assert status == 200 and data["status"] == "degraded"
    assert data["replica"]["configured"] is True and data["replica"]["ok"] is False
    assert data["replica"]["in_use"] is False


@pytest.mark.django_db
def test_metrics_from_loopback(client):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'duban_request_seconds_count{method="GET",view="healthz"}' in text
    assert "duban_queue_depth" in text and "duban_job_seconds" in text and "duban_import_rows_per_second" in text


@pytest.mark.django_db
def test_metrics_refused_from_elsewhere(client, settings):
    settings.DUBAN_METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # through a proxy on the same machine: not loopback
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_logged_in_user_does_not_get_the_metrics(world, client, role):
    client.force_login(getattr(world, role))
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


@pytest.mark.django_db
def test_metrics_with_the_token(client, settings):
    settings.DUBAN_METRICS_TOKEN = "t" * 40
    ok = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer " + "t" * 40)
    assert ok.status_code == 200 and b"duban_request_seconds" in ok.content
    wrong = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer " + "u" * 40)
    assert wrong.status_code == 404


def test_a_background_job_is_timed(world, settings, tmp_path, monkeypatch):
    """A roster import run as a job (eager mode) lands in the job histogram and the rows figures."""
    from prometheus_client import REGISTRY

    from jobs import runner
    from jobs.models import Job

    before = REGISTRY.get_sample_value(
        "duban_job_seconds_count", {"kind": Job.Kind.ROSTER_IMPORT, "outcome": "refused"}
    )
    job = runner.start(
        kind=Job.Kind.ROSTER_IMPORT, owner=world.office, data=b"not a workbook", filename="x.xlsx", rows=1
    )
    job.refresh_from_db()
    after = REGISTRY.get_sample_value("duban_job_seconds_count", {"kind": Job.Kind.ROSTER_IMPORT, "outcome": "refused"})
    assert job.status == Job.Status.DONE
    assert (after or 0) == (before or 0) + 1


@pytest.mark.django_db
def test_api_requests_are_throttled_in_the_cache(client, world, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client.force_login(world.office)
    codes = [client.get("/api/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    from django.core.cache import cache

    assert cache.get(f"throttle_user_{world.office.pk}") is not None
