"""Key projects (重点项目): one leader, one team, one plan per project (专班专案).

Money is Decimal yuan throughout; pages show 万元 / 亿元.
"""

from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from org.models import OrgUnit

MONEY = {"max_digits": 18, "decimal_places": 2}


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Key projects a user may read: those of the user's units' subtrees."""
        return self.all() if scope.reads_all else self.filter(scope.reach_q("unit__path"))


class Project(models.Model):
    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial key project")
        MUNICIPAL = "municipal", _("Municipal key project")
        COUNTY = "county", _("County key project")
        GENERAL = "general", _("General project")

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        LIVELIHOOD = "livelihood", _("Livelihood")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        URBAN = "urban", _("Urban construction")
        OLD_VILLAGE = "old_village", _("Old village renewal")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        PLANNING = "planning", _("Planning")
        RESERVE = "reserve", _("Reserve")
        PREPARATION = "preparation", _("Preparation")
        CONSTRUCTION = "construction", _("Under construction")
        COMPLETED = "completed", _("Completed")
        PRODUCTION = "production", _("In production")

    code = models.CharField(_("project code"), max_length=40, null=True, blank=True, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.GENERAL)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PREPARATION)
    owner_enterprise = models.CharField(_("owner enterprise"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="projects"
    )
    leader = models.CharField(_("responsible leader"), max_length=50, blank=True)
    members = models.TextField(_("task force members"), blank=True)
    plan_text = models.TextField(_("work plan"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    content = models.TextField(_("construction content"), blank=True)
    total_investment = models.DecimalField(_("total investment (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    progress_text = models.TextField(_("physical progress"), blank=True)
    problems_text = models.TextField(_("problems"), blank=True)
    campaigns = models.ManyToManyField(Campaign, verbose_name=_("campaigns"), blank=True, related_name="projects")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], condition=Q(code__isnull=True), name="unique_uncoded_name")
        ]
        indexes = [models.Index(fields=["level", "category", "stage"])]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name


class AnnualPlan(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("annual plan investment (yuan)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="unique_plan_year")]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    def __str__(self):
        return f"{self.project} {self.year}: {self.amount}"


class MonthlyInvestment(models.Model):
    """Investment completed in one month (the first day of the month identifies it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investments")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("completed this month (yuan)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="unique_project_month")]
        indexes = [models.Index(fields=["month"])]
        ordering = ["month"]
        verbose_name = _("monthly investment")
        verbose_name_plural = _("monthly investments")

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}: {self.amount}"

    def save(self, *args, **kwargs):
        self.month = date(self.month.year, self.month.month, 1)
        super().save(*args, **kwargs)


class YearOpening(models.Model):
    """期初: what a project had completed in a year through a month before duban holds its months,
    as the office's own table says (a first import's 年度累计完成 less its 本月完成), so that year
    to date equals the office's figure. Counted in year to date from `as_of` on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="openings")
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.PositiveSmallIntegerField(_("through month"), validators=[MinValueValidator(1)])
    amount = models.DecimalField(_("completed before (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    imported = models.BooleanField(_("imported"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="unique_opening_year")]
        ordering = ["year"]
        verbose_name = _("year opening")
        verbose_name_plural = _("year openings")

    def __str__(self):
        return f"{self.project} {self.year} 1-{self.as_of}: {self.amount}"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        START = "start", _("Construction start")
        COMPLETION = "completion", _("Completion")
        PRODUCTION = "production", _("Production")
        CUSTOM = "custom", _("Other milestone")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    planned = models.DateField(_("planned date"), null=True, blank=True)
    actual = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["planned", "pk"]
        indexes = [models.Index(fields=["kind", "actual"])]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.name or self.get_kind_display()

    @property
    def label(self):
        return self.name or self.get_kind_display()

    def days_ahead(self, today):
        """Days ahead (+) or behind (-) plan: reached early, late, or still open past the plan."""
        if self.planned is None:
            return None
        if self.actual is not None:
            return (self.planned - self.actual).days
        if today > self.planned:
            return (self.planned - today).days
        return None

    def is_overdue(self, today):
        return self.actual is None and self.planned is not None and self.planned < today


class Approval(models.Model):
    """A pre-construction approval step (前期审批), filed by an official for the enterprise (帮办代办)."""

    class Node(models.TextChoices):
        PROPOSAL = "proposal", _("Project proposal")
        SITE = "site", _("Planning and site selection")
        LAND_PRE = "land_pre", _("Land use pre-review")
        STABILITY = "stability", _("Social stability risk assessment")
        ENERGY = "energy", _("Energy saving review")
        FEASIBILITY = "feasibility", _("Feasibility study")
        FILING = "filing", _("Project approval / filing")
        DESIGN = "design", _("Preliminary design and budget")
        EIA = "eia", _("Environmental impact assessment")
        LAND_PERMIT = "land_permit", _("Land use planning permit")
        WORKS_PERMIT = "works_permit", _("Construction planning permit")
        DRAWINGS = "drawings", _("Construction drawing review")
        BUILDING_PERMIT = "building_permit", _("Building permit")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_NEEDED = "not_needed", _("Not needed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    node = models.CharField(_("approval"), max_length=20, choices=Node.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    agent = models.CharField(_("agency official"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "node"], name="unique_project_node")]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self):
        return f"{self.project} · {self.get_node_display()}"

    def days_taken(self, as_of):
        """Days from start to done; one still under way counts to `as_of`, the date the page's
        figures are for (never today's date on a page about another period)."""
        if self.started_on is None:
            return None
        days = ((self.done_on or as_of) - self.started_on).days
        return days if days >= 0 else None


class PromotionProject(models.Model):
    """Investment promotion (招商): signed → landed → started."""

    class Stage(models.TextChoices):
        SIGNED = "signed", _("Signed")
        LANDED = "landed", _("Landed")
        STARTED = "started", _("Started")

    name = models.CharField(_("name"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("planned investment (yuan)"), validators=[MinValueValidator(0)], **MONEY)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.SIGNED)
    signed_on = models.DateField(_("signed on"))
    landed_on = models.DateField(_("landed on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    project = models.OneToOneField(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="promotion")

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("promotion project")
        verbose_name_plural = _("promotion projects")

    def __str__(self):
        return self.name
