"""Issuing: number the document, make the PDF when LibreOffice can, and archive the files with
their checksums; reading back: the bytes exactly as issued, or an error when they changed."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bulletins import documents
from bulletins.models import Bulletin, BulletinFile
from duban import file_store


class Damaged(Exception):
    """The archived file is missing or no longer matches its checksum."""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def to_pdf(docx):
    """(pdf bytes or None, note for the user when there is none)."""
    from duban.gongwen.pdf import docx_to_pdf

    pdf, problem = docx_to_pdf(docx)
    if problem == "fonts":
        return None, _("No Chinese font is installed on the server (make system-packages): no PDF was made.")
    if problem == "missing":
        return None, _("LibreOffice (soffice) is not installed on the server: no PDF was made.")
    if problem == "failed":
        return None, _("LibreOffice could not convert the Word file (is libreoffice-writer-nogui installed?).")
    return pdf, ""


def issue(campaign, kind, period, user=None, as_of=None, issuer=None, with_pdf=True, corrects=None):
    """Build, number and archive a document; returns the Bulletin. `corrects`: the earlier issue
    of the same period this one corrects (its title then says so)."""
    for _attempt in range(3):
        doc = documents.build(campaign, kind, period, as_of=as_of, issuer=issuer)
        pdf, note = to_pdf(doc.docx) if with_pdf else (None, _("No PDF was asked for."))
        written = []
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    campaign=campaign,
                    kind=kind,
                    period_key=doc.period_key,
                    year=doc.year,
                    number=doc.number,
                    as_of=doc.as_of,
                    issuer=doc.heading.issuer,
                    title=_correction_title(doc.heading.title, corrects),
                    pdf_note=note,
                    issued_by=user,
                    corrects=corrects,
                )
                for fmt, data in (("docx", doc.docx), ("xlsx", doc.xlsx), ("pdf", pdf)):
                    if data is None:
                        continue
                    archived = BulletinFile(bulletin=bulletin, format=fmt, sha256=sha256(data), size=len(data))
                    archived.file.save(f"{fmt}.{fmt}", ContentFile(data), save=False)
                    written.append(archived.file)
                    archived.save()
                return bulletin
        except IntegrityError:  # someone issued the same number meanwhile: number again
            _remove(written)
            continue
        except Exception:
            _remove(written)
            raise
    raise IntegrityError("could not number the bulletin")


def _remove(written):
    """Take back the files of an issue that was rolled back; a store that is down keeps them (an
    orphan, never shown) and the first error is the one raised."""
    for f in written:
        file_store.discard(f.storage, f.name)


def _correction_title(title, corrects):
    if corrects is None:
        return title
    label = _("(correction of %(number)s)") % {"number": corrects.number_label}
    return f"{title}{label}"[:200]


def read(archived):
    """The archived bytes, checked against the checksum taken at issue."""
    try:
        with archived.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise Damaged(str(error)) from None
    if sha256(data) != archived.sha256 or len(data) != archived.size:
        raise Damaged("checksum mismatch")
    return data
