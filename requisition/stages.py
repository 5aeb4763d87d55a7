"""Moving a household through its steps: forward one step at a time with its date and who
recorded it; back only with a reason, kept in the history.

Every refusal raises StageError with a message for the user and writes nothing.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import hooks as screen_hooks
from requisition.models import STAGE_DATE, STAGES, Household, Stage, StageEvent

ORDER = [Stage.NONE, *STAGES]


class StageError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def next_stage(stage):
    index = ORDER.index(Stage(stage))
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def _check_date(household, on, today):
    if on > today:
        raise StageError(_("The date %(date)s is in the future.") % {"date": on})
    previous = [household.stage_date(s) for s in STAGES if ORDER.index(s) <= ORDER.index(Stage(household.stage))]
    last = max((d for d in previous if d), default=None)
    if last and on < last:
        raise StageError(_("The date %(date)s is before the previous step (%(last)s).") % {"date": on, "last": last})


@transaction.atomic
def advance(household, to_stage, on, user, note="", measured_area=None, assessed_price=None, today=None):
    """Record the next step. Measuring needs the measured area; assessing needs the price."""
    today = today or timezone.localdate()
    household = Household.objects.select_for_update().get(pk=household.pk)
    expected = next_stage(household.stage)
    if expected is None:
        raise StageError(_("This household has completed every step."))
    if Stage(to_stage) != expected:
        raise StageError(
            _("Steps go one at a time: after “%(current)s” comes “%(next)s”.")
            % {"current": Stage(household.stage).label, "next": expected.label}
        )
    _check_date(household, on, today)
    if expected == Stage.MEASURED:
        if measured_area is None or Decimal(measured_area) <= 0:
            raise StageError(_("Enter the measured area."))
        household.measured_area = measured_area
    if expected == Stage.ASSESSED:
        if assessed_price is None or Decimal(assessed_price) <= 0:
            raise StageError(_("Enter the assessed unit price."))
        household.assessed_price = assessed_price
    StageEvent.objects.create(
        household=household, from_stage=household.stage, to_stage=expected, on=on, note=note[:200], recorded_by=user
    )
    household.stage = expected
    setattr(household, STAGE_DATE[expected], on)
    household.save()
    if expected == Stage.SIGNED:
        from requisition import compensation

        compensation.freeze(household)
    screen_hooks.households_changed([household.village_id])
    return household


@transaction.atomic
def step_back(household, to_stage, user, reason, today=None, seen_stage=None):
    """Return to an earlier stage; the dates of the later steps are cleared, the history kept.

    `seen_stage` is the stage the page showed: when the household has moved since (someone
    recorded a step meanwhile), going back would clear that step unseen, so it is refused."""
    today = today or timezone.localdate()
    household = Household.objects.select_for_update().get(pk=household.pk)
    if seen_stage is not None and seen_stage != household.stage:
        raise StageError(
            _(
                "Someone else changed this household's stage after you opened the page (it is now “%(stage)s”); "
                "nothing was changed. Look at the household again."
            )
            % {"stage": Stage(household.stage).label}
        )
    reason = (reason or "").strip()
    if not reason:
        raise StageError(_("Moving a household back needs a reason."))
    target = Stage(to_stage)
    if ORDER.index(target) >= ORDER.index(Stage(household.stage)):
        raise StageError(_("“%(stage)s” is not an earlier stage.") % {"stage": target.label})
    StageEvent.objects.create(
        household=household,
        from_stage=household.stage,
        to_stage=target,
        on=today,
        reason=reason[:2000],
        recorded_by=user,
    )
    for stage in STAGES:
        if ORDER.index(stage) > ORDER.index(target):
            setattr(household, STAGE_DATE[stage], None)
    household.stage = target
    household.save()
    screen_hooks.households_changed([household.village_id])
    return household
