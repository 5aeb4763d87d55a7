from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops import backups


class Command(BaseCommand):
    help = (
        "Replace the database's contents and the uploaded files with a backup made by `backup` "
        "(a database-only backup of the earlier format restores the database alone). Stop the web server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, file, database="default", interactive=True, **options):
        try:
            what = backups.check_file(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if interactive:
            if what == "archive":
                question = _(
                    "This replaces everything in the database and all uploaded files with %(file)s. Type yes to go on: "
                )
            else:
                question = _("This replaces everything in the database with %(file)s. Type yes to go on: ")
            if input(question % {"file": file}).strip().lower() != "yes":
                raise CommandError(_("Nothing was restored."))
        try:
            manifest = backups.restore(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if manifest is None:
            self.stdout.write(
                _("Restored the database from %(file)s: a backup of the earlier format, without the uploaded files.")
                % {"file": file}
            )
        else:
            self.stdout.write(
                _("Restored from %(file)s: the database and %(count)s files.")
                % {"file": file, "count": len(manifest["media"])}
            )
