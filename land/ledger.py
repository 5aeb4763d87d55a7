"""Weekly figures taken from the land ledger, for indicators whose source is it: 亩 approved
(a batch counts in the week of its 获批 date, at its responsible unit) and 亩 supplied (a
parcel counts in the week of its 供地 date, at its responsible unit)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum

from campaigns.models import Indicator
from duban import periods
from land.models import LandBatch, Parcel

SOURCES = {
    Indicator.Source.LAND_APPROVED: (LandBatch, "approved_on"),
    Indicator.Source.LAND_SUPPLIED: (Parcel, "supplied_on"),
}


def ledger_rows(indicators, unit_ids, first_day, last_day):
    """[(unit_id, indicator_id, week_end, amount)] — one grouped query per indicator."""
    rows = []
    for indicator in indicators:
        if indicator.source not in SOURCES:
            continue
        model, date_field = SOURCES[indicator.source]
        sums = defaultdict(Decimal)
        earliest = first_day - timedelta(days=6)  # a week ending on or after first_day
        for unit_id, on, value in (
            model.objects.filter(
                unit_id__in=unit_ids, **{f"{date_field}__gte": earliest, f"{date_field}__lte": last_day}
            )
            .values("unit_id", date_field)
            .annotate(value=Sum("area"))
            .values_list("unit_id", date_field, "value")
        ):
            week_end = periods.week_of(on).end
            if first_day <= week_end:
                sums[(unit_id, week_end)] += Decimal(value or 0)
        rows += [(unit_id, indicator.pk, week_end, value) for (unit_id, week_end), value in sums.items()]
    return rows
