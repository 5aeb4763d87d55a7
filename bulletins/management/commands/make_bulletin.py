from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bulletins import cli


class Command(BaseCommand):
    help = "Write the weekly supervision bulletin (督查通报) of a campaign as a Word file."

    def add_arguments(self, parser):
        cli.add_common_arguments(parser)
        parser.add_argument("--week", required=True, help="YYYY-Www")
        parser.add_argument("--as-of", help="figures as of this day of the week (YYYY-MM-DD; default its last day)")

    def handle(self, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of 应为 YYYY-MM-DD") from None
        cli.run(self, options, "week", options["week"], as_of)
