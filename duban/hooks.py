"""One-line hooks the writing modules call, so that derived data follows every write.

- reports/entry.py (save_report, return_report): reports_changed()
- requisition/stages.py (advance, step_back), the roster import: households_changed([village_id])
- projects/views.py (project_edit): projects_changed([unit_id]); projects/excel.py (_write):
  project_rows_written(…)

The floor knows nothing of who keeps derived data: an app that does subscribes in its
AppConfig.ready (the big screen's roll-ups: dashboard/subscriptions.py). This is the documented
seam by which a write in a lower app reaches a higher one without importing it. Each subscriber
runs inside the writer's transaction, so a failed write leaves the roll-ups untouched.

Cached campaign figures and the screen's validator do not depend on these hooks: triggers in the
database (duban/versions.py) draw a new data version on every write to reports, targets,
campaigns, units, the ledgers, task lists and problems, whoever writes (the admin, the API,
imports, bulk loads, raw SQL).
"""

EVENTS = ("reports", "households", "projects", "project_rows")
_subscribers = {event: [] for event in EVENTS}


def subscribe(event, function):
    """Call `function` on `event` (idempotent: a function is subscribed once)."""
    if function not in _subscribers[event]:
        _subscribers[event].append(function)


def _emit(event, *args):
    for function in _subscribers[event]:
        function(*args)


def reports_changed():
    """Weekly reports were saved, submitted or returned."""
    _emit("reports")


def households_changed(village_ids):
    """Households of these villages were stepped, imported or corrected."""
    _emit("households", village_ids)


def projects_changed(unit_ids):
    """Projects of these units changed (a month's figures, a milestone)."""
    _emit("projects", unit_ids)


def project_rows_written(*row_lists):
    """Projects, annual plans or monthly figures were written in bulk (the Excel import)."""
    _emit("project_rows", row_lists)
