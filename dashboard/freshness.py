"""The screen's validator (ETag / Last-Modified), computed without building the data.

A fingerprint of everything the screen shows, from cheap queries only: the data versions the
database keeps (duban/versions.py: reports, campaigns and the org tree, the ledgers, task
lists and problems), the other marks (the roll-ups' bookkeeping), the roll-up tables' latest
update, and the date (time elapsed moves every day). When the fingerprint changes, the time is
remembered: that is the Last-Modified of the data.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from dashboard import rollups, subscriptions
from dashboard.models import Mark, UnitInvestment, VillageTally
from duban import versions

FINGERPRINT = "fingerprint"
FORMAT = 3  # bump when the payload's shape changes, so walls reload fresh data


def _rollups_updated():
    """The latest update of each roll-up table (a few thousand rows each)."""
    return [model.objects.aggregate(at=Max("updated_at"))["at"] for model in (VillageTally, UnitInvestment)]


# Marks that change with weekly reports only: the headline (projects, investment, the requisition
# ledger, problems) does not depend on them, so a submitted report leaves it as built.
REPORT_MARKS = {subscriptions.REPORTS, versions.REPORTS}


def _hash(parts):
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:40]


def fingerprints(today, marks=None):
    """(fingerprint of all the data, fingerprint of what the headline shows); `marks`
    ({name: (value, text)}) when already read."""
    if marks is None:
        marks = {name: (value, text) for name, value, text in Mark.objects.values_list("name", "value", "text")}
    if rollups.catch_up(marks):
        marks = {name: (value, text) for name, value, text in Mark.objects.values_list("name", "value", "text")}
    kept = sorted((name, value, text) for name, (value, text) in marks.items() if name != FINGERPRINT)
    rest = [versions.read().ledger, _rollups_updated()]
    headline_marks = [m for m in kept if m[0] not in REPORT_MARKS]
    return _hash([FORMAT, today, kept, *rest]), _hash([FORMAT, today, headline_marks, *rest])


def fingerprint(today, marks=None):
    """The fingerprint of the data; `marks` ({name: (value, text)}) when already read."""
    return fingerprints(today, marks)[0]


@dataclass
class Freshness:
    value: str  # the fingerprint of all the data: the screen's validator
    headline: str  # the fingerprint of what the headline shows
    changed_at: object  # when the fingerprint last changed: Last-Modified

    def __iter__(self):  # value, changed_at = current()
        return iter((self.value, self.changed_at))


def current(today=None):
    """The data's Freshness as it stands."""
    today = today or timezone.localdate()
    marks = {m.name: m for m in Mark.objects.all()}
    value, headline = fingerprints(today, {name: (m.value, m.text) for name, m in marks.items()})
    mark = marks.get(FINGERPRINT) or Mark.objects.filter(name=FINGERPRINT).first()
    if mark is None or mark.text != value:
        mark, _ = Mark.objects.update_or_create(
            name=FINGERPRINT, defaults={"text": value, "changed_at": timezone.now()}
        )
    return Freshness(value, headline, mark.changed_at)


def etag_for(value, scope_key, focus_id):
    return hashlib.sha256(f"{value}|{scope_key}|{focus_id}".encode()).hexdigest()[:32]
