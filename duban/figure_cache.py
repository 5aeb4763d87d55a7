"""A cache of computed campaign figures, each kept with the stamp of the data it was computed from
(duban/versions.py) and used only while the data bears that stamp.

Two layers:

- in each process, a small LRU of the values themselves: a cached figure costs nothing to read
  (no query, no decoding), and the version (one query) tells every worker at once when the data
  has changed;
- when the site has a shared cache (settings.CACHES["figures"], Django's RedisCache, set by
  DUBAN_REDIS_URL or DUBAN_CACHE_URL), behind it the same values pickled (and compressed when
  big) under a key made of the entry's key *and* its stamp: one computation serves every worker
  of every app server. A key with a stale stamp is never asked for again and expires.

While one process computes a value for a stamp, the others asking for the same one wait for it
(a short lock in the shared cache) rather than computing it too — after a write on a Friday,
every screen on the wall asks at once.

A version is made of random numbers the database draws on every write and never reuses, so a
stamp can never be mistaken for another state of the data, even after a rollback.

Stamps are as narrow as the data allows: a campaign's layout (targets, units, indicators) is
kept while campaigns and the org tree are unchanged, whatever reports come in; the figures of a
campaign that counts weekly reports only are kept when a household is stepped in the field.

The shared cache is a help, never a need: when Redis does not answer, the process computes the
value itself (and logs once a minute).
"""

import hashlib
import logging
import pickle
import threading
import time
import zlib
from collections import OrderedDict

from django.conf import settings

log = logging.getLogger(__name__)

# Entries per process: campaigns' layouts, figures for a week, progress as of a date, league
# tables. Those of a province-wide campaign weigh a few megabytes each.
SIZE = 128  # (was 32: the 20 running campaigns of a province evicted their own layouts)
ALIAS = "figures"
# Pickles above this many bytes are stored zlib-compressed (level 1: fast; figures compress ~5×).
COMPRESS_ABOVE = 32 * 1024
# How long a process waits for another one computing the same value, and how long the lock lasts.
WAIT_SECONDS = 10
LOCK_SECONDS = 30

_entries = OrderedDict()
_lock = threading.Lock()
_last_failure = [0.0]

PLAIN = b"p"
COMPRESSED = b"z"


def shared():
    """The shared cache (a Django cache) or None when the site has none."""
    if ALIAS not in settings.CACHES:
        return None
    from django.core.cache import caches

    return caches[ALIAS]


def shared_key(key, stamp):
    return "fig:" + hashlib.sha256(repr((key, stamp)).encode()).hexdigest()[:40]


def encode(value):
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if len(blob) > COMPRESS_ABOVE:
        return COMPRESSED + zlib.compress(blob, 1)
    return PLAIN + blob


def decode(data):
    kind, blob = data[:1], data[1:]
    if kind == COMPRESSED:
        blob = zlib.decompress(blob)
    return pickle.loads(blob)  # noqa: S301 - written only by this module, in our own Redis


def _failed(action, err):
    now = time.monotonic()
    if now - _last_failure[0] > 60:
        _last_failure[0] = now
        log.warning("figure cache: the shared cache did not %s (%s); computing in this process", action, err)


def _local_get(key, stamp):
    with _lock:
        entry = _entries.get(key)
        if entry is None or entry[0] != stamp:
            return None
        _entries.move_to_end(key)
        return entry[1]


def _local_put(key, stamp, value):
    with _lock:
        _entries[key] = (stamp, value)
        _entries.move_to_end(key)
        while len(_entries) > SIZE:
            _entries.popitem(last=False)


def _shared_get(cache, key, stamp):
    try:
        data = cache.get(shared_key(key, stamp))
    except Exception as err:  # noqa: BLE001 - Redis down or unreachable: work without it
        _failed("answer", err)
        return None
    return None if data is None else decode(data)


def _shared_put(cache, key, stamp, value):
    try:
        cache.set(shared_key(key, stamp), encode(value))
    except Exception as err:  # noqa: BLE001
        _failed("store", err)


def get(key, stamp):
    """The value stored under `key` with this stamp, or None (always None for a None stamp:
    the version could not be told)."""
    if stamp is None:
        return None
    value = _local_get(key, stamp)
    if value is None:
        cache = shared()
        if cache is not None:
            value = _shared_get(cache, key, stamp)
            if value is not None:
                _local_put(key, stamp, value)
    return value


def put(key, stamp, value):
    if stamp is None:
        return
    _local_put(key, stamp, value)
    cache = shared()
    if cache is not None:
        _shared_put(cache, key, stamp, value)


def get_or_make(key, stamp, make):
    """The value stored under `key` with this stamp, else `make()`, stored with it. With a shared
    cache, one process makes it while the others asking for the same stamp wait for it."""
    value = get(key, stamp)
    if value is not None:
        return value
    cache = shared()
    if cache is None or stamp is None:
        value = make()
        put(key, stamp, value)
        return value
    lock = shared_key(key, stamp) + ":making"
    try:
        mine = cache.add(lock, 1, timeout=LOCK_SECONDS)
    except Exception as err:  # noqa: BLE001
        _failed("lock", err)
        mine = True
    if not mine:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            value = _shared_get(cache, key, stamp)
            if value is not None:
                _local_put(key, stamp, value)
                return value
    try:
        value = make()
        put(key, stamp, value)
    finally:
        if mine:
            try:
                cache.delete(lock)
            except Exception as err:  # noqa: BLE001
                _failed("unlock", err)
    return value


def clear():
    """Empty this process's entries and the shared ones (tests; a restore)."""
    with _lock:
        _entries.clear()
    cache = shared()
    if cache is not None:
        try:
            # Not cache.clear(): on Redis that is FLUSHDB, and the database may hold other keys.
            client = cache._cache.get_client(write=True)
            for name in client.scan_iter(match=cache.make_key("fig:*"), count=1000):
                client.delete(name)
        except Exception as err:  # noqa: BLE001
            _failed("clear", err)
