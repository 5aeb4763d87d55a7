"""Economic indicators (经济指标) as the statistics office publishes them, per unit and month.

Named `EconomicIndicator` so it is not confused with campaigns.Indicator (a campaign's target
measure). Figures are kept as Decimal in the indicator's own unit of measure (亿元 or 万元, as
the statistics office publishes it: 60.3 亿元 is stored as 60.3, not as yuan), so that a figure
typed or imported comes back exactly as written.

A MonthlyFigure holds what was published for one month: the month's own value (本月) and / or
the cumulative value from January (1-N月累计). Some indicators (固投) are published only as a
cumulative figure. 比增 and 环比 are never stored: economy/growth.py computes them from the
stored values of both years. A change to a past month's stored value (统计口径调整) keeps the
old and new values with its reason in a FigureRevision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit

FIGURE = {"max_digits": 16, "decimal_places": 4}


class EconomicIndicator(models.Model):
    class Publication(models.TextChoices):
        MONTHLY = "monthly", _("month's value and cumulative")
        CUMULATIVE = "cumulative", _("cumulative only")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=10, choices=[("亿元", "亿元"), ("万元", "万元")], default="亿元"
    )
    published_as = models.CharField(
        _("published as"), max_length=12, choices=Publication.choices, default=Publication.MONTHLY
    )
    allows_negative = models.BooleanField(_("may be negative"), default=False)
    growth_places = models.PositiveSmallIntegerField(_("decimals of the growth rate"), default=1)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("economic indicator")
        verbose_name_plural = _("economic indicators")

    def __str__(self):
        return self.name

    @property
    def cumulative_only(self):
        return self.published_as == self.Publication.CUMULATIVE


class FigureQuerySet(models.QuerySet):
    def visible_to(self, scope):
        return self.all() if scope.reads_all else self.filter(scope.reach_q("unit__path"))


class MonthlyFigure(models.Model):
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="economy_figures")
    indicator = models.ForeignKey(
        EconomicIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    month_value = models.DecimalField(_("month's value"), null=True, blank=True, **FIGURE)
    cumulative = models.DecimalField(_("cumulative from January"), null=True, blank=True, **FIGURE)
    source = models.CharField(_("source"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__sort_order", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "year", "month"], name="economy_one_figure_a_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="economy_month_in_year"),
        ]
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")

    def __str__(self):
        return f"{self.unit} {self.indicator} {self.year}-{self.month:02d}"


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, scope):
        return self.all() if scope.reads_all else self.filter(scope.reach_q("figure__unit__path"))


class FigureRevision(models.Model):
    """A past month's published value changed (统计口径调整): both values and why."""

    figure = models.ForeignKey(MonthlyFigure, on_delete=models.CASCADE, related_name="revisions")
    field = models.CharField(
        max_length=20, choices=[("month_value", _("month's value")), ("cumulative", _("cumulative from January"))]
    )
    old_value = models.DecimalField(_("old value"), null=True, blank=True, **FIGURE)
    new_value = models.DecimalField(_("new value"), null=True, blank=True, **FIGURE)
    reason = models.CharField(_("reason"), max_length=200)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revised_at = models.DateTimeField(auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-revised_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.figure} {self.field}: {self.old_value} → {self.new_value}"


class YearPlan(models.Model):
    """The year's plan value or target growth of an indicator for a unit, where set."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="economy_plans")
    indicator = models.ForeignKey(EconomicIndicator, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    plan_value = models.DecimalField(_("year's plan"), null=True, blank=True, **FIGURE)
    target_growth = models.DecimalField(_("target growth (%)"), max_digits=8, decimal_places=2, null=True, blank=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "indicator", "year"], name="economy_one_plan_a_year")]

    def __str__(self):
        return f"{self.unit} {self.indicator} {self.year}"


class ReportSelection(models.Model):
    """The indicators an office includes in its bulletins and roll-ups (none: no section)."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="economy_selection")
    indicators = models.ManyToManyField(EconomicIndicator, blank=True, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FigureQuerySet.as_manager()

    def __str__(self):
        return str(self.unit)
