"""Weekly figures taken from the key-project ledger, for indicators whose source is a ledger.

A month's completed investment counts in the week that holds the month's last day (offices
report "1-5月" figures at the month's close), and a year's opening amount (期初, through month N)
in the week that holds the last day of month N; a start or completion counts in the week of its
actual date. Amounts of investment are in 万元, the unit offices use in weekly reports.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from campaigns.models import Indicator
from duban import periods
from projects.models import Milestone, MonthlyInvestment, YearOpening

WAN = Decimal(10_000)
MILESTONE_SOURCES = {
    Indicator.Source.PROJECTS_STARTED: Milestone.Kind.START,
    Indicator.Source.PROJECTS_COMPLETED: Milestone.Kind.COMPLETION,
}


def ledger_rows(indicators, unit_ids, first_day, last_day):
    """[(unit_id, indicator_id, week_end, amount)] for ledger-sourced indicators (one query each)."""
    rows = []
    for indicator in indicators:
        if indicator.source == Indicator.Source.PROJECT_INVESTMENT:
            sums = defaultdict(Decimal)
            for unit_id, month, amount in (
                MonthlyInvestment.objects.filter(project__unit_id__in=unit_ids, month__lte=last_day)
                .values("project__unit_id", "month")
                .annotate(total=Sum("amount"))
                .values_list("project__unit_id", "month", "total")
            ):
                week_end = periods.week_of(periods.period_of("month", month).end).end
                if first_day <= week_end:
                    sums[(unit_id, week_end)] += amount / WAN
            for unit_id, year, as_of, amount in (
                YearOpening.objects.filter(project__unit_id__in=unit_ids)
                .values("project__unit_id", "year", "as_of")
                .annotate(total=Sum("amount"))
                .values_list("project__unit_id", "year", "as_of", "total")
            ):
                week_end = periods.week_of(periods.period_of("month", date(year, as_of, 1)).end).end
                if first_day <= week_end and week_end <= periods.week_of(last_day).end:
                    sums[(unit_id, week_end)] += amount / WAN
            rows += [(unit_id, indicator.pk, week_end, amount) for (unit_id, week_end), amount in sums.items()]
        elif indicator.source in MILESTONE_SOURCES:
            counts = defaultdict(int)
            for unit_id, actual, n in (
                Milestone.objects.filter(
                    project__unit_id__in=unit_ids,
                    kind=MILESTONE_SOURCES[indicator.source],
                    actual__isnull=False,
                    actual__lte=last_day,
                )
                .values("project__unit_id", "actual")
                .annotate(n=Count("pk"))
                .values_list("project__unit_id", "actual", "n")
            ):
                week_end = periods.week_of(actual).end
                if first_day <= week_end:
                    counts[(unit_id, week_end)] += n
            rows += [(unit_id, indicator.pk, week_end, Decimal(n)) for (unit_id, week_end), n in counts.items()]
    return rows
