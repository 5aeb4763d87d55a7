"""A small in-process cache of computed campaign figures, each kept with the stamp of the data
it was computed from (duban/versions.py) and used only while the data bears that stamp.

Each gunicorn worker keeps its own: a cached figure costs nothing to read (no query, no
decoding), and the version (one query) tells every worker at once when the data has changed.
A version is made of random numbers the database draws on every write and never reuses, so a
stamp can never be mistaken for another state of the data, even after a rollback.

Stamps are as narrow as the data allows: a campaign's layout (targets, units, indicators) is
kept while campaigns and the org tree are unchanged, whatever reports come in; the figures of a
campaign that counts weekly reports only are kept when a household is stepped in the field.
"""

import threading
from collections import OrderedDict

# Entries per process: campaigns' layouts, figures for a week, progress as of a date, league
# tables. Those of a province-wide campaign weigh a few megabytes each.
SIZE = 128  # (was 32: the 20 running campaigns of a province evicted their own layouts)

_entries = OrderedDict()
_lock = threading.Lock()


def get(key, stamp):
    """The value stored under `key` with this stamp, or None (always None for a None stamp:
    the version could not be told)."""
    if stamp is None:
        return None
    with _lock:
        entry = _entries.get(key)
        if entry is None or entry[0] != stamp:
            return None
        _entries.move_to_end(key)
        return entry[1]


def put(key, stamp, value):
    if stamp is None:
        return
    with _lock:
        _entries[key] = (stamp, value)
        _entries.move_to_end(key)
        while len(_entries) > SIZE:
            _entries.popitem(last=False)


def get_or_make(key, stamp, make):
    """The value stored under `key` with this stamp, else `make()`, stored with it."""
    value = get(key, stamp)
    if value is None:
        value = make()
        put(key, stamp, value)
    return value


def clear():
    with _lock:
        _entries.clear()
