"""Coordination problems (协调事项): raised from a weekly report, a project, a household file or
directly; assigned to a responsible department, solved, put on a coordination meeting's agenda
or returned."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Problems a user may read: those raised in or assigned to the user's units' subtrees,
        and those the user coordinates as the leader."""
        if scope.reads_all:
            return self.all()
        q = scope.reach_q("raised_by_unit__path") | scope.reach_q("responsible__path")
        if scope.user is not None and scope.user.is_authenticated:
            q |= models.Q(leader=scope.user)
        return self.filter(q)


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

    objects = ProblemQuerySet.as_manager()

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


class Step(models.Model):
    """One step of a problem's flow: who did what, when, with which reply or reason."""

    class Action(models.TextChoices):
        RAISE = "raise", _("Raised")
        ASSIGN = "assign", _("Assigned")
        ACCEPT = "accept", _("Accepted")
        PROGRESS = "progress", _("Progress reported")
        SOLVE = "solve", _("Solved")
        TO_MEETING = "to_meeting", _("Put on a meeting's agenda")
        DECIDE = "decide", _("Decided at a meeting")
        RETURN = "return", _("Returned")
        RESUBMIT = "resubmit", _("Raised again")
        ATTACH = "attach", _("Attachment added")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Problem.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Problem.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    responsible = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible department"), null=True, blank=True, on_delete=models.SET_NULL
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return f"{self.problem_id} · {self.get_action_display()}"


def stored_name(instance, filename):
    """Where an upload is kept: a random name under the year and month, never the user's name or path.
    `filename` is the name uploads.py made (random hex and the checked extension)."""
    today = timezone.localdate()
    return f"attachments/{today:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A photo or document attached to a problem (or as evidence to a task-list item).
    Type-checked by content and extension, size-limited, served only through a scoped view."""

    class Kind(models.TextChoices):
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"

    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    task = models.ForeignKey(
        "campaigns.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=stored_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(problem__isnull=False, task__isnull=True)
                | models.Q(problem__isnull=True, task__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.kind in (self.Kind.JPG, self.Kind.PNG)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Meetings are the office's and the leaders' business: those held by a unit of their subtrees."""
        return self.filter(scope.oversight_q("unit__path"))


class Meeting(models.Model):
    """A coordination meeting (调度会) held by a unit's office: an agenda built from problems, a
    decision per item."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    chaired_by = models.CharField(_("chaired by"), max_length=50, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One unit or person a line."))
    # 会议纪要 〔year〕N号: numbered per holding unit and year when the minutes are first made
    minutes_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    minutes_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "minutes_year", "minutes_number"], name="one_minutes_number_per_unit_and_year"
            )
        ]
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        SOLVED = "solved", _("Solved at the meeting")
        ASSIGNED = "assigned", _("Assigned for follow-up")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveIntegerField(_("order"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tasks = models.ManyToManyField("campaigns.Task", blank=True, related_name="agenda_items")

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "problem"], name="unique_agenda_problem")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.meeting} · {self.problem}"


class Reminder(models.Model):
    """The sent-log: one row per reminder, channel and recipient. The unique key makes sending
    idempotent; a failed row is retried on the next run."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Weekly report due")
        PROBLEM_OVERDUE = "problem_overdue", _("Problem overdue")
        TASK_OVERDUE = "task_overdue", _("Task overdue")
        DIGEST = "digest", _("Daily digest")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, retried on the next run")

    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # what it is about: the reporting unit, the problem's raiser, the task's unit, the digest's zone
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key", "channel", "recipient"], name="unique_reminder_delivery")]
        indexes = [models.Index(fields=["status", "channel"])]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.key} → {self.recipient}"
