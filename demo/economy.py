"""Demo economic indicators of Fuzhou high-tech zone (seed 000): the monthly raw values of the
first quarters of 2020 and 2021, chosen so that the zone's first quarter comes back exactly as
the seed publishes it: 固投 60.3 亿元 比增 46.7 %; 工业固投 29.3 亿元 比增 163.7 %; 规上工业产值 49 亿元
比增 41.2 %; 一般公共预算总收入 9.1 亿元 比增 15.4 %; 地方一般公共预算收入 6.47 亿元 比增 6.4 %; 进出口总额
6.9 亿元 比增 11 %; 实际利用外资 3,392 万元 (no 2020 figure: no growth); 限上社会消费品零售总额 5.66 亿元
比增 28.41 %.

固投 and 工业固投 are published as 1-2月 and 1-3月 cumulative figures; the others as month values
(their cumulative figures are computed). Loading twice changes nothing.
"""

from decimal import Decimal

from economy.models import EconomicIndicator, MonthlyFigure, ReportSelection, YearPlan

SOURCE = "福州高新区统计局（演示数据）"

# code: {year: {month: value}} — cumulative for the cumulative-only indicators, month values else
FIGURES = {
    "fixed_investment": {2020: {2: "22.6", 3: "41.1"}, 2021: {2: "33.8", 3: "60.3"}},
    "industrial_investment": {2020: {2: "5.2", 3: "11.11"}, 2021: {2: "13.4", 3: "29.3"}},
    "industrial_output": {2020: {1: "12.4", 2: "8.9", 3: "13.4"}, 2021: {1: "15.2", 2: "14.1", 3: "19.7"}},
    "budget_revenue": {2020: {1: "3.1", 2: "2.2", 3: "2.586"}, 2021: {1: "3.5", 2: "2.4", 3: "3.2"}},
    "local_budget_revenue": {2020: {1: "2.38", 2: "1.6", 3: "2.1"}, 2021: {1: "2.52", 2: "1.71", 3: "2.24"}},
    "foreign_trade": {2020: {1: "2.1", 2: "1.7", 3: "2.416"}, 2021: {1: "2.3", 2: "1.9", 3: "2.7"}},
    "foreign_investment": {2021: {1: "1050", 2: "980", 3: "1362"}},
    "retail_sales": {2020: {1: "1.62", 2: "1.38", 3: "1.4078"}, 2021: {1: "2.05", 2: "1.71", 3: "1.9"}},
}
PLANS = {"fixed_investment": ("260", "15"), "industrial_output": ("210", "12")}  # 2021: plan 亿元, target growth %


def load(zone):
    indicators = {i.code: i for i in EconomicIndicator.objects.all()}
    for code, years in FIGURES.items():
        indicator = indicators[code]
        field = "cumulative" if indicator.cumulative_only else "month_value"
        for year, months in years.items():
            for month, value in months.items():
                MonthlyFigure.objects.update_or_create(
                    unit=zone,
                    indicator=indicator,
                    year=year,
                    month=month,
                    defaults={field: Decimal(value), "source": SOURCE},
                )
    for code, (plan, growth) in PLANS.items():
        YearPlan.objects.update_or_create(
            unit=zone,
            indicator=indicators[code],
            year=2021,
            defaults={"plan_value": Decimal(plan), "target_growth": Decimal(growth)},
        )
    selection, _created = ReportSelection.objects.get_or_create(unit=zone)
    selection.indicators.set(indicators.values())
