"""Personal data of the ledger: resident ID numbers (GB 11643-1999) and phone numbers.

An ID number has 18 characters: a 6-digit address code, the birth date as YYYYMMDD, a 3-digit
sequence and a check character. The check character makes the weighted sum of all 18 positions
≡ 1 (mod 11) (ISO 7064 MOD 11-2): position i (counted from the left, 0-based) of the first 17
weighs 2^(17 - i) mod 11; a remainder r of the weighted sum of the 17 digits gives the check
character "10X98765432"[r].

Full numbers are shown only to people who may see personal data (`may_see_personal_data`);
everyone else, and every export, gets the masked form.
"""

from datetime import date
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

LENGTH = 18
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1900, 1, 1)
_DIGITS = frozenset("0123456789")
_CHECK_SET = frozenset("0123456789X")


def normalize_id(text):
    """An ID number as typed: spaces dropped, a lower-case x made upper-case."""
    return "".join(str(text).split()).upper()


def check_char(body):
    """The check character of the first 17 digits.

    The weighted sum Σ dᵢ·2^(17−i) is 2·Σ dᵢ·2^(16−i), the digits read as a polynomial at 2;
    since 13 ≡ 2 (mod 11), reading the digits in base 13 gives the same remainder, and int()
    does that in C: one import checks a hundred thousand numbers."""
    if len(body) != 17 or not (body.isascii() and body.isdigit()):
        raise ValueError(body)
    return CHECK_CHARS[2 * int(body, 13) % 11]


@lru_cache(maxsize=65536)
def _date(yyyymmdd):
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def birth_date(number):
    """The birth date an ID number names, or None when it is not a real date."""
    return _date(number[6:14])


def id_problem(text, today=None):
    """None when `text` is a valid ID number, else what is wrong with it (for the user).

    Spaces and a lower-case x are accepted (see normalize_id); store the normalized form."""
    return normalized_id_problem(normalize_id(text or ""), today)


def normalized_id_problem(number, today=None):
    """id_problem of a number normalize_id has already seen."""
    if len(number) != LENGTH:
        return _("an ID number has 18 characters, this one has %(n)s") % {"n": len(number)}
    body, last = number[:17], number[17]
    if not _DIGITS.issuperset(body):
        return _("the first 17 characters of an ID number are digits")
    if last not in _CHECK_SET:
        return _("the last character of an ID number is a digit or X")
    born = birth_date(number)
    if born is None or born < EARLIEST_BIRTH:
        return _("the birth date %(date)s in it is not a real date") % {"date": number[6:14]}
    if born > (today or timezone.localdate()):
        return _("the birth date %(date)s in it is in the future") % {"date": born.isoformat()}
    if CHECK_CHARS[2 * int(body, 13) % 11] != last:  # check_char, the body being checked above
        return _("its check character is wrong (a digit mistyped?)")
    return None


def may_see_personal_data(scope, unit):
    """Full ID and phone numbers of the households in `unit`'s subtree, on screen or in a ledger
    export, are for the office and administrators of a subtree holding it only; each look is
    logged (requisition.reveals)."""
    return scope.office_for(unit)
