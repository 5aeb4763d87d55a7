"""Coordination problems (协调事项): raised from a weekly report, a project, a household file or
directly; assigned to a responsible department, solved, put on a coordination meeting's agenda
or returned."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


class Problem(models.Model):
    class Category(models.TextChoices):
        LAND = "land", _("Land use")
        FUNDING = "funding", _("Funding")
        REQUISITION = "requisition", _("Requisition")
        APPROVAL = "approval", _("Approval")
        RESOURCES = "resources", _("Resource support")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        SOLVED = "solved", _("Solved")
        MEETING = "meeting", _("On a meeting's agenda")
        RETURNED = "returned", _("Returned")

    OPEN_STATUSES = (Status.RAISED, Status.ASSIGNED, Status.IN_PROGRESS, Status.MEETING)

    class Source(models.TextChoices):
        REPORT = "report", _("Weekly report")
        PROJECT = "project", _("Project")
        HOUSEHOLD = "household", _("Household file")
        DIRECT = "direct", _("Direct")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.DIRECT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RAISED)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    raised_by_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("raised by unit"), on_delete=models.PROTECT, related_name="problems_raised"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_raised",
    )
    report = models.ForeignKey(
        "reports.WeeklyReport",
        verbose_name=_("weekly report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    household = models.ForeignKey(
        "requisition.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    village = models.ForeignKey(
        OrgUnit,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_in_village",
    )
    responsible = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_assigned",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinating leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_led",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES
