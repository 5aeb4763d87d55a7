"""What make_bulletin and make_rollup share: find the campaign, build or issue, write the files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation

from bulletins import archive, documents
from campaigns.models import Campaign


def add_common_arguments(parser):
    parser.add_argument("--campaign", type=int, required=True, help="campaign id")
    parser.add_argument("--out", required=True, help="the Word file to write (.docx)")
    parser.add_argument("--xlsx", help="also write the Excel companion here")
    parser.add_argument("--pdf", help="also write a PDF here (needs LibreOffice)")
    parser.add_argument("--issuer", help="issuing office (default: the last one used, or the campaign's owner)")
    parser.add_argument(
        "--issue", action="store_true", help="number and archive it as issued (otherwise a draft is written)"
    )


def run(command, options, kind, key, as_of=None):
    with translation.override(settings.LANGUAGE_CODE):
        try:
            campaign = Campaign.objects.get(pk=options["campaign"])
        except Campaign.DoesNotExist:
            raise CommandError(f"没有编号为 {options['campaign']} 的攻坚行动") from None
        try:
            kind, period = documents.parse_request(campaign, kind, key)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if as_of is not None and (not period.contains(as_of) or not campaign.start <= as_of <= campaign.end):
            raise CommandError(f"--as-of 应为 {key} 中、行动期间内的一天")
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError("--out 应为 .docx 文件")
        pdf_note = ""
        if options["issue"]:
            bulletin = archive.issue(
                campaign, kind, period, as_of=as_of, issuer=options["issuer"], with_pdf=bool(options["pdf"])
            )
            files = {f.format: archive.read(f) for f in bulletin.files.all()}
            docx, xlsx, pdf = files["docx"], files["xlsx"], files.get("pdf")
            pdf_note = bulletin.pdf_note
            label = f"{bulletin.title} {bulletin.number_label}（已存档）"
        else:
            doc = documents.build(campaign, kind, period, as_of=as_of, issuer=options["issuer"])
            docx, xlsx, pdf = doc.docx, doc.xlsx, None
            if options["pdf"]:
                pdf, pdf_note = archive.to_pdf(docx)
            label = f"{doc.heading.title} {doc.heading.number_label}（草稿，未存档）"
        out.write_bytes(docx)
        command.stdout.write(f"{label}: {out}")
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(xlsx)
            command.stdout.write(f"Excel: {options['xlsx']}")
        if options["pdf"]:
            if pdf is None:
                command.stdout.write(f"PDF: {pdf_note}")
            else:
                Path(options["pdf"]).write_bytes(pdf)
                command.stdout.write(f"PDF: {options['pdf']}")
