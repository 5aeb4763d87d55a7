"""Household numbers (户号) made for rows without one: stable from one import to the next, and not
revealing the ID number."""

import hashlib

from django.utils.crypto import salted_hmac

from duban.spreadsheet import (
    as_text,
)

GENERATED_PREFIX, GENERATED_END = "H", "I"  # generated household numbers: H + 12 hex digits


def _number_key():
    return salted_hmac("duban.requisition.roster.number", "household number").digest()


def generated_number(key, village_id, row):
    """A stable household number from the village and the ID number (else name, address, 序号)."""
    if row.id_number:
        text = f"{village_id}:{row.id_number}"
    else:
        text = f"{village_id}:{row.name}:{row.address or ''}:{as_text(row.seq)}"
        if row.group_number is not None:  # (added with groups: numbers made before stay as they were)
            text += f":{row.group_number}"
    return GENERATED_PREFIX + hashlib.blake2b(text.encode(), key=key, digest_size=6).hexdigest().upper()


def _looks_generated(number):
    return GENERATED_PREFIX <= number < GENERATED_END
