"""Masking personal data (ID and phone numbers) for display, exports and the audit trail: the
floor every app that shows a household or records a change stands on. Who may see the full
numbers is requisition.ids.may_see_personal_data; each look is logged (requisition.reveals)."""


def _mask(text, head, tail):
    text = text or ""
    if len(text) <= head + tail:
        return "*" * max(len(text) - 2, 0) + text[-2:] if len(text) > 2 else "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_id(number):
    """ "110101199003071234" → "110***********1234": the first 3 and the last 4 characters."""
    return _mask(number, 3, 4)


def mask_phone(phone):
    """ "13812345678" → "138****5678": the first 3 and the last 4 characters."""
    return _mask(phone, 3, 4)


def is_masked(text):
    return "*" in (text or "")
