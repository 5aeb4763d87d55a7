"""The audit trail: who changed which business record, when, from where, before and after.

Model changes are recorded by signals (see audit/trail.py); bulk writes that bypass signals
(bulk_create, COPY) call `audit.record(...)` once per import.
"""


def record(action, obj_or_label, before=None, after=None, note="", **kwargs):
    """Write one audit entry by hand, e.g. once per import:
    `audit.record("import", Project, note="12 created, 3 changed from projects.xlsx")`.
    See audit.trail.record (request=, user=, username=, using=)."""
    from audit.trail import record as _record

    return _record(action, obj_or_label, before=before, after=after, note=note, **kwargs)
