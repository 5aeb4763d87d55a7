from django.core.management.base import BaseCommand

from bulletins import cli


class Command(BaseCommand):
    help = (
        "Write a roll-up document of a campaign as a Word file: monthly summary, quarterly statement, "
        "half-year or annual review."
    )

    def add_arguments(self, parser):
        cli.add_common_arguments(parser)
        parser.add_argument("--kind", required=True, choices=["month", "quarter", "half", "year"])
        parser.add_argument("--key", required=True, help="2021-05, 2021-Q2, 2021-H1 or 2021")

    def handle(self, **options):
        cli.run(self, options, options["kind"], options["key"])
