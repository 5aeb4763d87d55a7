"""Finding a household as field workers ask for it (the field page, the village page and the API
share this): by any part of the head's name or of the household number, or by an ID or phone
number as a whole — the full number, or its last 4 characters, the part the masked form shows
(110***********1234, 138****5678). Never by a part of the masked digits: a search that matched
any ending of the ID number let anybody who sees the masked form rebuild the full number, one
digit at a time.

A search that finds households by a full ID or phone number is a look at personal data, logged
(requisition.reveals). Household searches are counted per user, pages and API together, in
Django's cache (HouseholdSearchThrottle, settings.DUBAN_HOUSEHOLD_SEARCH_RATE); one over the
rate is answered 429.
"""

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import UserRateThrottle

from duban.throttles import SharedCacheFallback
from requisition import ids, phones, reveals

TAIL = 4  # the characters mask_id and mask_phone leave visible at the end


def _compact(q):
    """The query as a number would be typed: spaces dropped, a lower-case x upper-case."""
    return ids.normalize_id(q)


def _number_match(q):
    """(field, Q) of a whole ID or phone number, or None."""
    number = _compact(q)
    if len(number) == ids.LENGTH:
        return reveals.ID_NUMBER, Q(id_number=number)
    stored = phones.normalize(q)
    if stored and len(number) > TAIL and "," not in stored:
        # phones are stored normalised (requisition/phones.py): +86 138-0591-2345 finds 13805912345,
        # also where it is one of two numbers in the cell
        return reveals.PHONE, Q(phone=stored) | Q(phone__startswith=f"{stored},") | Q(phone__endswith=f",{stored}")
    return None


def find(households, q):
    q = (q or "").strip()
    if not q:
        return households
    match = Q(head_name__contains=q) | Q(number__contains=q)
    tail = _compact(q)
    if len(tail) == TAIL:
        match |= Q(id_number__endswith=tail) | Q(phone__endswith=tail)
    elif whole := _number_match(q):
        match |= whole[1]
    return households.filter(match)


def find_logged(request, households, q):
    """find(), and a look at personal data logged for each household a whole ID or phone number
    found."""
    whole = _number_match((q or "").strip())
    if whole is not None:
        field, match = whole
        found = list(households.filter(match).values_list("pk", flat=True))
        if found:
            reveals.log(request, found, field, note="search")
    return find(households, q)


class HouseholdSearchThrottle(SharedCacheFallback, UserRateThrottle):
    """Household searches (a request with ?q=) per user — DRF's counter in Django's cache, so
    the pages and the API count together, and several processes too when the cache is shared."""

    scope = "household_search"

    def get_rate(self):
        return settings.DUBAN_HOUSEHOLD_SEARCH_RATE

    def allow_request(self, request, view):
        if not (request.GET.get("q") or "").strip():
            return True
        return super().allow_request(request, view)


def too_many_message():
    return _("Too many household searches; wait a little and search again.")


def refused_page(request):
    """The pages' answer to a search over the rate, or None when it may run."""
    throttle = HouseholdSearchThrottle()
    if throttle.allow_request(request, None):
        return None
    context = {"heading": _("Too many searches"), "message": too_many_message()}
    return render(request, "400.html", context, status=429)
