import os
import time

from django.core.management.base import BaseCommand, CommandError

from demo.scale import AlreadyThere, Generator


class Command(BaseCommand):
    help = "Fill the database with consistent synthetic data at province scale (see demo/scale.py)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--projects", type=int, default=50_000)
        parser.add_argument("--households", type=int, default=1_000_000)
        parser.add_argument("--weeks", type=int, default=260)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        for name, low in (("units", 10), ("projects", 0), ("households", 0), ("weeks", 2)):
            if options[name] < low:
                raise CommandError(f"--{name} must be at least {low}")
        started = time.perf_counter()

        def say(text):
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {text}")

        generator = Generator(
            options["units"], options["projects"], options["households"], options["weeks"], options["seed"], say=say
        )
        try:
            generator.run(os.environ.get("DUBAN_DEMO_PASSWORD") or "duban-demo")
        except AlreadyThere:
            raise CommandError(
                "This database already holds the scale data (规模测试省); use a fresh database."
            ) from None
        say("done")
