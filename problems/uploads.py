"""Checked uploads: size limit, type by content (magic bytes) and by extension, which must agree;
stored under a random name (never a name or path the user chose); the original name is kept,
cleaned, only for display and for the download's file name."""

import os
import re
import unicodedata
import uuid
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from duban import file_store
from problems.models import Attachment

EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_FILES = 10


class UploadError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def clean_name(name):
    """The last path component of `name` with control characters (NUL …) removed, for display only."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    if len(name) > 100:
        stem, ext = os.path.splitext(name)
        name = stem[: 100 - len(ext)] + ext
    return name or "file"


def sniff(head, fileobj):
    """The type the bytes say, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            fileobj.seek(0)
            names = set(zipfile.ZipFile(fileobj).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check(upload):
    """Checks an uploaded file; returns (kind, clean original name). Raises UploadError."""
    name = clean_name(upload.name)
    limit = settings.DUBAN_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise UploadError(
            _("“%(name)s” is too large: %(size)s bytes, at most %(limit)s are allowed.")
            % {"name": name, "size": upload.size, "limit": limit}
        )
    if upload.size == 0:
        raise UploadError(_("“%(name)s” is empty.") % {"name": name})
    raw = str(upload.name or "")
    if any(ch in raw for ch in "/\\") or any(unicodedata.category(ch)[0] == "C" for ch in raw):
        raise UploadError(_("The file name “%(name)s” is not allowed.") % {"name": name})
    ext = EXTENSIONS.get(os.path.splitext(name)[1].lower().lstrip("."))
    if ext is None:
        raise UploadError(
            _("“%(name)s”: only photos (JPG, PNG), PDF, Word (.docx) and Excel (.xlsx) files are accepted.")
            % {"name": name}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind != ext:
        raise UploadError(_("“%(name)s” is not really a %(ext)s file.") % {"name": name, "ext": ext.upper()})
    return kind, name


def check_all(files):
    if len(files) > MAX_FILES:
        raise UploadError(_("At most %(n)s files at a time.") % {"n": MAX_FILES})
    return [(f, *check(f)) for f in files]


def save(checked, user, problem=None, task=None):
    """Stores checked files (from check_all) for a problem or a task, inside the caller's transaction."""
    saved = []
    try:
        for upload, kind, name in checked:
            attachment = Attachment(problem=problem, task=task, original_name=name, kind=kind, size=upload.size)
            attachment.uploaded_by = user
            upload.seek(0)
            attachment.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(upload.read()), save=False)
            saved.append(attachment)
            attachment.save()
    except BaseException:
        # The caller's transaction is rolled back: take the files already stored with it (the
        # store being down, this may fail too; such a file is then an orphan, never shown).
        for attachment in saved:
            file_store.discard(attachment.file.storage, attachment.file.name)
        raise
    return saved
