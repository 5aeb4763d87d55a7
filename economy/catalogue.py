"""The standard catalogue of indicators the statistics office publishes, created by a data
migration on every install (a fresh zone has them before any figure is typed)."""

# code, name, short name (as reports write it), unit, published as, growth decimals
STANDARD = [
    ("fixed_investment", "固定资产投资", "固投", "亿元", "cumulative", 1),
    ("industrial_investment", "工业固定资产投资", "工业固投", "亿元", "cumulative", 1),
    ("industrial_output", "规模以上工业总产值", "规上工业产值", "亿元", "monthly", 1),
    ("budget_revenue", "一般公共预算总收入", "一般公共预算总收入", "亿元", "monthly", 1),
    ("local_budget_revenue", "地方一般公共预算收入", "地方一般公共预算收入", "亿元", "monthly", 1),
    ("foreign_trade", "进出口总额", "进出口总额", "亿元", "monthly", 1),
    ("foreign_investment", "实际利用外资", "实际利用外资", "万元", "monthly", 1),
    ("retail_sales", "限额以上社会消费品零售总额", "限上社会消费品零售总额", "亿元", "monthly", 2),
]


def create(EconomicIndicator):
    for order, (code, name, short, unit, published_as, places) in enumerate(STANDARD, start=1):
        EconomicIndicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "unit_of_measure": unit,
                "published_as": published_as,
                "growth_places": places,
                "sort_order": order * 10,
            },
        )
