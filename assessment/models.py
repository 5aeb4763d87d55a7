"""Comprehensive assessment (综合考评): a scoring scheme per campaign, and the published (frozen)
league tables and monthly rankings made from it."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Indicator


class Scheme(models.Model):
    """How a campaign's units are scored. Without one, assessment.scheme.default_scheme applies."""

    class TieRule(models.TextChoices):
        PARTS = "parts", _("Equal totals: the parts decide in their order, then the rank is shared")
        SHARE = "share", _("Equal totals share the rank")

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="assessment_scheme")
    tie_rule = models.CharField(_("tie rule"), max_length=10, choices=TieRule.choices, default=TieRule.PARTS)
    green_from = models.DecimalField(
        _("total: green from (percent of the full score)"), max_digits=5, decimal_places=2, default=Decimal(85)
    )
    yellow_from = models.DecimalField(
        _("total: yellow from (percent of the full score)"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    bottom_n = models.PositiveSmallIntegerField(
        _("warning: bottom places"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A unit in the bottom N places …"),
    )
    streak = models.PositiveSmallIntegerField(
        _("warning: periods in a row"),
        default=3,
        validators=[MinValueValidator(2)],
        help_text=_("… for K league tables (weeks or months) in a row is flagged."),
    )
    red_weeks = models.PositiveSmallIntegerField(
        _("warning: red weeks in a row"), default=3, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self):
        return str(self.campaign)

    def clean(self):
        if self.green_from is not None and self.yellow_from is not None and self.yellow_from > self.green_from:
            raise ValidationError(_("The yellow threshold must not be above the green one."))


class Part(models.Model):
    """One weighted part of a scheme. Each part yields a rate (higher is better, 100 = full
    marks when capped) and points = weight × rate ÷ 100."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("Done rate of an indicator's target")
        SCHEDULE = "schedule", _("Done % against time elapsed")
        REPORTS = "reports", _("Weekly reports on time")
        TASKS = "tasks", _("Task-list items done on time")
        PROBLEMS = "problems", _("Coordination problems solved")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1000))],
    )
    capped = models.BooleanField(_("capped at full marks"), default=True)
    green_from = models.DecimalField(_("green from (rate %)"), max_digits=6, decimal_places=2, default=Decimal(90))
    yellow_from = models.DecimalField(_("yellow from (rate %)"), max_digits=6, decimal_places=2, default=Decimal(60))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("scoring part")
        verbose_name_plural = _("scoring parts")

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.kind == self.Kind.INDICATOR and self.indicator_id:
            return str(_("%(indicator)s done %%") % {"indicator": self.indicator.name})
        return str(self.get_kind_display())

    def clean(self):
        if self.kind == self.Kind.INDICATOR and not self.indicator_id:
            raise ValidationError(_("A part scoring an indicator needs the indicator."))
        if self.kind != self.Kind.INDICATOR and self.indicator_id:
            raise ValidationError(_("Only a part scoring an indicator takes an indicator."))
        if self.green_from is not None and self.yellow_from is not None and self.yellow_from > self.green_from:
            raise ValidationError(_("The yellow threshold must not be above the green one."))


class Publication(models.Model):
    """A published league table or monthly ranking: the numbers as sent, frozen. A correction is
    published as a new version that lists what changed."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Weekly league table")
        MONTH = "month", _("Monthly ranking")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assessment_publications")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_key = models.CharField(_("period"), max_length=10)
    version = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("table as published"))
    changes = models.JSONField(_("changes from the previous version"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "kind", "-period_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "period_key", "version"], name="unique_publication")
        ]
        verbose_name = _("published assessment")
        verbose_name_plural = _("published assessments")

    def __str__(self):
        return f"{self.campaign} · {self.period_key} · v{self.version}"
