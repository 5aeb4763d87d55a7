from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from campaigns.models import Indicator
from duban.periods import Week
from org.models import OrgUnit, path_prefixes


class WeeklyReport(models.Model):
    """One unit's report for one week (identified by the week's closing date)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    week_end = models.DateField(_("week closing date"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress_text = models.TextField(_("progress"), blank=True)
    experience_text = models.TextField(_("experience and practice"), blank=True)
    problems_text = models.TextField(_("problems"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(_("reason for return"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raised by every save: a form carries the version it was opened at, and a save from a form
    # opened before someone else's save is refused instead of silently overwriting it.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "week_end"], name="unique_unit_week")]
        indexes = [models.Index(fields=["status", "week_end"])]
        ordering = ["-week_end", "unit__path"]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")

    def __str__(self):
        return f"{self.unit} · {self.week.label}"

    @cached_property
    def week(self):
        return Week(self.week_end)

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_late(self):
        return self.submitted_at is not None and self.submitted_at > self.week.deadline


class ReportValue(models.Model):
    """The week's amount of one indicator (flows) or its level at the week's end (stocks)."""

    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_report_indicator")]
        verbose_name = _("report value")
        verbose_name_plural = _("report values")

    def __str__(self):
        return f"{self.indicator_id}: {self.amount}"


class WeekLock(models.Model):
    """The office closed this week for a unit's subtree: no report of it can be saved or
    submitted any more. A county office locks its county; a lock above covers it too."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    week_end = models.DateField(_("week closing date"))
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "week_end"], name="unique_unit_week_lock")]
        verbose_name = _("locked week")
        verbose_name_plural = _("locked weeks")

    def __str__(self):
        return f"{self.unit} · {Week(self.week_end)}"

    @classmethod
    def covering(cls, unit, week_end):
        """The locks of `week_end` that cover `unit`: its own and its ancestors'."""
        return cls.objects.filter(week_end=week_end, unit__path__in=path_prefixes(unit.path))


class HeldFigure(models.Model):
    """A typed figure above the campaign's bound (see reports/plausibility.py): stored here, NOT
    as a ReportValue, so no figure counts it, until the reporter confirms it with a reason; the
    confirmation writes the ReportValue."""

    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="held")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    bound = models.DecimalField(_("bound"), max_digits=18, decimal_places=2)
    held_at = models.DateTimeField(_("held at"), default=timezone.now)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_held_figure")]
        ordering = ["report__week_end", "indicator__sort_order"]
        verbose_name = _("held-back figure")
        verbose_name_plural = _("held-back figures")

    def __str__(self):
        return f"{self.report} · {self.indicator_id}: {self.amount}"

    @property
    def pending(self):
        return self.confirmed_at is None


# Roll-ups of campaign figures (reports/rollups.py): derived data, kept by delta on every write.


class RollupOwn(models.Model):
    """One unit's own figure of one indicator in one week, as the campaign roll-ups count it:
    a submitted report's value (entered indicators) or the week's sum from a ledger (its
    villages' households, its projects' months). The roll-ups are moved by the difference
    between this copy and the base tables."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    week_end = models.DateField()
    amount = models.DecimalField(max_digits=24, decimal_places=6)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "indicator", "week_end"], name="unique_rollup_own")]

    def __str__(self):
        return f"{self.unit_id} · {self.indicator_id} · {self.week_end}: {self.amount}"


class RollupWeek(models.Model):
    """A campaign's figure of one target unit (its subtree) and indicator, cumulative from the
    campaign's start to the end of one of its weeks; `n` counts the figures summed (0: none
    reported yet). One row for every week of the campaign."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    week_end = models.DateField()
    cum = models.DecimalField(max_digits=24, decimal_places=6, default=0)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "week_end", "unit", "indicator"], name="unique_rollup_week")
        ]

    def __str__(self):
        return f"{self.campaign_id} · {self.unit_id} · {self.indicator_id} · {self.week_end}: {self.cum}"


class RollupState(models.Model):
    """The structure version (duban/versions.py) a campaign's RollupWeek rows were laid out for:
    targets, dates, indicators and the org tree. Another version: the rows are laid out anew."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, primary_key=True, related_name="+")
    structure = models.BigIntegerField(null=True)

    def __str__(self):
        return f"{self.campaign_id}: {self.structure}"


class RollupDirty(models.Model):
    """A unit whose own figures may have changed, written by triggers in the database on every
    write to reports and the ledgers (reports/rollups.py), whoever writes; drained by the
    writer's own call right after its write, else by the next reader."""

    unit_id = models.IntegerField()
    kind = models.CharField(max_length=1)  # r: weekly reports, h: requisition ledger, p: projects, l: land

    def __str__(self):
        return f"{self.kind} {self.unit_id}"


class RollupMark(models.Model):
    """The highest id of each ledger table already counted (inserts into them are caught by id,
    as duban/versions.py does, rather than by a trigger on every imported row)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.value}"
