from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.punctuation import bracketed
from org.models import OrgUnit


class Indicator(models.Model):
    """Something measured: land delivered (亩), households relocated (户), m² demolished …"""

    class Kind(models.TextChoices):
        FLOW = "flow", _("Flow (weekly amounts are summed)")
        STOCK = "stock", _("Stock (the latest value counts)")
        RATIO = "ratio", _("Ratio of two indicators")

    class Source(models.TextChoices):
        REPORT = "report", _("Typed in weekly reports")
        PROJECT_INVESTMENT = "project_investment", _("Key projects: investment completed (10k yuan)")
        PROJECTS_STARTED = "projects_started", _("Key projects: construction starts")
        PROJECTS_COMPLETED = "projects_completed", _("Key projects: completions")
        HOUSEHOLDS_SIGNED = "households_signed", _("Requisition ledger: households signed")
        AREA_DEMOLISHED = "area_demolished", _("Requisition ledger: building area demolished (m²)")
        LAND_DELIVERED = "land_delivered", _("Requisition ledger: land delivered (mu)")
        GRAVES_MOVED = "graves_moved", _("Requisition ledger: graves moved")
        ENTERPRISES_MOVED = "enterprises_moved", _("Requisition ledger: enterprises moved")
        LAND_APPROVED = "land_approved", _("Land ledger: land approved (mu)")
        LAND_SUPPLIED = "land_supplied", _("Land ledger: land supplied (mu)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FLOW)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=Source.choices,
        default=Source.REPORT,
        help_text=_("Figures a ledger holds are taken from it, never typed again."),
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    never_decreases = models.BooleanField(
        _("never decreases"), default=False, help_text=_("For stocks: a value lower than the last one is refused.")
    )
    numerator = models.ForeignKey(
        "self", verbose_name=_("numerator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name=_("denominator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return bracketed(self.name, self.unit_of_measure)

    @property
    def is_entered(self):
        """Typed in weekly reports: flows and stocks whose source is the report itself."""
        return self.kind != self.Kind.RATIO and self.source == self.Source.REPORT

    @property
    def from_ledger(self):
        return self.source != self.Source.REPORT

    PROJECT_SOURCES = ("project_investment", "projects_started", "projects_completed")
    LAND_SOURCES = ("land_approved", "land_supplied")

    @property
    def ledger_note(self):
        """Where a ledger figure comes from, as the report page says it; "" for a typed one."""
        if not self.from_ledger:
            return ""
        if self.source in self.PROJECT_SOURCES:
            return _("from the project ledger")
        if self.source in self.LAND_SOURCES:
            return _("from the land ledger")
        return _("from the requisition ledger")

    def clean(self):
        if self.kind == self.Kind.RATIO and not (self.numerator_id and self.denominator_id):
            raise ValidationError(_("A ratio needs a numerator and a denominator."))
        if self.from_ledger and self.kind != self.Kind.FLOW:
            raise ValidationError(_("An indicator taken from a ledger is a flow."))


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Campaigns a user may open: those owned in the user's subtrees, and those with a target
        in, above or below one of the user's units (a campaign's league table is shared with every
        unit that takes part in it)."""
        if scope.reads_all:
            return self.all()
        q = scope.reach_q("targets__unit__path") | scope.reach_q("owner__path")
        ancestors = {int(part) for path in scope.paths for part in path.split(".") if part}
        q |= models.Q(targets__unit_id__in=ancestors)
        return self.filter(q).distinct()


class Campaign(models.Model):
    """A time-boxed push (攻坚行动) with targets per unit and a task list."""

    name = models.CharField(_("name"), max_length=100)
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    owner = models.ForeignKey(OrgUnit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    goals = models.TextField(_("goals"), blank=True)
    yellow_gap = models.DecimalField(
        _("yellow from (points behind time)"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    red_gap = models.DecimalField(
        _("red above (points behind time)"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    hold_factor = models.PositiveSmallIntegerField(
        _("hold back a week above (times the unit's best week)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A weekly figure above the whole target and above this many times the unit's best week so far "
            "is held back until the reporter confirms it."
        ),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError(_("The end date is before the start date."))
        if self.yellow_gap is not None and self.red_gap is not None and self.red_gap < self.yellow_gap:
            raise ValidationError(_("The red threshold must not be below the yellow one."))

    def covers(self, week):
        """A week counts for a campaign when at least one of its days falls within the campaign."""
        return week.end >= self.start and week.start <= self.end


class Target(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        _("target"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "indicator"], name="unique_target")]
        ordering = ["campaign", "unit__path", "indicator__sort_order"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.campaign} · {self.unit} · {self.indicator}: {self.amount}"


class Task(models.Model):
    """An item of a campaign's task list (任务清单)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    progress_note = models.TextField(_("progress"), blank=True)
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return self.title

    def clean(self):
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError(_("A done task needs its done date."))

    @property
    def on_time(self):
        return self.status == self.Status.DONE and self.done_on is not None and self.done_on <= self.deadline
