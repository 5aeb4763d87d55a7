"""Refusing a save from a form opened before somebody else's save (a lost update).

A form that edits an existing record carries, in a hidden field, a stamp of the state it showed:
`stamp(...)` of the values that the form writes over (texts, dates, amounts, an updated_at). The
save reads the record again — locked, inside its transaction — and refuses when the stamp it
computes now differs: the person's entries are shown back with the message, nothing is saved.

A stamp of the values, rather than a version number, also catches changes made elsewhere (an
import, the admin, the API) that do not raise a counter.
"""

import hashlib
from datetime import date, datetime

FIELD = "seen"


def _text(value):
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_text(v) for v in value) + "]"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return repr(value) if value is None else f"{type(value).__name__}:{value}"


def stamp(*values):
    return hashlib.sha256(_text(list(values)).encode()).hexdigest()[:20]


def is_stale(posted, *values):
    """True when the posted stamp is not the stamp of `values`. None (the form sent no stamp
    field at all: a script, an old client) is not checked, as reports do with their version."""
    return posted is not None and posted != stamp(*values)
