"""/metrics: the Prometheus figures (duban/metrics.py), and the middleware that times requests.

Answered to a client on loopback (a Prometheus beside the app server; a request that came through
a proxy, with X-Forwarded-For, does not count as loopback), or to one sending
"Authorization: Bearer <DUBAN_METRICS_TOKEN>". Anyone else gets 404, as for a page that is not
there. The queue's depth and the replica's lag are read at the time of asking.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest, multiprocess
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

from duban import metrics
from ops import health

LOOPBACK = ("127.0.0.1", "::1")


class MetricsMiddleware:
    """Times every request by the URL name of its view (not its path: one series per view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else None) or "unmatched"
        metrics.REQUEST_SECONDS.labels(view, request.method).observe(time.perf_counter() - start)
        metrics.RESPONSES.labels(view, f"{response.status_code // 100}xx").inc()
        return response


def allowed(request):
    token = settings.DUBAN_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    return request.META.get("REMOTE_ADDR") in LOOPBACK and "X-Forwarded-For" not in request.headers


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return DEFAULT_REGISTRY


def _now_figures():
    """Gauges read now (in their own registry: they are this moment's, not summed over workers)."""
    registry = CollectorRegistry()
    depth = Gauge("duban_queue_depth", "Background jobs waiting in the queue", registry=registry)
    depth_value = health.queue_depth()
    depth.set(depth_value if depth_value is not None else float("nan"))
    lag = Gauge("duban_replica_lag_seconds", "The replica's replay lag (NaN: none or not answering)", registry=registry)
    replica = health.replica()
    lag.set(replica["lag_seconds"] if replica.get("lag_seconds") is not None else float("nan"))
    return registry


def metrics_view(request):
    if not allowed(request):
        raise Http404
    body = generate_latest(_registry()) + generate_latest(_now_figures())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
