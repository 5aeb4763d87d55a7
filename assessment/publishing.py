"""Publishing freezes a table: the numbers as sent are stored as data and never recomputed.

A table published again after a correction of the data becomes a new version that lists what
changed from the version before; publishing the same numbers twice is refused.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.models import Publication


class NothingChanged(Exception):
    pass


def latest(campaign, kind, key):
    return Publication.objects.filter(campaign=campaign, kind=kind, period_key=key).order_by("-version").first()


def _comparable(data):
    return {k: v for k, v in data.items() if k != "published"}


def changes_between(before, after):
    """[{"unit", "what", "before", "after"}] between two published tables' data."""
    changes = []
    labels = [p["label"] for p in after["parts"]]
    if [p["label"] for p in before["parts"]] != labels or [p["weight"] for p in before["parts"]] != [
        p["weight"] for p in after["parts"]
    ]:
        changes.append({"unit": "", "what": pgettext("assessment", "Scoring scheme"), "before": "", "after": ""})
    old_rows = {r["unit_id"]: r for r in before["rows"]}
    for row in after["rows"]:
        old = old_rows.pop(row["unit_id"], None)
        if old is None:
            changes.append({"unit": row["unit"], "what": _("Added"), "before": "", "after": row["total"]})
            continue
        for n, cell in enumerate(row["cells"]):
            if n < len(old["cells"]) and n < len(labels) and old["cells"][n]["points"] != cell["points"]:
                changes.append(
                    {
                        "unit": row["unit"],
                        "what": labels[n],
                        "before": old["cells"][n]["points"],
                        "after": cell["points"],
                    }
                )
        if old["total"] != row["total"]:
            changes.append(
                {
                    "unit": row["unit"],
                    "what": pgettext("assessment", "Total score"),
                    "before": old["total"],
                    "after": row["total"],
                }
            )
        if old["rank"] != row["rank"]:
            changes.append(
                {
                    "unit": row["unit"],
                    "what": pgettext("assessment", "Rank"),
                    "before": old["rank"],
                    "after": row["rank"],
                }
            )
    for old in old_rows.values():
        changes.append({"unit": old["unit"], "what": _("Removed"), "before": old["total"], "after": ""})
    return changes


def publish(table, user=None, note=""):
    """Store the table as a new version; NothingChanged when it equals the latest version."""
    data = table.as_data()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                previous = latest(table.campaign, table.kind, table.key)
                if previous is not None and _comparable(previous.data) == _comparable(data):
                    raise NothingChanged
                version = (
                    Publication.objects.filter(
                        campaign=table.campaign, kind=table.kind, period_key=table.key
                    ).aggregate(v=Max("version"))["v"]
                    or 0
                ) + 1
                return Publication.objects.create(
                    campaign=table.campaign,
                    kind=table.kind,
                    period_key=table.key,
                    version=version,
                    data=data,
                    changes=changes_between(previous.data, data) if previous else [],
                    note=note,
                    published_by=user,
                )
        except IntegrityError:  # two publishers at once: the other took this version number
            continue
    raise IntegrityError("could not number the publication")
