from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.spreadsheet.wording import MONEY_UNITS
from projects import excel


class Command(BaseCommand):
    help = (
        "Import key projects from an Excel file (.xlsx or .xls): the progress table (one row per project) "
        "or the monthly figures (one row per project and month). All or nothing; runs as the office."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--year", type=int, help="year of the table's figures (needed when the file names none)")
        parser.add_argument(
            "--month",
            type=int,
            help="month of the table's 本月完成, 1-12 (needed when the file names none)",
        )
        parser.add_argument("--layout", choices=excel.LAYOUTS, help="default: recognised from the headers")
        parser.add_argument(
            "--unit",
            choices=list(MONEY_UNITS),
            help="unit of money for columns the file gives none for (in a header, a note row or the title)",
        )
        parser.add_argument(
            "--ytd",
            choices=excel.YTD_CHOICES,
            help="when a project's months in duban disagree with the sheet's 年度累计完成: keep duban's, or take the "
            "sheet's (the difference goes to the year's opening amount)",
        )

    def handle(self, file, dry_run=False, year=None, month=None, layout=None, unit=None, ytd=None, **options):
        try:
            result = excel.import_file(file, year=year, month=month, layout=layout, unit=unit, ytd=ytd, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(_("There is no file %(file)s.") % {"file": file}) from None
        for line in result.understood:  # what was read: sheets, header rows, unit, period, columns, counts
            self.stdout.write(line)
        for note in result.notes:
            self.stdout.write(note)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(
                _("The file was refused (%(n)s errors); nothing was changed.") % {"n": len(result.errors)}
            )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        summary = result.summary()
        if dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
