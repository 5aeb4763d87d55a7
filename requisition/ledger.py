"""Weekly figures taken from the requisition ledger, for indicators whose source is it:
households signed, m² demolished, 亩 of land delivered, graves moved, enterprises moved.
Each counts in the week of its step's date."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Sum

from campaigns.models import Indicator
from duban import periods
from requisition.models import Enterprise, Grave, Household

S = Indicator.Source
AREA = DecimalField(max_digits=14, decimal_places=2)
SOURCES = {
    S.HOUSEHOLDS_SIGNED: (Household, "signed_on", Count("pk")),
    S.AREA_DEMOLISHED: (Household, "demolished_on", Sum(F("legal_area") + F("unlicensed_area"), output_field=AREA)),
    S.LAND_DELIVERED: (Household, "delivered_on", Sum("land_area")),
    S.GRAVES_MOVED: (Grave, "moved_on", Count("pk")),
    S.ENTERPRISES_MOVED: (Enterprise, "moved_on", Count("pk")),
}


def ledger_rows(indicators, unit_ids, first_day, last_day):
    """[(village_id, indicator_id, week_end, amount)] — one grouped query per indicator."""
    rows = []
    for indicator in indicators:
        if indicator.source not in SOURCES:
            continue
        model, date_field, amount = SOURCES[indicator.source]
        sums = defaultdict(Decimal)
        week_ends = {}
        # a step counts in the week holding its date: nothing dated a week before first_day can count
        earliest = first_day - timedelta(days=6)
        for village_id, on, value in (
            model.objects.filter(
                village_id__in=unit_ids, **{f"{date_field}__gte": earliest, f"{date_field}__lte": last_day}
            )
            .values("village_id", date_field)
            .annotate(value=amount)
            .values_list("village_id", date_field, "value")
        ):
            week_end = week_ends.get(on) or week_ends.setdefault(on, periods.week_of(on).end)
            if first_day <= week_end:
                sums[(village_id, week_end)] += Decimal(value or 0)
        rows += [(village_id, indicator.pk, week_end, value) for (village_id, week_end), value in sums.items()]
    return rows
