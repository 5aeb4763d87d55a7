"""Investment figures of key projects: this month, year to date, since start, against the annual
plan and against time elapsed (时序进度).

Offices usually take time elapsed as months elapsed ÷ 12 ("1-8月占年计划74%,超序时进度7.33个百分点");
the by-days variant (duban/periods.elapsed_pct over the year) is offered too. A year's opening
amount (YearOpening, 期初: what a first import's 年度累计完成 held before its month) counts in year
to date and since start from its month on. Every function runs a fixed number of grouped
queries, whatever the number of projects.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from duban import periods
from duban.schedule import done_pct
from projects.models import AnnualPlan, MonthlyInvestment, YearOpening

ZERO = Decimal(0)
YI = Decimal(100_000_000)  # 亿元
WAN = Decimal(10_000)  # 万元
TIME_METHODS = ("months", "days")


def month_end(year, month):
    return periods.period_of("month", date(year, month, 1)).end


def elapsed_pct(year, through_month, method="months"):
    """Share of the year elapsed at the end of `through_month`, in %."""
    if method == "months":
        return Decimal(through_month) * 100 / 12
    if method == "days":
        return periods.elapsed_pct(date(year, 1, 1), date(year, 12, 31), month_end(year, through_month))
    raise ValueError(f"unknown method {method!r}")


@dataclass
class Figures:
    annual_plan: Decimal = ZERO
    this_month: Decimal = ZERO
    ytd: Decimal = ZERO
    since_start: Decimal = ZERO

    @property
    def done_pct(self):
        return done_pct(self.ytd, self.annual_plan)


def _month_sums(year, through_month):
    first, through = date(year, 1, 1), date(year, through_month, 1)
    return {
        "this_month": Sum("amount", filter=Q(month=through)),
        "ytd": Sum("amount", filter=Q(month__gte=first, month__lte=through)),
        "since_start": Sum("amount", filter=Q(month__lte=through)),
    }


def _opening_sums(year, through_month):
    counted = Q(year=year, as_of__lte=through_month)
    return {
        "ytd": Sum("amount", filter=counted),
        "since_start": Sum("amount", filter=counted | Q(year__lt=year)),
    }


def project_figures(projects, year, through_month):
    """{project_id: Figures} for the given projects (three queries)."""
    ids = list(projects.values_list("pk", flat=True)) if hasattr(projects, "values_list") else list(projects)
    result = {pk: Figures() for pk in ids}
    for row in (
        MonthlyInvestment.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(**_month_sums(year, through_month))
    ):
        fig = result[row["project_id"]]
        fig.this_month = row["this_month"] or ZERO
        fig.ytd = row["ytd"] or ZERO
        fig.since_start = row["since_start"] or ZERO
    for project_id, amount in AnnualPlan.objects.filter(project_id__in=ids, year=year).values_list(
        "project_id", "amount"
    ):
        result[project_id].annual_plan = amount
    for row in (
        YearOpening.objects.filter(project_id__in=ids, year__lte=year)
        .values("project_id")
        .annotate(**_opening_sums(year, through_month))
    ):
        fig = result[row["project_id"]]
        fig.ytd += row["ytd"] or ZERO
        fig.since_start += row["since_start"] or ZERO
    return result


@dataclass
class Summary:
    label: str
    count: int
    total: Decimal
    figures: Figures
    year: int
    through_month: int
    method: str = "months"

    @property
    def elapsed_pct(self):
        return elapsed_pct(self.year, self.through_month, self.method)

    @property
    def gap(self):
        pct = self.figures.done_pct
        return None if pct is None else pct - self.elapsed_pct

    def as_dict(self):
        from duban.schedule import q2

        return {
            "count": self.count,
            "total": str(q2(self.total)),
            "annual_plan": str(q2(self.figures.annual_plan)),
            "done": str(q2(self.figures.ytd)),
            "done_pct": str(q2(self.figures.done_pct)) if self.figures.done_pct is not None else None,
            "elapsed_pct": str(q2(self.elapsed_pct)),
            "time_method": self.method,
        }


def summarize(projects, year, through_month, group_by=None, method="months"):
    """Totals of a project queryset, in all (group_by=None) or per unit / level / category / stage.

    Four grouped queries: projects, annual plans, monthly investment, openings of the year.
    """
    field = {None: None, "unit": "unit_id", "level": "level", "category": "category", "stage": "stage"}[group_by]

    def keyed(qs, prefix, **aggregates):
        values = [f"{prefix}{field}"] if field else []
        rows = qs.values(*values).annotate(**aggregates) if values else [qs.aggregate(**aggregates)]
        return {(row[values[0]] if values else None): row for row in rows}

    projects = projects.order_by()
    heads = keyed(projects, "", n=Count("pk"), total=Sum("total_investment"))
    plans = keyed(AnnualPlan.objects.filter(project__in=projects, year=year), "project__", plan=Sum("amount"))
    done = keyed(
        MonthlyInvestment.objects.filter(project__in=projects), "project__", **_month_sums(year, through_month)
    )
    opened = keyed(
        YearOpening.objects.filter(project__in=projects, year__lte=year),
        "project__",
        **_opening_sums(year, through_month),
    )
    summaries = []
    for key, head in heads.items():
        if not head["n"]:
            continue
        d, o = done.get(key, {}), opened.get(key, {})
        figures = Figures(
            annual_plan=(plans.get(key) or {}).get("plan") or ZERO,
            this_month=d.get("this_month") or ZERO,
            ytd=(d.get("ytd") or ZERO) + (o.get("ytd") or ZERO),
            since_start=(d.get("since_start") or ZERO) + (o.get("since_start") or ZERO),
        )
        summaries.append(Summary(key, head["n"], head["total"] or ZERO, figures, year, through_month, method))
    return summaries


def total(projects, year, through_month, method="months"):
    rows = summarize(projects, year, through_month, method=method)
    return rows[0] if rows else Summary(None, 0, ZERO, Figures(), year, through_month, method)
