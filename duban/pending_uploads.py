"""Checked uploads waiting for the user's confirmation.

An import page checks an upload with a dry run and shows the errors or a preview; the checked
file waits here under a random token kept in the user's session — never under a name or path
from the request. Confirming imports that file, checking it again, and deletes it; files nobody
confirmed are forgotten after a day.

The files go through Django's storage API (default_storage, under FOLDER): with several app
servers the check and the confirmation may reach different servers, so the file must be where
every server sees it (the shared media folder, or the S3-compatible store). Backups leave
FOLDER out (ops/backups.py): these files are a day's passing copies of uploads.

A store that does not answer makes keep() and read() raise (the page then says so: a 503 from
duban.middleware.FileStoreMiddleware, never "the preview has expired"); drop() after a confirmed
import only logs it, since the import is done and the sweep takes the file later.
"""

import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from duban import file_store

FOLDER = "pending-imports"
MAX_AGE = timedelta(days=1)
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def name_of(token):
    """The stored name of a token's file, or None for anything that is not a token of ours."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    return f"{FOLDER}/{token}.xlsx"


def sweep():
    """Forget checked files nobody confirmed within a day."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - MAX_AGE
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except file_store.ERRORS as error:
            if not file_store.is_missing(error):  # S3 says ClientError 404 here
                raise
            # another server swept it


def keep(data):
    """Store the checked bytes; returns their new token."""
    sweep()
    token = secrets.token_hex(16)
    saved = default_storage.save(name_of(token), ContentFile(data))
    if saved != name_of(token):  # the storage chose another name: never, for a fresh random token
        default_storage.delete(saved)
        raise FileExistsError(saved)
    return token


def read(token):
    """The bytes waiting under a token, or None (not a token, or the file is gone)."""
    name = name_of(token)
    if name is None:
        return None
    try:
        with default_storage.open(name, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def drop(token):
    if name := name_of(token):
        file_store.discard(default_storage, name)
