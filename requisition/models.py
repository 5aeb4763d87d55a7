"""The requisition ledger (一户一档): households, graves and enterprises in villages.

Villages and areas (片区) are org units (kinds VILLAGE and AREA) under a command post, so a
field worker who belongs to a village sees only that village, through the one scoping helper.

Each stage step has its own date column, so "how many households had signed by date D" is one
grouped aggregate over the table, whatever its size.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit

AREA = {"max_digits": 12, "decimal_places": 2}


class Stage(models.TextChoices):
    """A household's steps, in order (入户摸底 → 丈量 → 评估 → 签约 → 腾空 → 拆除 → 交地)."""

    NONE = "none", _("Not visited")
    VISITED = "visited", _("Visited")
    MEASURED = "measured", _("Measured")
    ASSESSED = "assessed", _("Assessed")
    SIGNED = "signed", _("Signed")
    VACATED = "vacated", _("Vacated")
    DEMOLISHED = "demolished", _("Demolished")
    DELIVERED = "delivered", _("Land delivered")


STAGES = [s for s in Stage if s != Stage.NONE]  # the steps, in order
STAGE_DATE = {s: f"{s.value}_on" for s in STAGES}  # the date column of each step


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Households a user may read: those of the villages in the user's subtrees."""
        return self.all() if scope.reads_all else self.filter(scope.reach_q("village__path"))


class Household(models.Model):
    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        NON_RESIDENTIAL = "non_residential", _("Non-residential")

    class Compensation(models.TextChoices):
        MONEY = "money", _("Monetary compensation")
        SWAP = "swap", _("Property swap")

    # No index of its own: the unique (village, number) index serves every lookup by village, and
    # one index fewer to maintain makes roster imports faster.
    village = models.ForeignKey(
        OrgUnit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households", db_index=False
    )
    # the villagers' group (村民小组: an org unit of kind VILLAGE_GROUP under the village). No
    # index of its own, as for village: imports write many households and read them by village.
    group = models.ForeignKey(
        OrgUnit,
        verbose_name=_("villagers' group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_households",
        db_index=False,
    )
    number = models.CharField(_("household number"), max_length=30)
    head_name = models.CharField(_("head of household"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    # the stored form (requisition/phones.py: digits, several numbers joined by a comma), what
    # searches and comparisons use; phone_typed is the cell as the roster wrote it, for display
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # db_default: bulk loads that name their columns (demo/scale.py, bench/) need not know it
    phone_typed = models.CharField(_("phone as typed"), max_length=60, blank=True, default="", db_default="")
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    address = models.CharField(_("address / group"), max_length=200, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, default=Use.RESIDENTIAL)
    legal_area = models.DecimalField(_("legal building area (m²)"), default=0, **AREA)
    unlicensed_area = models.DecimalField(_("unlicensed building area (m²)"), default=0, **AREA)
    land_area = models.DecimalField(_("land area (mu)"), max_digits=12, decimal_places=4, default=0)
    measured_area = models.DecimalField(_("measured area (m²)"), null=True, blank=True, **AREA)
    assessed_price = models.DecimalField(
        _("assessed price (yuan/m²)"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    compensation = models.CharField(
        _("compensation choice"), max_length=10, choices=Compensation.choices, default=Compensation.MONEY
    )
    disputes = models.TextField(_("disputes and mediation"), blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NONE)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    vacated_on = models.DateField(_("vacated on"), null=True, blank=True)
    demolished_on = models.DateField(_("demolished on"), null=True, blank=True)
    delivered_on = models.DateField(_("land delivered on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["village", "number"], name="unique_household_number")]
        # A plain index: db_index on a CharField adds a second, LIKE-pattern index on PostgreSQL
        # that no query uses and that slows roster imports.
        indexes = [models.Index(fields=["id_number"], name="household_id_number")]
        ordering = ["village", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return f"{self.number} {self.head_name}"

    @property
    def phone_shown(self):
        """The phone as the roster wrote it, else the stored form."""
        return self.phone_typed or self.phone

    @property
    def building_area(self):
        return self.legal_area + self.unlicensed_area

    def stage_date(self, stage):
        return getattr(self, STAGE_DATE[Stage(stage)])


class StageEvent(models.Model):
    """One recorded step of a household (or a step back, with its reason): the history."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["to_stage", "on"])]

    def __str__(self):
        return f"{self.household}: {self.from_stage} → {self.to_stage} ({self.on})"

    @property
    def is_backward(self):
        order = [Stage.NONE, *STAGES]
        return order.index(Stage(self.to_stage)) < order.index(Stage(self.from_stage))


class Grave(models.Model):
    """A grave to be moved (迁坟), counted in 座."""

    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="graves")
    number = models.CharField(_("number"), max_length=30)
    owner_name = models.CharField(_("owner"), max_length=50, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    moved_on = models.DateField(_("moved on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["village", "number"], name="unique_grave_number")]
        verbose_name = _("grave")
        verbose_name_plural = _("graves")

    def __str__(self):
        return self.number


class Enterprise(models.Model):
    """An enterprise or factory to be moved (搬迁)."""

    class Stage(models.TextChoices):
        SURVEYED = "surveyed", _("Surveyed")
        ASSESSED = "assessed", _("Assessed")
        SIGNED = "signed", _("Signed")
        MOVED = "moved", _("Moved out")
        DEMOLISHED = "demolished", _("Demolished")

    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="enterprises")
    name = models.CharField(_("name"), max_length=200)
    building_area = models.DecimalField(_("building area (m²)"), default=0, **AREA)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.SURVEYED)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    moved_on = models.DateField(_("moved on"), null=True, blank=True)
    demolished_on = models.DateField(_("demolished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name


class RevealLog(models.Model):
    """Who saw a household's full ID number or phone, and when (personal information)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.field} {self.household_id} {self.at}"


MONEY = {"max_digits": 14, "decimal_places": 2}


class CompensationScheme(models.Model):
    """The office's compensation rules (补偿方案) for an area, a command post or a campaign's unit.

    It applies to every household whose village lies in the subtree of `unit`, from
    `effective_from` on; where several apply, the one of the most specific unit wins, then the
    latest `effective_from`. Rates are per m² of the legal building area. The computation is
    in requisition/compensation.py.
    """

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="compensation_schemes"
    )
    effective_from = models.DateField(_("effective from"))
    sign_start = models.DateField(_("signing opens on"))
    decoration_rate = models.DecimalField(_("decoration compensation (yuan/m²)"), default=0, **MONEY)
    moving_rate = models.DecimalField(_("moving fee (yuan/m²)"), default=0, **MONEY)
    moving_minimum = models.DecimalField(_("minimum moving fee (yuan)"), default=0, **MONEY)
    temporary_rate = models.DecimalField(_("temporary resettlement (yuan/m² per month)"), default=0, **MONEY)
    temporary_months = models.PositiveSmallIntegerField(_("temporary resettlement months"), default=0)
    reward_windows = models.JSONField(
        _("early-signing rewards"),
        default=list,
        blank=True,
        help_text=_("[[days, yuan], …], e.g. [[30, 30000], [45, 20000]]: signed within 30 days, 30,000 yuan."),
    )
    stoppage_rate = models.DecimalField(_("stoppage loss, non-residential (yuan/m²)"), default=0, **MONEY)
    flat_price = models.DecimalField(_("resettlement flat price (yuan/m²)"), default=0, **MONEY)
    swap_ratio = models.DecimalField(_("swap area ratio"), max_digits=6, decimal_places=4, default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "-effective_from"]
        verbose_name = _("compensation scheme")
        verbose_name_plural = _("compensation schemes")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from requisition.compensation import parse_windows

        try:
            parse_windows(self.reward_windows)
        except ValueError as error:
            raise ValidationError({"reward_windows": str(error)}) from None
        if self.swap_ratio is not None and self.swap_ratio <= 0:
            raise ValidationError({"swap_ratio": _("The swap ratio must be more than zero.")})


class ResettlementChoice(models.Model):
    """The resettlement flat a property-swap household chose (选房): its area sets the price difference."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="resettlement")
    area = models.DecimalField(_("resettlement flat area (m²)"), **AREA)
    flat = models.CharField(_("flat (building, number)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("resettlement flat")
        verbose_name_plural = _("resettlement flats")

    def __str__(self):
        return f"{self.household} {self.flat} {self.area} m²"


class CompensationSheet(models.Model):
    """A household's compensation items and total as computed when it signed, kept as they were:
    a later change of the scheme does not rewrite them."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="compensation_sheet")
    scheme = models.ForeignKey(CompensationScheme, on_delete=models.PROTECT, related_name="sheets")
    data = models.JSONField()
    total = models.DecimalField(_("total (yuan)"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compensation sheet")
        verbose_name_plural = _("compensation sheets")

    def __str__(self):
        return f"{self.household} {self.total}"
