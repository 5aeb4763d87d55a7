"""/healthz for a load balancer: JSON, no log-in.

200 while the site can serve (the primary database answers), 503 when it cannot. The replica,
the cache, the queue and the file store are reported ("status": "degraded" when one of them is
down: the site still serves, reading from the primary and computing figures itself). No
address, URL or password is ever in the answer: the state of each part, and the name of an error.
"""

import os
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from duban import db_router, file_store


def _timed(check):
    start = time.perf_counter()
    try:
        extra = check() or {}
        ok, error = True, ""
    except Exception as err:  # noqa: BLE001 - reported, by name only
        extra, ok, error = {}, False, type(err).__name__
    answer = {"ok": ok, "ms": round((time.perf_counter() - start) * 1000, 1), **extra}
    if error:
        answer["error"] = error
    return answer


def database():
    def check():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _timed(check)


def replica():
    if not db_router.configured():
        return {"configured": False}
    lag, error = db_router.health.measure()
    answer = {
        "configured": True,
        "ok": not error,
        "lag_seconds": None if lag is None else round(lag, 3),
        "in_use": not error and lag <= settings.DUBAN_REPLICA_MAX_LAG_SECONDS,
    }
    if error:
        answer["error"] = error
    return answer


def cache_state():
    def check():
        key = f"healthz:{uuid.uuid4().hex}"
        cache.set(key, 1, timeout=10)
        if cache.get(key) != 1:
            raise RuntimeError("CacheNotKeeping")
        cache.delete(key)
        return {"shared": "Redis" in settings.CACHES["default"]["BACKEND"]}

    return _timed(check)


_brokers = {}


def _broker():
    """A Redis client on the job queue's broker (short timeouts: a load balancer is waiting)."""
    url = settings.DUBAN_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    if url not in _brokers:
        import redis

        _brokers[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _brokers[url]


def queue_depth():
    """Messages waiting in the job queue, or None (no broker, or it does not answer)."""
    if not settings.DUBAN_BROKER_URL:
        return None
    try:
        client = _broker()
        if client is None:
            return None
        name = settings.DUBAN_TASK_QUEUE
        return int(client.llen(f"{name}:{name}"))  # kombu's global_keyprefix, then the queue's list
    except Exception:  # noqa: BLE001
        return None


def queue():
    if not settings.DUBAN_BROKER_URL:
        return {"configured": False, "mode": "eager"}

    def check():
        client = _broker()
        if client is None:
            raise RuntimeError("NotRedis")
        client.ping()
        return {"depth": queue_depth()}

    return {"configured": True, **_timed(check)}


def files():
    """The file store: a folder that must take files (one not made yet is made by the first
    upload), or an object store that must answer (a HEAD of a name nobody writes: "not there" is
    an answer)."""
    storage = file_store.default()
    if file_store.on_disk(storage):

        def check_folder():
            if os.path.exists(storage.location) and not os.access(storage.location, os.W_OK):
                raise PermissionError("NotWritable")

        return {"store": "disk", **_timed(check_folder)}

    def check_bucket():
        storage.exists(".duban-healthz")

    return {"store": "s3", **_timed(check_bucket)}


@never_cache
def healthz(request):
    parts = {
        "database": database(),
        "replica": replica(),
        "cache": cache_state(),
        "queue": queue(),
        "files": files(),
    }
    serving = parts["database"]["ok"]
    others_ok = all(p.get("ok", True) for name, p in parts.items() if name != "database")
    status = "down" if not serving else ("ok" if others_ok else "degraded")
    return JsonResponse({"status": status, **parts}, status=200 if serving else 503)
