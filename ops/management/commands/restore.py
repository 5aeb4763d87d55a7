from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops import backups


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `backup`. Stop the web server first."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, file, database="default", interactive=True, **options):
        try:
            backups.check_file(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if interactive:
            answer = input(
                _("This replaces everything in the database with %(file)s. Type yes to go on: ") % {"file": file}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing was restored."))
        try:
            backups.restore(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Restored from %(file)s.") % {"file": file})
