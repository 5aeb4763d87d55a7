"""The figure cache shared through Redis (duban/figure_cache.py on Django's RedisCache), sessions
in Redis, and the settings of a several-server deployment (duban/settings.py): real Redis."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import caches

from duban import figure_cache

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379")


def redis_caches(location=REDIS_URL):
    prefix = f"duban-test-{uuid.uuid4().hex[:8]}"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": {**backend, "KEY_PREFIX": prefix + "-fig", "OPTIONS": {"socket_connect_timeout": 1}},
    }


@pytest.fixture
def shared(settings):
    settings.CACHES = redis_caches()
    figure_cache.clear()
    yield caches["figures"]
    figure_cache.clear()


def other_process():
    """What another worker sees: nothing of this process's own entries."""
    figure_cache._entries.clear()


def test_a_value_made_in_one_process_serves_another(shared):
    made = []
    figure_cache.get_or_make(("progress", 1), ("s", 1), lambda: made.append(1) or {"done": 5})
    other_process()
    value = figure_cache.get_or_make(("progress", 1), ("s", 1), lambda: made.append(2) or {"done": 99})
    assert value == {"done": 5} and made == [1]
    # and now it is in this process's front too: no trip to Redis
    shared.clear()
    assert figure_cache.get(("progress", 1), ("s", 1)) == {"done": 5}


def test_a_new_stamp_is_never_served_the_old_value(shared):
    figure_cache.put(("league", 7), ("s", 1), ["old"])
    other_process()
    assert figure_cache.get(("league", 7), ("s", 2)) is None
    assert figure_cache.get(("league", 7), None) is None
    assert figure_cache.get_or_make(("league", 7), ("s", 2), lambda: ["new"]) == ["new"]
    other_process()
    assert figure_cache.get(("league", 7), ("s", 1)) == ["old"]  # the old stamp's entry is its own key
    assert figure_cache.get(("league", 7), ("s", 2)) == ["new"]


def test_big_values_are_stored_compressed(shared):
    rows = [{"unit": f"第{i}村", "done": i, "target": 1000 + i} for i in range(20_000)]
    figure_cache.put(("rows", 1), ("s", 1), rows)
    raw = shared.get(figure_cache.shared_key(("rows", 1), ("s", 1)))
    import pickle

    plain = len(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    assert raw[:1] == figure_cache.COMPRESSED and len(raw) < plain / 3
    small = figure_cache.encode({"a": 1})
    assert small[:1] == figure_cache.PLAIN
    other_process()
    assert figure_cache.get(("rows", 1), ("s", 1)) == rows


def test_one_process_computes_while_the_others_wait(shared):
    calls = []

    def slow():
        calls.append(threading.get_ident())
        time.sleep(0.3)
        return {"total": 42}

    results = []

    def ask():
        results.append(figure_cache.get_or_make(("screen", 1), ("s", 9), slow))
        figure_cache._entries.clear()  # as if each thread were its own process

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"total": 42}] * 4
    assert len(calls) == 1


def test_redis_down_the_figures_are_computed_here(settings):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0")  # nothing listens there
    figure_cache.clear()
    assert figure_cache.get_or_make(("p", 1), ("s", 1), lambda: [1, 2, 3]) == [1, 2, 3]
    other_process()
    assert figure_cache.get(("p", 1), ("s", 1)) is None
    assert figure_cache.get_or_make(("p", 1), ("s", 1), lambda: [4]) == [4]


def test_clear_leaves_the_other_keys_of_the_redis_database(shared):
    client = redis.Redis.from_url(REDIS_URL)
    client.set("someone-else:key", "kept")
    try:
        figure_cache.put(("x", 1), ("s", 1), "v")
        figure_cache.clear()
        other_process()
        assert figure_cache.get(("x", 1), ("s", 1)) is None
        assert client.get("someone-else:key") == b"kept"
    finally:
        client.delete("someone-else:key")


def test_sessions_live_in_redis(settings, world, client):
    prefix = f"duban-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "duban.sessions"
    client.force_login(world.owner)
    key = client.cookies["sessionid"].value
    found = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*{key}")
    assert found, "the session is not in Redis"
    assert client.get("/").status_code == 200


def test_with_redis_down_a_logged_in_user_carries_on_from_the_database(settings, world, client):
    settings.SESSION_ENGINE = "duban.sessions"
    client.force_login(world.owner)  # the session row is in the database (and in the local cache)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get(f"/reports/{world.a.pk}/{world.week.label}/")
    assert response.status_code == 200 and response.context["user"] == world.owner


def settings_of(env, hide=()):
    """Settings read in a fresh interpreter with this environment, with the packages `hide`
    not importable: (return code, output)."""
    code = (
        f"import sys; sys.modules.update(dict.fromkeys({list(hide)!r})); "
        + "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'caches': sorted(s.CACHES), 'backend': s.CACHES['default']['BACKEND'], "
        "'session': s.SESSION_ENGINE, 'routers': s.DATABASE_ROUTERS, 'dbs': sorted(s.DATABASES), "
        "'pool': s.DATABASES['default'].get('OPTIONS', {}).get('pool'), "
        "'throttle': s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']}))"
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
    return done.returncode, done.stdout + done.stderr


def test_without_services_the_site_runs_as_before():
    code, out = settings_of({})
    assert code == 0, out
    assert '"caches": ["default"]' in out and "LocMemCache" in out
    assert '"session": "django.contrib.sessions.backends.db"' in out and '"routers": []' in out


def test_with_redis_and_a_replica_the_settings_share_state():
    code, out = settings_of(
        {
            "DUBAN_REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/duban_x",
            "DUBAN_REPLICA_URL": "postgres://postgres@127.0.0.1:5433/duban_x",
            "DUBAN_DB_POOL": "1",
            "DUBAN_API_RATE": "100/minute",
        }
    )
    assert code == 0, out
    assert '"caches": ["default", "figures"]' in out and "RedisCache" in out
    assert '"session": "duban.sessions"' in out and '"dbs": ["default", "replica"]' in out
    assert "duban.db_router.ReplicaRouter" in out and '"max_size": 8' in out and "100/minute" in out


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DUBAN_CACHE_URL": "memcached://x"}, "DUBAN_CACHE_URL must be a redis:// URL"),
        ({"DUBAN_REPLICA_URL": "postgres://postgres@127.0.0.1:5433/x"}, "DUBAN_REPLICA_URL needs a PostgreSQL primary"),
        (
            {"DATABASE_URL": "postgres://p@127.0.0.1/x", "DUBAN_REPLICA_URL": "mysql://x/y"},
            "DUBAN_REPLICA_URL must be a postgres:// URL",
        ),
        ({"DUBAN_API_RATE": "lots"}, "DUBAN_API_RATE must be like 3000/hour"),
        ({"DUBAN_DB_POOL": "maybe"}, "DUBAN_DB_POOL must be a boolean"),
    ],
)
def test_bad_settings_fail_loudly(env, message):
    code, out = settings_of(env)
    assert code != 0 and message in out


def test_s3_without_django_storages_fails_loudly():
    """A server whose environment asks for S3 but lacks the package refuses to start (here the
    package is hidden from a fresh interpreter, as on a machine that never installed it)."""
    code, out = settings_of({"DUBAN_S3_BUCKET": "duban-files"}, hide=("storages",))
    assert code != 0 and "DUBAN_S3_BUCKET needs django-storages[s3]" in out


def test_the_walls_of_a_reach_share_one_build_of_the_screen_per_version(shared, world, client, monkeypatch):
    from dashboard import screen_data
    from dashboard.models import KioskToken, hash_token
    from tests.conftest import submit

    token = KioskToken(name="指挥中心大屏", unit=world.zone, token_hash=hash_token("k" * 32), hint="kkkkkk")
    token.save()
    builds = []
    real = screen_data.build
    monkeypatch.setattr(screen_data, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    url = "/screen/data.json?kiosk=" + "k" * 32

    first = client.get(url)
    other_process()  # another worker, or the other app server
    second = client.get(url)
    assert first.status_code == second.status_code == 200 and len(builds) == 1
    assert first.content == second.content and first["ETag"] == second["ETag"]

    submit(world.a, world.week, {world.land: 300})  # a report: the data version moves on
    third = client.get(url)
    assert len(builds) == 2 and third["ETag"] != first["ETag"]
    shown = {c["id"]: c["done_pct"] for c in third.json()["campaigns"]}
    before = {c["id"]: c["done_pct"] for c in first.json()["campaigns"]}
    assert shown[world.campaign.pk] != before[world.campaign.pk]
