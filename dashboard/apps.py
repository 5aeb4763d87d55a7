from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(using, **kwargs):
    from django.db import connections

    from duban import versions

    versions.install_triggers(connections[using])


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Big screen")

    def ready(self):
        # after every migrate (and every test-database flush): a migration that rebuilds a
        # SQLite table drops its triggers (duban/versions.py)
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="dashboard:version-triggers")
        from dashboard import subscriptions

        subscriptions.subscribe()
