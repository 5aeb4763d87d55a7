"""Economic figures for the tests: the standard catalogue and the demo's raw rows."""

from decimal import Decimal

from demo import economy as economy_demo
from economy import catalogue
from economy.models import EconomicIndicator, FigureRevision, MonthlyFigure, ReportSelection, YearPlan

# The seed's first quarter (seed 000): value, unit, 比增 at the seed's precision (None: not given)
SEED = {
    "固投": ("60.3", "亿元", "46.7"),
    "工业固投": ("29.3", "亿元", "163.7"),
    "规上工业产值": ("49", "亿元", "41.2"),
    "一般公共预算总收入": ("9.1", "亿元", "15.4"),
    "地方一般公共预算收入": ("6.47", "亿元", "6.4"),
    "进出口总额": ("6.9", "亿元", "11"),
    "实际利用外资": ("3392", "万元", None),
    "限上社会消费品零售总额": ("5.66", "亿元", "28.41"),
}


def indicators():
    catalogue.create(EconomicIndicator)
    return {i.code: i for i in EconomicIndicator.objects.all()}


def load_raw(unit):
    """The demo's raw monthly rows (economy_demo.FIGURES) for `unit`."""
    found = indicators()
    for code, years in economy_demo.FIGURES.items():
        field = "cumulative" if found[code].cumulative_only else "month_value"
        for year, months in years.items():
            for month, value in months.items():
                MonthlyFigure.objects.create(
                    unit=unit, indicator=found[code], year=year, month=month, **{field: Decimal(value)}
                )
    return found


def economy_fingerprint():
    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "figures": rows(MonthlyFigure, "unit_id", "indicator_id", "year", "month", "month_value", "cumulative"),
        "revisions": rows(FigureRevision, "figure_id", "field", "old_value", "new_value", "reason"),
        "plans": rows(YearPlan, "unit_id", "indicator_id", "year", "plan_value"),
        "selections": [
            (s.unit_id, sorted(s.indicators.values_list("pk", flat=True))) for s in ReportSelection.objects.all()
        ],
    }
