from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(using, **kwargs):
    from django.db import connections

    from reports import rollups

    rollups.install_triggers(connections[using])


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Weekly reports")

    def ready(self):
        # after every migrate: the triggers that mark units whose figures a write moved
        # (reports/rollups.py); a migration that rebuilds a SQLite table drops its triggers
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="reports:rollup-triggers")
        from reports import rollups

        rollups.subscribe()
