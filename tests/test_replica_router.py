"""Reads that may lag go to a real PostgreSQL streaming replica (duban/db_router.py, started by
ops/cluster.py); a user's own reads are pinned to the primary after their write; a replica that
lags past the limit, or does not answer, is left aside.

The replica is made to lag for real: its WAL replay is paused (pg_wal_replay_pause) while the
primary takes a report, so the replica shows the old figures until replay resumes."""

import time

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from duban import db_router
from ops import cluster
from tests.conftest import submit

pytestmark = [pytest.mark.cluster, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")]


@pytest.fixture(scope="module")
def replica_port():
    if connection.vendor != "postgresql":
        pytest.skip("the replica router needs a PostgreSQL primary (run with DATABASE_URL=postgres://…)")
    reason = cluster.available()
    if reason:
        pytest.skip(f"no streaming replica can be made here: {reason}")
    started = not cluster.replica_running(cluster.REPLICA_PORT)
    cluster.start_replica(cluster.REPLICA_PORT)
    yield cluster.REPLICA_PORT
    if started:
        cluster.kill_replica(cluster.REPLICA_PORT)


@pytest.fixture
def routed(replica_port, transactional_db, settings):
    """The replica alias and the router, as DUBAN_REPLICA_URL would set them, on the test database."""
    replica = {**connections["default"].settings_dict, "PORT": str(replica_port), "CONN_MAX_AGE": 0}
    replica["OPTIONS"] = {k: v for k, v in replica.get("OPTIONS", {}).items() if k != "pool"}
    # A connection made here, not from the settings: the test case allows only the aliases it
    # knows, and "dynamically created connections" (not in connections.settings).
    backend = load_backend(replica["ENGINE"])
    connections._connections.replica = backend.DatabaseWrapper(replica, "replica")
    settings.DATABASES = {**settings.DATABASES, "replica": replica}  # what db_router.configured() reads
    settings.DATABASE_ROUTERS = ["duban.db_router.ReplicaRouter"]
    settings.DUBAN_REPLICA_CHECK_SECONDS = 1
    settings.DUBAN_REPLICA_MAX_LAG_SECONDS = 30
    db_router.health.checked = 0.0
    yield replica
    _replica_sql("SELECT pg_wal_replay_resume()", replica_port)
    connections["replica"].close()
    delattr(connections._connections, "replica")
    db_router.health.checked = 0.0


def _replica_sql(sql, port):
    return cluster.psql(sql, port=port)


def caught_up(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cluster.replica_lag_bytes(port) <= 0:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


def shown(client, **extra):
    response = client.get("/screen/data.json", **extra)
    assert response.status_code == 200
    return response.json()["campaigns"][0]["done_pct"]


def test_the_screen_reads_the_replica_and_a_writer_reads_the_primary(routed, world, client, replica_port):
    client.force_login(world.leader)
    caught_up(replica_port)
    before = shown(client)
    _replica_sql("SELECT pg_wal_replay_pause()", replica_port)
    submit(world.a, world.week, {world.land: 80, world.households: 40})  # on the primary
    assert shown(client) == before  # from the paused replica
    client.cookies[db_router.PIN_COOKIE] = "1"
    after = shown(client)
    assert after > before  # pinned: from the primary
    del client.cookies[db_router.PIN_COOKIE]
    _replica_sql("SELECT pg_wal_replay_resume()", replica_port)
    caught_up(replica_port)
    assert shown(client) == after


def test_a_write_left_to_the_reader_is_drained_from_the_primary_not_the_replica(routed, world, client, replica_port):
    """A write that no hook drained (raw SQL, the admin) is drained by the next reader; a reader
    routed to a replica a little behind must read the deltas on the primary, or it would miss
    them or count them twice. The figures it shows come with the replica's stamp."""
    from reports import rollups
    from reports.models import ReportValue

    client.force_login(world.leader)
    submit(world.a, world.week, {world.land: 80, world.households: 40})
    caught_up(replica_port)
    before = shown(client)
    _replica_sql("SELECT pg_wal_replay_pause()", replica_port)
    ReportValue.objects.filter(report__unit=world.a, indicator=world.land).update(amount=95)  # no hook
    assert shown(client) == before  # the replica's figures under the replica's stamp
    _replica_sql("SELECT pg_wal_replay_resume()", replica_port)
    caught_up(replica_port)
    after = shown(client)  # a new stamp on the replica: drained on the primary, then shown
    assert after > before
    assert rollups.differences() == []


def test_a_post_pins_the_writer_to_the_primary(routed, world, client, settings):
    settings.DUBAN_REPLICA_PIN_SECONDS = 15
    client.force_login(world.owner)
    response = client.post(f"/reports/{world.a.pk}/{world.week.label}/", {})
    pin = response.cookies.get(db_router.PIN_COOKIE)
    assert pin is not None and pin["max-age"] == 15 and pin["httponly"]
    assert client.get("/healthz").cookies.get(db_router.PIN_COOKIE) is None  # a GET does not pin


def test_a_replica_lagging_past_the_limit_is_left_aside(routed, world, client, replica_port, settings):
    client.force_login(world.leader)
    caught_up(replica_port)
    before = shown(client)
    _replica_sql("SELECT pg_wal_replay_pause()", replica_port)
    time.sleep(1.2)  # the last replayed transaction grows old
    submit(world.b, world.week, {world.land: 150, world.households: 30})
    settings.DUBAN_REPLICA_MAX_LAG_SECONDS = 1
    time.sleep(1.1)  # past the health check's interval
    health = client.get("/healthz").json()["replica"]
    assert health["ok"] is True and health["lag_seconds"] > 1 and health["in_use"] is False
    assert shown(client) > before  # left aside: from the primary
    assert db_router.health.usable is False


def test_a_replica_that_does_not_answer_is_left_aside(routed, world, client, settings):
    connections["replica"].close()
    connections["replica"].settings_dict["PORT"] = "1"  # nothing listens there
    client.force_login(world.leader)
    submit(world.a, world.week, {world.land: 10, world.households: 5})
    assert shown(client) > 0  # from the primary
    health = client.get("/healthz").json()
    assert health["status"] == "degraded" and health["replica"]["ok"] is False


def test_pages_that_must_be_fresh_never_read_the_replica(routed, world, client, replica_port):
    client.force_login(world.owner)
    caught_up(replica_port)
    _replica_sql("SELECT pg_wal_replay_pause()", replica_port)
    report = submit(world.a, world.week, {world.land: 33, world.households: 3})
    page = client.get(f"/reports/{world.a.pk}/{world.week.label}/")
    assert page.status_code == 200 and page.context["report"] == report  # the paused replica has none
    api = client.get("/api/reports/")  # an API list may lag: from the replica, without it
    assert api.status_code == 200 and report.pk not in [r["id"] for r in api.json()["results"]]
