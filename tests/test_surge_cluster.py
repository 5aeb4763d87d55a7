"""A small Friday surge against the real two-server deployment (bench/friday_surge.py on
ops/cluster.py: PostgreSQL primary and streaming replica, Redis, two gunicorn servers, a Celery
worker), with one app server and the replica killed half-way: nothing lost, nothing twice, the
other server keeps answering and reads fall back to the primary. Latency is the bench's business
(bench/friday_surge.py prints it), not this test's."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from ops import cluster

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.cluster


def test_a_small_surge_survives_losing_a_server_and_the_replica():
    if connection.vendor != "postgresql":
        # The deployment is PostgreSQL's whatever the suite runs on: run it once, in the
        # PostgreSQL pass (.ci/run, make test-postgres), not twice.
        pytest.skip("the two-server surge runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://…)")
    reason = cluster.available()
    if reason:
        pytest.skip(f"no streaming replica can be made here: {reason}")
    command = [
        sys.executable,
        str(ROOT / "bench" / "friday_surge.py"),
        "--reporters=30",
        "--screens=10",
        "--leaders=2",
        "--minutes=0.4",
        "--refresh=4",
        "--workers=2",
        "--ports=8121,8122",
        "--database=duban_surge_test",
        "--kill",
        "--clean",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "primary: 30 of 30 sent reports submitted, 0 lost (absent or other figures), 0 duplicated" in out, out
    assert "kill test at" in out and "(SIGKILL) and the replica" in out, out
    after = re.search(r"after the kill: server :8121 answered (\d+) requests, (\d+) failed there", out)
    assert after and int(after.group(1)) > 0 and int(after.group(2)) == 0, out
    healthz = re.search(r"the surviving server's /healthz after the run: (\w+), replica (.*)", out)
    assert healthz and healthz.group(1) == "degraded" and "'in_use': False" in healthz.group(2), out
    # the walls' figures: never behind the primary by more than a refresh
    assert re.search(r"walls: \d+ answers, .*; 0 more than one refresh", out), out
