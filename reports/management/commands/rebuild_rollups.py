"""Recompute the campaign roll-ups (reports/rollups.py) from the base tables."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import rollups
from reports.models import RollupOwn, RollupWeek


class Command(BaseCommand):
    help = "Recompute the campaign roll-ups from the weekly reports and the ledgers."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rollups.rebuild()
        self.stdout.write(
            _("Campaign roll-ups rebuilt: %(own)s own figures, %(weeks)s campaign rows, %(seconds).1f s")
            % {
                "own": RollupOwn.objects.count(),
                "weeks": RollupWeek.objects.count(),
                "seconds": time.perf_counter() - started,
            }
        )
