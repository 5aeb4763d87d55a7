from django.core.management.base import BaseCommand

from demo import loader as demo


class Command(BaseCommand):
    help = "Load the demo data drawn from the seed documents (safe to run twice)."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
