"""The file store — Django's default storage (STORAGES["default"]): a folder under MEDIA_ROOT, or
an S3-compatible bucket (django-storages, DUBAN_S3_*) — and what its failures look like.

A folder fails with OSError (FileNotFoundError for a missing file). The S3 client fails with
exceptions of its own: botocore's BotoCoreError (the endpoint does not answer, a time-out, no
credentials), ClientError (the store answered with an error: access denied, no such bucket, a
5xx; and a 404 wherever django-storages does not turn it into FileNotFoundError, as in
get_modified_time) and boto3's Boto3Error (S3UploadFailedError …). UNREACHABLE holds those
(nothing without boto3): duban.middleware.FileStoreMiddleware answers them with a 503 page that
says the file store could not be reached, so a page that reads or writes files neither fails
with a bare 500 nor pretends it did what it could not.
"""

import logging

from django.core.files.storage import FileSystemStorage, storages

logger = logging.getLogger(__name__)


def _s3_errors():
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        return ()
    return (BotoCoreError, ClientError, Boto3Error)


UNREACHABLE = _s3_errors()
ERRORS = (OSError, *UNREACHABLE)  # whatever a storage call may fail with
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}  # S3's answers for "no such object"


def is_missing(error):
    """Whether a storage error only says that the file is not there (not that the store is down)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code", "")) in MISSING_CODES
    return False


def default():
    """The storage every upload and archived file goes through."""
    return storages["default"]


def on_disk(storage=None):
    """Whether the store is a folder on this machine (MEDIA_ROOT) rather than an object store."""
    return isinstance(storage if storage is not None else default(), FileSystemStorage)


def discard(storage, name):
    """Delete a file that is no longer wanted (the files of a rolled-back save, a confirmed upload);
    a store that fails keeps it as an orphan that nothing shows, and the failure is only logged."""
    try:
        storage.delete(name)
    except ERRORS as error:
        logger.warning("could not delete %s from the file store: %r", name, error)
