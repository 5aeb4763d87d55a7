"""Reads that may lag go to the PostgreSQL replica (settings.DUBAN_REPLICA_URL), everything else
to the primary.

Which reads may lag is decided per request, by the view (ReplicaMiddleware.process_view): a GET
or HEAD of the big screen, an Excel export, or one of the API's lists — pages where a figure a few
seconds old is as good as a fresh one. Every other request reads from the primary, and every
write goes there, always.

A user who has just written (any POST, PUT, PATCH or DELETE) gets a cookie that keeps their reads
on the primary for DUBAN_REPLICA_PIN_SECONDS: they see their own report on the screen at once.

The replica is left aside (reads go to the primary) while it does not answer or lags more than
DUBAN_REPLICA_MAX_LAG_SECONDS; each process looks again every DUBAN_REPLICA_CHECK_SECONDS. When the
replica fails during a request, the request (a GET: nothing was written) is answered again from
the primary, and the replica is marked down.

Once a request routed to the replica writes anything, its further reads go to the primary.
Code that derives data and writes it should read what it derives from on the primary (with
`.using("default")` or inside `transaction.atomic()` on it); the screen's roll-up catch-up
recomputes whole villages, so a read a little behind costs a second catch-up, not a wrong figure.

Without DUBAN_REPLICA_URL the router is not installed and the middleware does nothing.
"""

import contextlib
import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "duban_primary"
# URL names of the views whose reads may lag; names ending with "_export" too.
LAGGING_VIEWS = {
    "screen",
    "screen_data",
    "api_units",
    "api_campaigns",
    "api_targets",
    "api_reports",
    "api_projects",
    "api_households",
    "api_problems",
}
# On the replica: where its replay stands and how old the last replayed transaction is.
REPLICA_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
)
# On the primary: how many bytes of WAL the replica has still to replay.
BEHIND_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)"

_use_replica = contextvars.ContextVar("duban_use_replica", default=False)


def read_primary():
    """From here on, this request reads the primary: code that derives data from what it reads
    and writes the result (the campaign roll-ups' drain, reports/rollups.py) must not read a
    replica a little behind, or it would apply a delta the primary has already applied."""
    _use_replica.set(False)


def configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        # A request that writes (the screen's bookkeeping, a kiosk key's "last used") reads the
        # rest of its data from the primary: what it derives and writes must not come from a
        # replica a little behind.
        if _use_replica.get():
            _use_replica.set(False)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class Health:
    """The replica's state as this process last saw it: (usable, lag in seconds or None, error)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked = 0.0
        self.usable = False
        self.lag = None
        self.error = ""

    def measure(self):
        """Ask the replica for its lag now: (lag seconds, error text)."""
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(REPLICA_SQL)
                recovering, replayed, age = cursor.fetchone()
        except DatabaseError as err:
            _close_replica()
            return None, type(err).__name__
        if not recovering:
            return None, "not a replica (not in recovery)"
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(BEHIND_SQL, [replayed])
                (behind,) = cursor.fetchone()
        except DatabaseError as err:
            return None, "primary: " + type(err).__name__
        # Nothing left to replay: no lag, however long ago the last write was.
        return (0.0 if behind <= 0 else float(age)), ""

    def current(self):
        now = time.monotonic()
        with self.lock:
            fresh = now - self.checked < settings.DUBAN_REPLICA_CHECK_SECONDS
            if fresh:
                return self.usable
            self.checked = now  # one thread looks; the others use the last answer meanwhile
        lag, error = self.measure()
        usable = not error and lag <= settings.DUBAN_REPLICA_MAX_LAG_SECONDS
        with self.lock:
            if usable != self.usable:
                log.warning("replica %s (lag %s, %s)", "in use" if usable else "left aside", lag, error or "ok")
            self.usable, self.lag, self.error = usable, lag, error
        return usable

    def mark_down(self, error):
        with self.lock:
            self.usable, self.error, self.checked = False, error, time.monotonic()


health = Health()


def _close_replica():
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def may_lag(request):
    match = getattr(request, "resolver_match", None)
    if request.method not in ("GET", "HEAD") or match is None:
        return False
    name = match.url_name or ""
    return name in LAGGING_VIEWS or name.endswith("_export")


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        token = _use_replica.set(False)
        try:
            response = self.get_response(request)
            if getattr(request, "_duban_replica_failed", None):
                # The replica went away during this GET: answer it again from the primary.
                health.mark_down(request._duban_replica_failed)
                _close_replica()
                _use_replica.set(False)
                request._duban_replica_failed = None
                response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and settings.DUBAN_REPLICA_PIN_SECONDS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DUBAN_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not configured():
            return None
        if may_lag(request) and PIN_COOKIE not in request.COOKIES and health.current():
            _use_replica.set(True)
            # Set after authentication: the session and the user were read from the primary.
        return None

    def process_exception(self, request, exception):
        if _use_replica.get() and isinstance(exception, DatabaseError) and not _primary_failed():
            request._duban_replica_failed = type(exception).__name__
        return None


def _primary_failed():
    """Whether the failure was the primary's own (then answering again would not help)."""
    try:
        connections["default"].ensure_connection()
        return False
    except DatabaseError:
        return True


def replica_in_use():
    """Whether this request's reads go to the replica (for /healthz and the tests)."""
    return _use_replica.get()
