"""Whole-number query parameters (?unit=, ?year=, ?page=…), read in one place.

A value that is not a whole number, or lies outside its bounds, is refused before it reaches the
database: BadParameter, which the pages answer with a 400 page (duban.errors.bad_request) and the
API with a 400 and its message as `detail` (api.errors.exception_handler), in Chinese. An id
beyond the database's integer range used to make the query itself fail (a 500).
"""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# Primary keys are BigAutoField: PostgreSQL's bigint, SQLite's 64-bit INTEGER.
MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000
MIN_YEAR, MAX_YEAR = 1990, 2100
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")


class BadParameter(BadRequest):
    """A query parameter refused; `message` is for the user."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name
        self.message = message


def int_param(params, name, default=None, minimum=1, maximum=MAX_ID):
    """params[name] (request.GET, request.query_params, request.POST) as an int within
    [minimum, maximum]; `default` when absent or blank; BadParameter otherwise. The default
    bounds are those of an id."""
    raw = params.get(name)
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if not _WHOLE.fullmatch(text):
        message = _("The parameter %(name)s must be a whole number, not “%(value)s”.")
        raise BadParameter(name, message % {"name": name, "value": text[:20]})
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadParameter(
            name,
            _("The parameter %(name)s must be between %(minimum)s and %(maximum)s.")
            % {"name": name, "minimum": minimum, "maximum": maximum},
        )
    return value


def page_param(params, name="page"):
    """A page number (1 when absent); a page beyond the last shows the last one (Paginator.get_page)."""
    return int_param(params, name, default=1, maximum=MAX_PAGE)


def year_param(params, name="year", default=None):
    return int_param(params, name, default, minimum=MIN_YEAR, maximum=MAX_YEAR)


def month_param(params, name="month", default=None):
    return int_param(params, name, default, minimum=1, maximum=12)
