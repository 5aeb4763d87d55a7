"""Looks at personal data (full ID and phone numbers), logged: who, when, which household, from
which address.

A look at one household on its page is one RevealLog row (and one audit entry, written by
audit.trail's signal). A full ledger export is one row per household in the file (field
EXPORT), written in batches, and one audit entry for the whole download."""

from audit import record
from audit.context import client_address
from audit.models import Entry
from requisition.models import RevealLog

ID_NUMBER, PHONE, EXPORT = "id_number", "phone", "export"
BATCH = 5000


def log_one(request, household, field):
    RevealLog.objects.create(household=household, user=request.user, field=field, address=client_address(request))


def log(request, household_ids, field, note=""):
    address = client_address(request)
    RevealLog.objects.bulk_create(
        [RevealLog(household_id=pk, user=request.user, field=field, address=address) for pk in household_ids],
        batch_size=BATCH,
    )
    record(Entry.Action.REVEAL, "requisition.household", note=f"{field} {note}".strip(), request=request)
