from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from requisition import roster


class Command(BaseCommand):
    help = (
        "Import households from a village roster (.xlsx or .xls): 序号, 户主姓名, 身份证号, 联系电话, 村/组, 房屋用途, "
        "合法面积, 无证面积, 土地面积, 补偿方式, 当前阶段. All or nothing; runs as the office."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, file, dry_run=False, **options):
        try:
            result = roster.import_file(file, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(_("There is no file %(file)s.") % {"file": file}) from None
        for line in result.understood:  # what was read: sheets, header rows, columns, counts
            self.stdout.write(line)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(
                _("The file was refused (%(n)s errors); nothing was changed.") % {"n": len(result.errors)}
            )
        for note in result.notes:  # the villagers' groups made (or to be made)
            self.stdout.write(note)
        summary = result.summary()
        if dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
