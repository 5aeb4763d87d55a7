from django.core.management.base import BaseCommand

from dashboard import rollups


class Command(BaseCommand):
    help = "Recompute the big screen's roll-ups (village tallies, investment by unit) from the ledgers."

    def handle(self, *args, **options):
        rollups.rebuild()
        self.stdout.write("screen roll-ups rebuilt")
