"""Compare the campaign roll-ups kept by delta (reports/rollups.py) with a full recompute; exit 1
on any difference."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import rollups


class Command(BaseCommand):
    help = "Compare the campaign roll-ups with a full recompute from the base tables."

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=20, help="differences to print")

    def handle(self, *args, show=20, **options):
        rollups.drain()
        found = rollups.differences()
        if not found:
            self.stdout.write(_("The campaign roll-ups agree with a full recompute."))
            return
        self.stdout.write(_("%(n)s differences from a full recompute:") % {"n": len(found)})
        for what, key, kept, computed in found[:show]:
            self.stdout.write(f"  {what} {key}: {kept} ≠ {computed}")
        self.stdout.write(_("Run manage.py rebuild_rollups to recompute them."))
        sys.exit(1)
