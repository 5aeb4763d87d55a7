"""People lent to the front (抽调): cadres, their assignments to command posts and working groups,
pairings of towns (结对), and what the work earns — the annual eligibility rule (取消年度评优资格),
commendations (表彰) and the reserve pool (后备干部库).

Everything hangs on a zone: what the office of that zone keeps and its leaders read. A cadre is
usually not a duban user. ID numbers are not stored; a phone, when kept, is shown masked.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import OrgUnit

# a cadre comes from a department or a town; a 处级 leader from the zone itself (区领导)
HOME_KINDS = (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.TOWN, OrgUnit.Kind.ZONE)
POSTED_KINDS = (
    OrgUnit.Kind.COMMAND_POST,
    OrgUnit.Kind.WORKING_GROUP,
    OrgUnit.Kind.TASK_FORCE,
    OrgUnit.Kind.AREA,
    OrgUnit.Kind.TOWN,
)


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Rows of the zones where the user is office, leader or admin."""
        return self.filter(scope.oversight_q("zone__path"))


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("home unit")
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    rank = models.CharField(_("rank"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "department__name", "name", "pk"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        constraints = [
            models.UniqueConstraint(fields=["zone", "department", "name", "post"], name="unique_cadre_in_department")
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """A cadre lent (抽调) from the home unit to a command post, working group or town, from / to."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Responsible 处级 leader")
        HEAD = "head", _("Group head")
        DEPUTY = "deputy", _("Deputy head")
        MEMBER = "member", _("Member")
        LIAISON = "liaison", _("Liaison")

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("cadre"))
    department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="lent_assignments", verbose_name=_("home unit")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cadre_assignments", verbose_name=_("lent to")
    )
    role = models.CharField(pgettext_lazy("cadres", "role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    team = models.CharField(_("team"), max_length=100, blank=True)
    start = models.DateField(pgettext_lazy("dates", "from"))
    end = models.DateField(pgettext_lazy("dates", "to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role", "cadre__name", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.cadre} → {self.unit}"

    def overlaps(self, start, end):
        """Whether this assignment's dates meet [start, end] (None: open-ended)."""
        return (self.end is None or start <= self.end) and (end is None or self.start <= end)


class Pairing(models.Model):
    """Two units paired (结对): what each side gives, one item a line (funds, people, projects)."""

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    first = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    second = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("paired with"))
    first_gives = models.TextField(_("what the first gives"), blank=True)
    second_gives = models.TextField(_("what the second gives"), blank=True)
    start = models.DateField(pgettext_lazy("dates", "from"))
    end = models.DateField(pgettext_lazy("dates", "to"), null=True, blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["first__sort_order", "first__name", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")

    def __str__(self):
        return f"{self.first} ⇄ {self.second}"

    @staticmethod
    def items(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def first_items(self):
        return self.items(self.first_gives)

    @property
    def second_items(self):
        return self.items(self.second_gives)


class EligibilityRule(models.Model):
    """The office's rule: a unit in the bottom N places for K periods in a row of a campaign's
    league tables (weeks) or rankings (months) in a year loses its annual eligibility."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Weekly league tables")
        MONTH = "month", _("Monthly rankings")

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("periods"), max_length=10, choices=Kind.choices, default=Kind.MONTH)
    bottom_n = models.PositiveSmallIntegerField(_("bottom places (N)"), validators=[MinValueValidator(1)])
    streak = models.PositiveSmallIntegerField(_("periods in a row (K)"), validators=[MinValueValidator(1)])
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "campaign__name", "kind"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [models.UniqueConstraint(fields=["campaign", "year", "kind"], name="unique_eligibility_rule")]

    def __str__(self):
        return f"{self.campaign} {self.year}"


class Disqualification(models.Model):
    """A unit marked 取消年度评优资格 by a rule, with the periods of the run that earned it."""

    rule = models.ForeignKey(EligibilityRule, on_delete=models.CASCADE, related_name="marks")
    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    periods = models.JSONField(_("periods"), default=list)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "unit__sort_order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["rule", "unit"], name="unique_disqualification")]
        verbose_name = _("loss of annual eligibility")
        verbose_name_plural = _("losses of annual eligibility")

    def __str__(self):
        return f"{self.unit} · {self.rule}"


class Commendation(models.Model):
    """A commendation (表彰) of a unit or a cadre."""

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    cadre = models.ForeignKey(
        Cadre, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations", verbose_name=_("cadre")
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(pgettext_lazy("commendation", "title"), max_length=100)
    day = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")

    def __str__(self):
        return f"{self.cadre or self.unit} · {self.title}"


class Nomination(models.Model):
    """A cadre nominated to the reserve pool (后备干部库), with the reason and a frozen copy of the
    results of the unit served in for the period chosen."""

    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("cadre"))
    day = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    results = models.JSONField(_("results at the time"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("reserve pool nomination")
        verbose_name_plural = _("reserve pool nominations")

    def __str__(self):
        return f"{self.cadre} · {self.day}"
