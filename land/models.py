"""Land for the projects: approval batches (土地报批批次) and supply (供地) of parcels (地块).

- A batch packs the land of some requisition villages into one application: 组卷 (packaged) →
  上报 (submitted) → 获批 (approved). Its status is read from those dates, never typed.
- A parcel is land delivered to a project (供地), by 挂牌 (listing), 划拨 (allocation) or 协议
  (agreement), with its readiness items each dated: 清表 (surface cleared) and the 七通一平 —
  seven services (给水, 排水, 电力, 通讯, 道路, 燃气, 热力) and 场地平整 (the site levelled, the
  "一平"). Its 征迁 (requisition) is read from the ledger: every household of its villages has
  delivered its land (交地). When all are in, the parcel is "拿地即可开工".

Areas are Decimal 亩 (1 亩 = 666.67 m²; the ledger's 土地面积 is in 亩 too).
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import OrgUnit
from projects.models import Project

MU = {"max_digits": 12, "decimal_places": 4}
ZERO = Decimal(0)


class UnitScopedQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Rows a user may reach: those of the units in the user's subtrees (pages then ask for
        oversight to read and for the office to edit)."""
        return self.all() if scope.reads_all else self.filter(scope.reach_q("unit__path"))


class BatchStatus(models.TextChoices):
    """A batch's step, read from its dates (the latest dated step)."""

    PREPARING = "preparing", _("Not yet packaged")
    PACKAGED = "packaged", pgettext_lazy("land batch", "Packaged")
    SUBMITTED = "submitted", pgettext_lazy("land batch", "Submitted")
    APPROVED = "approved", pgettext_lazy("land batch", "Approved")


class LandBatch(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="land_batches"
    )
    name = models.CharField(_("batch name"), max_length=200)
    area = models.DecimalField(_("area (mu)"), **MU)
    farmland_area = models.DecimalField(_("of which farmland (mu)"), null=True, blank=True, **MU)
    construction_area = models.DecimalField(_("of which construction land (mu)"), null=True, blank=True, **MU)
    villages = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("requisition villages"),
        related_name="land_batches_covering",
        limit_choices_to={"kind": OrgUnit.Kind.VILLAGE},
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects served"), blank=True, related_name="land_batches"
    )
    packaged_on = models.DateField(_("packaged on (组卷)"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on (上报)"), null=True, blank=True)
    approved_on = models.DateField(_("approved on (获批)"), null=True, blank=True)
    approval_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "approved_on", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_land_batch_name")]
        indexes = [models.Index(fields=["approved_on"])]
        verbose_name = _("land approval batch")
        verbose_name_plural = _("land approval batches")

    def __str__(self):
        return self.name

    @property
    def status(self):
        if self.approved_on:
            return BatchStatus.APPROVED
        if self.submitted_on:
            return BatchStatus.SUBMITTED
        if self.packaged_on:
            return BatchStatus.PACKAGED
        return BatchStatus.PREPARING

    @property
    def status_label(self):
        return BatchStatus(self.status).label


class SupplyWay(models.TextChoices):
    LISTING = "listing", _("Listing (挂牌)")
    ALLOCATION = "allocation", _("Allocation (划拨)")
    AGREEMENT = "agreement", _("Agreement (协议)")


# The readiness items a parcel carries a date for, in order: 清表, then the 七通一平.
READINESS = [
    ("cleared_on", _("Surface cleared (清表)")),
    ("water_on", _("Water supply (通给水)")),
    ("drainage_on", _("Drainage (通排水)")),
    ("power_on", _("Power (通电)")),
    ("telecom_on", _("Telecoms (通讯)")),
    ("road_on", _("Road (通路)")),
    ("gas_on", _("Gas (通燃气)")),
    ("heat_on", _("Heat (通热力)")),
    ("levelled_on", _("Site levelled (场地平整)")),
]
READINESS_FIELDS = [name for name, _label in READINESS]


class Parcel(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="land_parcels"
    )
    code = models.CharField(_("parcel number"), max_length=60)
    name = models.CharField(_("parcel name"), max_length=200, blank=True)
    phase = models.CharField(_("phase"), max_length=40, blank=True, help_text=_("e.g. 一期"))
    area = models.DecimalField(_("area (mu)"), **MU)
    batch = models.ForeignKey(
        LandBatch,
        verbose_name=_("approval batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parcels",
    )
    villages = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("requisition villages"),
        blank=True,
        related_name="land_parcels_covering",
        limit_choices_to={"kind": OrgUnit.Kind.VILLAGE},
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project supplied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_parcels",
    )
    supplied_on = models.DateField(_("supplied on (供地)"), null=True, blank=True)
    way = models.CharField(_("way of supply"), max_length=12, choices=SupplyWay.choices, blank=True)
    cleared_on = models.DateField(READINESS[0][1], null=True, blank=True)
    water_on = models.DateField(READINESS[1][1], null=True, blank=True)
    drainage_on = models.DateField(READINESS[2][1], null=True, blank=True)
    power_on = models.DateField(READINESS[3][1], null=True, blank=True)
    telecom_on = models.DateField(READINESS[4][1], null=True, blank=True)
    road_on = models.DateField(READINESS[5][1], null=True, blank=True)
    gas_on = models.DateField(READINESS[6][1], null=True, blank=True)
    heat_on = models.DateField(READINESS[7][1], null=True, blank=True)
    levelled_on = models.DateField(READINESS[8][1], null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "phase", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="unique_parcel_code")]
        indexes = [models.Index(fields=["supplied_on"])]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def readiness(self):
        """[(label, date or None)] of the dated items."""
        return [(label, getattr(self, name)) for name, label in READINESS]

    @property
    def site_ready(self):
        """清表 and 七通一平 all dated (征迁 is read from the ledger: land.figures)."""
        return all(getattr(self, name) for name in READINESS_FIELDS)
