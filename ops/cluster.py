"""A province deployment on one machine, with real parts: the PostgreSQL primary (already running
on 127.0.0.1:5432), a streaming replica of it made with pg_basebackup on a second port, Redis
(already on 6379, a database number of our own), two gunicorn app servers on two ports and a
Celery worker. For the Friday surge (bench/friday_surge.py) and the small surge test.

    .venv/bin/python -m ops.cluster up --database duban_surge     # start everything, print the ports
    .venv/bin/python -m ops.cluster status
    .venv/bin/python -m ops.cluster down                          # stop what `up` started

No Django here: the script drives the services from outside, as an operator would. What it starts
it records (pids, ports) under the state folder and stops by those pids only.

The primary is never restarted: the only change made to it is a `host replication all
127.0.0.1/32 trust` line added to its pg_hba.conf when no rule allows replication from loopback,
and a configuration reload (pg_reload_conf) so that it takes effect. No replication slot is made
(a forgotten slot would keep WAL on the primary for ever); the replica follows the primary's WAL
stream and is made afresh by `up` when it is not running.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("DUBAN_CLUSTER_DIR", "/var/tmp/duban-cluster"))
PG_BIN = Path(os.environ.get("DUBAN_PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REPLICA_PORT = 5433
REDIS = "redis://127.0.0.1:6379"
CACHE_DB = 11  # ours: the cache, sessions, throttles, figures
BROKER_DB = 12  # ours: the job queue


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def psql(sql, port=PRIMARY["port"], database="postgres"):
    out = run(["psql", "-h", PRIMARY["host"], "-p", str(port), "-U", PRIMARY["user"], "-d", database, "-Atc", sql])
    return out.stdout.strip()


def as_postgres(command):
    """A command run as the postgres user (PostgreSQL refuses to run its server as root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def available():
    """None when a replica can be made here, else the reason it cannot."""
    if not shutil.which("pg_basebackup") and not (PG_BIN / "pg_basebackup").exists():
        return "pg_basebackup is not installed"
    if not (PG_BIN / "postgres").exists():
        return f"no PostgreSQL server binary in {PG_BIN}"
    try:
        if psql("SHOW wal_level") not in ("replica", "logical"):
            return "the primary's wal_level is minimal (a restart with wal_level=replica is needed)"
        if int(psql("SHOW max_wal_senders")) < 1:
            return "the primary's max_wal_senders is 0"
    except (subprocess.CalledProcessError, FileNotFoundError) as err:
        return f"the primary on port {PRIMARY['port']} does not answer: {err}"
    if os.geteuid() != 0 and not shutil.which("runuser"):
        return "not root: cannot run the replica as the postgres user"
    return None


def allow_replication():
    """Make sure the primary lets a replication connection in from loopback (reload, no restart)."""
    rules = psql(
        "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND "
        "('replication' = ANY(database) ) AND (address IS NULL OR address = '127.0.0.1' OR address = 'all')"
    )
    if int(rules):
        return False
    hba = Path(psql("SHOW hba_file"))
    with hba.open("a") as f:
        f.write("\n# duban ops/cluster.py: the local streaming replica\nhost replication all 127.0.0.1/32 trust\n")
    psql("SELECT pg_reload_conf()")
    time.sleep(0.5)
    return True


def replica_dir(port):
    return STATE / f"replica-{port}"


def replica_running(port):
    try:
        return psql("SELECT pg_is_in_recovery()", port=port) == "t"
    except subprocess.CalledProcessError:
        return False


def start_replica(port=REPLICA_PORT):
    """A streaming replica on `port` (made afresh unless one is already running there); its pid."""
    data = replica_dir(port)
    if replica_running(port):
        return _postmaster_pid(data)
    allow_replication()
    if data.exists():
        shutil.rmtree(data)
    STATE.mkdir(parents=True, exist_ok=True)
    data.mkdir(mode=0o700)
    shutil.chown(data, "postgres", "postgres")
    began = time.monotonic()
    run(
        as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                "-h",
                PRIMARY["host"],
                "-p",
                str(PRIMARY["port"]),
                "-U",
                PRIMARY["user"],
                "-D",
                str(data),
                "-X",
                "stream",
                "-c",
                "fast",
                "-R",  # standby.signal and primary_conninfo
            ]
        )
    )
    # Debian keeps the configuration out of the data folder: the replica gets its own.
    (data / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{data}'\n"
        "hot_standby = on\nhot_standby_feedback = on\nmax_standby_streaming_delay = 5s\n"
        "max_connections = 100\nshared_buffers = 128MB\nfsync = on\nlogging_collector = off\n"
        f"hba_file = '{data}/pg_hba.conf'\nident_file = '{data}/pg_ident.conf'\n"
    )
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        shutil.chown(data / name, "postgres", "postgres")
    log = open(STATE / f"replica-{port}.log", "ab")  # noqa: SIM115 - the server's own log, kept open
    subprocess.Popen(
        as_postgres([str(PG_BIN / "postgres"), "-D", str(data)]), stdout=log, stderr=log, start_new_session=True
    )
    for _ in range(150):
        if replica_running(port):
            print(f"replica on {port}: made in {time.monotonic() - began:.1f} s", file=sys.stderr)
            return _postmaster_pid(data)
        time.sleep(0.2)
    raise RuntimeError(f"the replica on port {port} did not come up; see {STATE}/replica-{port}.log")


def _postmaster_pid(data):
    return int((data / "postmaster.pid").read_text().split()[0])


def kill_replica(port=REPLICA_PORT, how=signal.SIGQUIT):
    """Stop the replica (SIGQUIT: an immediate shutdown, as a crash; SIGINT: a fast clean one)."""
    pid_file = replica_dir(port) / "postmaster.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(_postmaster_pid(replica_dir(port)), how)
        for _ in range(100):
            if not replica_running(port):
                return
            time.sleep(0.1)


def replica_lag_bytes(port=REPLICA_PORT):
    replayed = psql("SELECT pg_last_wal_replay_lsn()", port=port)
    return int(float(psql(f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{replayed}')")))


def service_env(database, replica_port=REPLICA_PORT, prefix="duban-cluster", extra=None):
    """The environment of an app server or worker of the cluster."""
    primary = f"postgres://{PRIMARY['user']}@{PRIMARY['host']}:{PRIMARY['port']}/{database}"
    env = {
        **os.environ,
        "DATABASE_URL": primary,
        "DUBAN_DB_POOL": "1",
        "DUBAN_REDIS_URL": f"{REDIS}/{CACHE_DB}",
        "DUBAN_CACHE_PREFIX": prefix,
        "DUBAN_BROKER_URL": f"{REDIS}/{BROKER_DB}",
        "DUBAN_TASK_QUEUE": prefix,
        "DEBUG": "false",
        # one build of the screen per reach per 5 s, however fast the reports come (README)
        "DUBAN_SCREEN_SETTLE_SECONDS": os.environ.get("DUBAN_SCREEN_SETTLE_SECONDS", "5"),
    }
    if replica_port:
        env["DUBAN_REPLICA_URL"] = f"postgres://{PRIMARY['user']}@{PRIMARY['host']}:{replica_port}/{database}"
    env.update(extra or {})
    return env


def start_app_server(port, env, workers=3, threads=2):
    """gunicorn on 127.0.0.1:port; the Popen (its own process group)."""
    metrics_dir = STATE / f"prometheus-{port}"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    log = open(STATE / f"gunicorn-{port}.log", "ab")  # noqa: SIM115
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "duban.wsgi:application",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=60",
        "--keep-alive=20",  # longer than a client's pause between requests
        "--log-level=warning",
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def start_worker(env, concurrency=1):
    log = open(STATE / "celery.log", "ab")  # noqa: SIM115
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "duban",
        "worker",
        "-Q",
        env["DUBAN_TASK_QUEUE"],
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def wait_http(port, path="/healthz", seconds=60):
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:  # noqa: S310
                return json.loads(response.read())
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port}")


def stop(process, how=signal.SIGTERM, timeout=30):
    """Stop a Popen started here, with its process group."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, how)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def migrate(env):
    run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env)


def ensure_database(database):
    if psql(f"SELECT count(*) FROM pg_database WHERE datname = '{database}'") == "0":
        psql(f'CREATE DATABASE "{database}"')


def up(database, ports=(8101, 8102), replica_port=REPLICA_PORT, workers=3):
    """Everything started; the state (pids, ports) written to STATE/state.json and returned."""
    reason = available()
    if reason:
        raise SystemExit(f"cannot start the cluster: {reason}")
    ensure_database(database)
    env = service_env(database, replica_port)
    migrate({k: v for k, v in env.items() if k != "DUBAN_REPLICA_URL"})
    replica_pid = start_replica(replica_port)
    servers = [start_app_server(port, env, workers=workers) for port in ports]
    worker = start_worker(env)
    for port in ports:
        wait_http(port)
    state = {
        "database": database,
        "replica": {"port": replica_port, "pid": replica_pid, "data": str(replica_dir(replica_port))},
        "servers": [{"port": port, "pid": s.pid} for port, s in zip(ports, servers, strict=True)],
        "worker": {"pid": worker.pid},
        "redis": {"cache": f"{REDIS}/{CACHE_DB}", "broker": f"{REDIS}/{BROKER_DB}"},
    }
    (STATE / "state.json").write_text(json.dumps(state, indent=2))
    return state


def down():
    path = STATE / "state.json"
    if not path.exists():
        print("nothing recorded as started")
        return
    state = json.loads(path.read_text())
    for pid in [s["pid"] for s in state["servers"]] + [state["worker"]["pid"]]:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    kill_replica(state["replica"]["port"], signal.SIGINT)
    path.unlink()
    print("stopped: app servers, worker, replica")


def status():
    path = STATE / "state.json"
    state = json.loads(path.read_text()) if path.exists() else None
    if state is None:
        print("nothing recorded as started")
        return
    for server in state["servers"]:
        try:
            health = wait_http(server["port"], seconds=2)
            print(f"app server :{server['port']}: {health['status']}, replica {health['replica']}")
        except RuntimeError:
            print(f"app server :{server['port']}: not answering")
    port = state["replica"]["port"]
    if replica_running(port):
        print(f"replica :{port}: streaming, {replica_lag_bytes(port)} bytes behind")
    else:
        print(f"replica :{port}: down")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--database", default="duban_cluster")
    parser.add_argument("--ports", default="8101,8102")
    parser.add_argument("--replica-port", type=int, default=REPLICA_PORT)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per app server (2 threads each)")
    args = parser.parse_args()
    if args.action == "up":
        ports = tuple(int(p) for p in args.ports.split(","))
        print(json.dumps(up(args.database, ports, args.replica_port, args.workers), indent=2))
    elif args.action == "down":
        down()
    else:
        status()


if __name__ == "__main__":
    main()
