"""The site's Prometheus figures (prometheus_client), served at /metrics (ops/metrics.py).

Request latency by view, background jobs' durations and the rows per second of imports are
recorded where they happen; the queue's depth and the replica's lag are read when /metrics is
asked for. With several gunicorn workers, PROMETHEUS_MULTIPROC_DIR (an empty folder per server,
made before it starts) lets any worker answer for all of them.
"""

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "duban_request_seconds",
    "Time to answer a request, by view and method",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RESPONSES = Counter("duban_responses_total", "Responses, by view and status class", ["view", "status"])
JOB_SECONDS = Histogram(
    "duban_job_seconds",
    "Time a background job ran, by kind and outcome",
    ["kind", "outcome"],
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
IMPORT_ROWS = Counter("duban_import_rows_total", "Rows read by background imports, by kind", ["kind"])
IMPORT_ROWS_PER_SECOND = Histogram(
    "duban_import_rows_per_second",
    "Rows per second of each background import, by kind",
    ["kind"],
    buckets=(10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000),
)


def job_finished(kind, outcome, seconds, rows=None):
    JOB_SECONDS.labels(kind, outcome).observe(seconds)
    if rows:
        IMPORT_ROWS.labels(kind).inc(rows)
        IMPORT_ROWS_PER_SECOND.labels(kind).observe(rows / max(seconds, 1e-6))
