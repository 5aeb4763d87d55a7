"""What the big screen does when data is written: its roll-ups follow the write (duban/hooks.py
is the seam the writers call; DashboardConfig.ready subscribes these)."""

from django.db.models import F
from django.utils import timezone

from duban import hooks

REPORTS = "reports"  # the Mark counting report writes (the data version already says so too)


def reports_changed():
    """Reports need no roll-up (their figures come from campaigns/progress.py). The counter is
    kept for the record; the data version the database keeps already says that it changed."""
    from dashboard.models import Mark

    updated = Mark.objects.filter(name=REPORTS).update(value=F("value") + 1, changed_at=timezone.now())
    if not updated:
        Mark.objects.get_or_create(name=REPORTS, defaults={"value": 1})


def households_changed(village_ids):
    from dashboard import rollups

    rollups.refresh_villages(village_ids)


def projects_changed(unit_ids):
    from dashboard import rollups

    rollups.refresh_units(unit_ids)


def project_rows_written(row_lists):
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


def subscribe():
    hooks.subscribe("reports", reports_changed)
    hooks.subscribe("households", households_changed)
    hooks.subscribe("projects", projects_changed)
    hooks.subscribe("project_rows", project_rows_written)
