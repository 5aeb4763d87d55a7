from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into one .tar.gz with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: DUBAN_BACKUP_DIR/duban-<time>.tar.gz)")
        parser.add_argument("--database", default="default")

    def handle(self, out=None, database="default", **options):
        try:
            path = backups.backup(out or backups.default_path(database), database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        size = path.stat().st_size
        self.stdout.write(_("Backup written to %(file)s (%(size)s bytes).") % {"file": path, "size": size})
