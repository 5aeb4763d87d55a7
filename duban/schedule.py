"""Schedule maths: done %, gap against time elapsed, status colour, projection, 倒排工期.

Pure functions on Decimals and dates, so they can be tested with hypothesis.
"""

import math
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban import colours

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Status(models.TextChoices):
    """Status colours, with their colour (duban/colours.py)."""

    GREEN = "green", _("On schedule")
    YELLOW = "yellow", _("Behind schedule")
    RED = "red", _("Seriously behind")
    NONE = "none", _("No target")

    @property
    def colour(self):
        return colours.status_colour(self.value)


def q2(value):
    """Round a Decimal to two places the way offices round (half up)."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def done_pct(done, target):
    if not target:
        return None
    return HUNDRED * Decimal(done) / Decimal(target)


def gap(done_percent, elapsed_percent):
    """Points ahead (+) or behind (-) time."""
    if done_percent is None:
        return None
    return done_percent - elapsed_percent


def status(gap_points, yellow_gap, red_gap, higher_is_better=True, done=None, target=None):
    """Green; yellow when yellow_gap..red_gap points behind time; red when more than red_gap behind.

    For a lower-is-better indicator the target is a ceiling: red once it is exceeded.
    """
    if gap_points is None:
        return Status.NONE
    if not higher_is_better:
        return Status.RED if done is not None and target is not None and done > target else Status.GREEN
    behind = -gap_points
    if behind > red_gap:
        return Status.RED
    if behind >= yellow_gap:
        return Status.YELLOW
    return Status.GREEN


def weekly_pace(cumulative_series, weeks=4):
    """Average weekly amount over the last `weeks` weeks of a cumulative series (oldest first).

    With fewer points than weeks + 1, the pace is taken over what there is.
    """
    if len(cumulative_series) < 2:
        return None
    window = cumulative_series[-(weeks + 1) :]
    return (Decimal(window[-1]) - Decimal(window[0])) / (len(window) - 1)


def projected_finish(done, target, pace, as_of):
    """The date the target is reached at `pace` per week from `as_of`; None when it never is.

    Returns `as_of` when the target is already met.
    """
    if target is None:
        return None
    remaining = Decimal(target) - Decimal(done)
    if remaining <= 0:
        return as_of
    if pace is None or pace <= 0:
        return None
    days = math.ceil(remaining * 7 / Decimal(pace))  # multiply first: the division rounds
    if days > 365 * 100:
        return None
    return as_of + timedelta(days=days)


def needed_per_week(done, target, days_remaining):
    """The weekly amount now needed to finish on time (倒排工期); None when no time is left."""
    if target is None:
        return None
    remaining = max(Decimal(target) - Decimal(done), Decimal(0))
    if remaining == 0:
        return Decimal(0)
    if days_remaining <= 0:
        return None
    return remaining * 7 / Decimal(days_remaining)
