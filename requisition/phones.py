"""Phone numbers as rosters write them, in one stored form.

- A mobile number is its 11 digits: +86 138 0591 2345, 86-138-0591-2345, 0086 13805912345 and
  １３８０５９１２３４５ (full-width) are all 13805912345.
- A landline is its digits with the area code: 0594-2345678, (0594)2345678, （0594）2345678 and
  0594 2345678 are 05942345678; +86 594 2345678 is 05942345678 too. A local number of 7 or 8
  digits without an area code is kept as its digits.
- Two (or more) numbers in one cell, separated by / 、 , ， ; ； or a space between two whole
  numbers, are stored joined by a comma: "13805912345,05942345678".

The form as typed is kept beside it (Household.phone_typed) for display only; searches and
comparisons use the stored form. `normalize` returns None for a cell that is not a phone number.
"""

import re

WIDE = str.maketrans("０１２３４５６７８９＋（）－　", "0123456789+()- ")
SEPARATORS = re.compile(r"[/、,，;；]+")
JOINERS = re.compile(r"[\s\-()（）.]+")
STORED_MAX = 40
TYPED_MAX = 60


def _one(text):
    """One number's stored form, or None."""
    digits = JOINERS.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("86"):
            return None
        digits = digits[2:]
        if digits[:1] != "1":
            digits = "0" + digits  # +86 594 2345678: the area code without its 0
    elif digits.startswith("0086"):
        digits = digits[4:]
        if digits[:1] != "1":
            digits = "0" + digits
    if not digits.isdigit():
        return None
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return digits
    if digits[0] == "0" and digits[1] != "0" and 10 <= len(digits) <= 12:
        return digits  # area code (3 or 4 digits with the 0) and a 7- or 8-digit number
    if digits[0] != "0" and len(digits) in (7, 8):
        return digits  # a local number without the area code
    return None


def _pieces(text):
    """The cell split into numbers: by the separators, then by spaces between whole numbers
    (a space inside one number, as in 138 0591 2345, is kept)."""
    for part in SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        if _one(part) is not None:
            yield part
            continue
        words = part.split()
        if len(words) > 1 and all(_one(word) is not None for word in words):
            yield from words
        else:
            yield part


def normalize(value):
    """The stored form of a phone cell ('' for an empty one), or None when it is not understood."""
    text = str(value).translate(WIDE).strip()
    if not text:
        return ""
    numbers = []
    for piece in _pieces(text):
        number = _one(piece)
        if number is None:
            return None
        if number not in numbers:
            numbers.append(number)
    stored = ",".join(numbers)
    return stored if stored and len(stored) <= STORED_MAX else None


def search_forms(query):
    """The stored form of a whole number typed in a search, or None."""
    stored = normalize(query)
    return stored or None
