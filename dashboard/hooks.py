"""One-line hooks the writing modules call, so the screen's roll-ups follow every write.

- reports/entry.py (save_report, return_report): reports_changed()
- requisition/stages.py (advance, step_back): households_changed([village_id])
- projects/views.py (project_edit): projects_changed([unit_id]); projects/excel.py (_write): project_rows_written(…)

Each runs inside the writer's transaction, so a failed write leaves the roll-ups untouched.

Cached campaign figures and the screen's validator do not depend on these hooks: triggers in the
database (dashboard/versions.py) draw a new data version on every write to reports, targets,
campaigns, units, the ledgers, task lists and problems, whoever writes (the admin, the API,
imports, bulk loads, raw SQL).
"""

from django.db.models import F
from django.utils import timezone

from dashboard.models import Mark

REPORTS = "reports"


def reports_changed():
    """Weekly reports were saved, submitted or returned: the screen's data has changed.

    Reports need no roll-up (their figures come from campaigns/progress.py). The counter is
    kept for the record; the data version the database keeps already says that it changed."""
    updated = Mark.objects.filter(name=REPORTS).update(value=F("value") + 1, changed_at=timezone.now())
    if not updated:
        Mark.objects.get_or_create(name=REPORTS, defaults={"value": 1})


def households_changed(village_ids):
    from dashboard import rollups

    rollups.refresh_villages(village_ids)


def projects_changed(unit_ids):
    from dashboard import rollups

    rollups.refresh_units(unit_ids)


def project_rows_written(*row_lists):
    """Projects, annual plans or monthly figures were written in bulk (the Excel import)."""
    from projects.models import Project

    unit_ids, project_ids = set(), set()
    for rows in row_lists:
        for row in rows:
            if isinstance(row, Project):
                unit_ids.add(row.unit_id)
            else:
                project_ids.add(row.project_id)
    unit_ids |= set(Project.objects.filter(pk__in=project_ids).values_list("unit_id", flat=True).distinct())
    if unit_ids:
        projects_changed(unit_ids)
