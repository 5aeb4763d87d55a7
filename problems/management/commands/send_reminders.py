from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from problems import channels, reminders


class Command(BaseCommand):
    help = (
        "Send the due reminders (weekly reports, overdue problems and task items, the leaders' daily digest) "
        "by e-mail and to the group robot. Safe to run twice: a reminder is never sent twice; failed ones "
        "are retried on the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="act as if it were this local time (YYYY-MM-DDTHH:MM), for checks")

    def handle(self, *args, **options):
        now = None
        if options["at"]:
            try:
                now = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(f"--at: not a date and time: {options['at']!r} (YYYY-MM-DDTHH:MM)") from None
            if now.tzinfo is None:
                now = now.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if not channels.email_enabled() and not channels.webhook_enabled():
            self.stderr.write("no channel configured (EMAIL_HOST, DUBAN_WEBHOOK_URL): nothing is sent")
        stats = reminders.run(now)
        self.stdout.write(
            f"reminders due: {stats['due']}; sent: {stats['sent']}; failed (retried next run): {stats['failed']}; "
            f"already sent: {stats['skipped']}"
        )
        if stats["failed"]:
            raise CommandError(f"{stats['failed']} delivery(ies) failed; see the log and the sent-log page")
