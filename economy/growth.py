"""比增 (year on year) and 环比 (month on month), computed from the stored figures of both years,
never typed.

A month's effective figures: the cumulative (1-N月累计) as stored, else the previous month's
cumulative plus this month's value; the month's value as stored, else this cumulative less the
previous one (January: the cumulative itself). 固投 and other indicators published only as
cumulative figures compare cumulative with cumulative; so does every indicator for a period: the
first quarter of 2021 is 1-3月累计 2021 against 1-3月累计 2020.

When last year's figure is missing (or zero) the growth is None with a note saying so — never 0.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from duban import periods
from economy.models import EconomicIndicator, MonthlyFigure, YearPlan

HUNDRED = Decimal(100)


def period_from_key(key):
    """A periods.Period from a key of any kind (2021-03, 2021-Q1, 2021-H1, 2021); ValueError."""
    for kind in periods.PERIOD_KINDS:
        try:
            return periods.parse_period(kind, key)
        except ValueError:
            continue
    raise ValueError(key)


def effective(rows):
    """{month: (month_value, cumulative)} from {month: (stored month_value, stored cumulative)}."""
    out, prev_cum = {}, Decimal(0)
    for month in range(1, 13):
        stored_mv, stored_cum = rows.get(month, (None, None))
        cum = stored_cum
        if cum is None and stored_mv is not None and prev_cum is not None:
            cum = prev_cum + stored_mv
        mv = stored_mv
        if mv is None and cum is not None and prev_cum is not None:
            mv = cum - prev_cum
        if mv is not None or cum is not None:
            out[month] = (mv, cum)
        prev_cum = cum
    return out


def rate(current, previous):
    """(growth % as Decimal or None, note)."""
    if current is None:
        return None, _("No figure for this period")
    if previous is None:
        return None, _("No figure for the same period last year")
    if previous == 0:
        return None, _("Zero in the same period last year: no growth rate")
    return (current - previous) / previous * HUNDRED, ""


def rounded(value, places):
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class Reading:
    indicator: EconomicIndicator
    year: int
    month: int
    cumulative: Decimal | None
    last_cumulative: Decimal | None
    growth: Decimal | None  # 比增 of the cumulative, %
    growth_note: str
    month_value: Decimal | None
    last_month_value: Decimal | None
    month_growth: Decimal | None  # 同比 of the month's own value
    mom: Decimal | None  # 环比: this month against the previous month
    mom_note: str
    plan: Decimal | None = None
    target_growth: Decimal | None = None
    this_year: dict = None  # {month: (month_value, cumulative)}
    last_year: dict = None

    @property
    def growth_rounded(self):
        return rounded(self.growth, self.indicator.growth_places)

    @property
    def value_text(self):
        """The cumulative as published: 60.3, 3,392 (no trailing zeros); "—" when missing."""
        return figure_text(self.cumulative)

    @property
    def plan_pct(self):
        if self.plan and self.cumulative is not None:
            return self.cumulative / self.plan * HUNDRED
        return None


def figure_text(value):
    return "—" if value is None else f"{value.normalize():,f}"


def stored_rows(unit, indicators, years):
    """{(indicator id, year): {month: (month_value, cumulative)}} in one query."""
    found = {}
    for f in MonthlyFigure.objects.filter(unit=unit, indicator__in=indicators, year__in=years):
        found.setdefault((f.indicator_id, f.year), {})[f.month] = (f.month_value, f.cumulative)
    return found


def readings(unit, year, month, indicators=None):
    """A Reading of each indicator for the unit, 1-`month`月 of `year` against the year before."""
    if not 1 <= month <= 12:
        raise ValueError(month)
    indicators = list(indicators if indicators is not None else EconomicIndicator.objects.all())
    rows = stored_rows(unit, indicators, [year - 1, year])
    plans = {p.indicator_id: p for p in YearPlan.objects.filter(unit=unit, year=year, indicator__in=indicators)}
    out = []
    for indicator in indicators:
        now = effective(rows.get((indicator.pk, year), {}))
        then = effective(rows.get((indicator.pk, year - 1), {}))
        mv, cum = now.get(month, (None, None))
        last_mv, last_cum = then.get(month, (None, None))
        growth, note = rate(cum, last_cum)
        month_growth, _n = rate(mv, last_mv)
        before = then.get(12, (None, None))[0] if month == 1 else now.get(month - 1, (None, None))[0]
        mom, mom_note = rate(mv, before)
        if mom is None and mv is not None and before is None:
            mom_note = _("No figure for the month before")
        plan = plans.get(indicator.pk)
        out.append(
            Reading(
                indicator,
                year,
                month,
                cum,
                last_cum,
                growth,
                note,
                mv,
                last_mv,
                month_growth,
                mom,
                mom_note,
                plan.plan_value if plan else None,
                plan.target_growth if plan else None,
                now,
                then,
            )
        )
    return out


def latest_month(unit, year=None):
    """(year, month) of the unit's latest stored figure (in `year` when given), or None."""
    qs = MonthlyFigure.objects.filter(unit=unit)
    if year is not None:
        qs = qs.filter(year=year)
    last = qs.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(last) if last else None


def chart_data(reading):
    """The month-by-month chart of one indicator: this year against last year (cumulative)."""
    months = list(range(1, 13))
    last = max([*(reading.this_year or {}), *(reading.last_year or {}), reading.month])

    def points(series):
        return [_f(series.get(m, (None, None))[1]) for m in months[:last]]

    return {
        "categories": [f"{m}月" if m == 1 else f"1-{m}月" for m in months[:last]],
        "series": [
            {"name": f"{reading.year - 1}年", "data": points(reading.last_year or {})},
            {"name": f"{reading.year}年", "data": points(reading.this_year or {})},
        ],
        "unit": reading.indicator.unit_of_measure,
        "title": reading.indicator.name,
    }


def _f(value):
    return None if value is None else float(value)
