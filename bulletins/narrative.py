"""The sentences of a bulletin, written from the data the way the seeds write them:

"截至6月10日,完成交地比率为76.47%,完成征迁户数比率为59.05%。"
"今年1月至5月,累计完成投资88.19亿元,完成年计划投资的51.39%。"

Percentages are rounded half up to two places (duban.schedule.q2). An indicator is named by
its name without a trailing "面积" (交地面积 → 交地) and without "完成", as the seeds say "完成交地比率".
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.models import Indicator
from duban import periods
from duban.schedule import q2

TRIM = ("面积",)


def short_name(indicator):
    name = indicator.name.replace("完成", "") or indicator.name  # 重点项目完成投资 → 重点项目投资
    for suffix in TRIM:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def day_label(day):
    return _("%(month)d/%(day)d") % {"month": day.month, "day": day.day}


def fmt(value, places=2):
    return f"{q2(value):,.{places}f}" if places == 2 else f"{Decimal(value):,.{places}f}"


def join(clauses):
    return pgettext("list separator in a sentence", ", ").join(clauses)


def summary_indicators(progress):
    """The indicators a progress sentence names: those with a total, investment excepted (it has
    a sentence of its own from the project ledger)."""
    return [
        i for i in progress.indicators if i.pk in progress.totals and i.source != Indicator.Source.PROJECT_INVESTMENT
    ]


def progress_sentence(progress):
    clauses = []
    for indicator in summary_indicators(progress):
        pct = progress.totals[indicator.pk].done_pct
        if pct is not None:
            clauses.append(_("the %(what)s done rate is %(pct)s%%") % {"what": short_name(indicator), "pct": fmt(pct)})
    if not clauses:
        return ""
    return _("As of %(date)s, %(clauses)s.") % {"date": day_label(progress.as_of), "clauses": join(clauses)}


def investment_through_month(as_of):
    """The last month fully passed on `as_of` (0 when none this year)."""
    month_end = periods.period_of("month", as_of).end
    return as_of.month if as_of == month_end else as_of.month - 1


def investment_sentence(campaign, as_of):
    """From the key-project ledger: the campaign's projects this year through the last full month."""
    from projects import investment
    from projects.models import Project

    through = investment_through_month(as_of)
    if through < 1:
        return ""
    projects = Project.objects.filter(campaigns=campaign)
    summary = investment.total(projects, as_of.year, through)
    if not summary.count or not summary.figures.annual_plan:
        return ""
    values = {
        "month": through,
        "amount": fmt(summary.figures.ytd / investment.YI),
        "pct": fmt(summary.figures.done_pct),
    }
    if through == 1:
        return (
            _(
                "In January this year, investment of %(amount)s hundred million yuan was completed, "
                "%(pct)s%% of the annual plan."
            )
            % values
        )
    return (
        _(
            "From January to month %(month)d this year, investment of %(amount)s hundred million yuan was "
            "completed, %(pct)s%% of the annual plan."
        )
        % values
    )


def schedule_sentence(progress, statuses):
    """Time elapsed and how many units are behind it. `statuses`: {unit_id: "green"|"yellow"|"red"|…}."""
    behind = sum(1 for s in statuses.values() if s in ("yellow", "red"))
    red = sum(1 for s in statuses.values() if s == "red")
    values = {"elapsed": fmt(progress.elapsed_pct), "behind": behind, "red": red}
    if not behind:
        return _("Time elapsed is %(elapsed)s%%; every unit keeps pace with it.") % values
    return _("Time elapsed is %(elapsed)s%%; %(behind)d units are behind it, %(red)d of them seriously.") % values


def leader_sentences(progress):
    """ "交地方面,两园指挥部完成比率最高,为96.25%。" for each summary indicator."""
    sentences = []
    for indicator in summary_indicators(progress):
        rows = [r for r in progress.rows_for(indicator) if r.done_pct is not None]
        if len(rows) < 2:
            continue
        best = max(rows, key=lambda r: (r.done_pct, r.done))
        sentences.append(
            _("In %(what)s, %(unit)s has the highest done rate, %(pct)s%%.")
            % {"what": short_name(indicator), "unit": best.unit.name, "pct": fmt(best.done_pct)}
        )
    return sentences


def reports_sentence(on_time, late, missing):
    return _("This week %(on_time)d units reported on time, %(late)d late and %(missing)d not at all.") % {
        "on_time": on_time,
        "late": late,
        "missing": missing,
    }


PERIOD_LABELS = {
    "month": lambda p: _("%(year)d-%(month)d") % {"year": p.start.year, "month": p.start.month},
    "quarter": lambda p: _("Q%(quarter)d %(year)d") % {"year": p.start.year, "quarter": (p.start.month - 1) // 3 + 1},
    "half": lambda p: (
        (_("first half of %(year)d") if p.start.month == 1 else _("second half of %(year)d")) % {"year": p.start.year}
    ),
    "year": lambda p: _("year %(year)d") % {"year": p.start.year},
}


def period_label(period):
    return PERIOD_LABELS[period.kind](period)


def rollup_sentence(period, indicator, amount, cumulative, target):
    values = {
        "period": period_label(period),
        "what": short_name(indicator),
        "amount": fmt(amount),
        "uom": indicator.unit_of_measure,
        "cum": fmt(cumulative),
    }
    if target:
        values["pct"] = fmt(Decimal(100) * cumulative / target)
        return (
            _(
                "In %(period)s, %(amount)s %(uom)s of %(what)s was done; %(cum)s %(uom)s since the campaign "
                "began, %(pct)s%% of the target."
            )
            % values
        )
    return (
        _("In %(period)s, %(amount)s %(uom)s of %(what)s was done; %(cum)s %(uom)s since the campaign began.") % values
    )
