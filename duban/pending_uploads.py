"""Checked uploads waiting for the user's confirmation.

An import page checks an upload with a dry run and shows the errors or a preview; the checked
file waits here, in a private temporary directory, under a random token kept in the user's
session — never under a name or path from the request. Confirming imports that file, checking it
again, and deletes it; files nobody confirmed are forgotten after a day.
"""

import os
import re
import secrets
import tempfile
import time
from pathlib import Path

DIRECTORY = Path(tempfile.gettempdir()) / f"duban-imports-{os.getuid()}"
MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def path_of(token):
    """The waiting file of a token, or None for anything that is not a token of ours."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    return DIRECTORY / f"{token}.xlsx"


def sweep():
    """Forget checked files nobody confirmed within a day."""
    if not DIRECTORY.is_dir():
        return
    limit = time.time() - MAX_AGE
    for path in DIRECTORY.glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def keep(data):
    """Store the checked bytes; returns their new token."""
    sweep()
    DIRECTORY.mkdir(mode=0o700, exist_ok=True)
    if DIRECTORY.is_symlink() or DIRECTORY.stat().st_uid != os.getuid():
        raise PermissionError(f"{DIRECTORY} is not ours")
    token = secrets.token_hex(16)
    path_of(token).write_bytes(data)
    return token


def drop(token):
    if path := path_of(token):
        path.unlink(missing_ok=True)
