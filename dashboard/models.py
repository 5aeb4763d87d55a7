"""The big screen's own tables: kiosk tokens for the wall PC, and the roll-ups that keep the
screen fast at province scale (see dashboard/rollups.py for how they are kept up to date)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit

MONEY = {"max_digits": 18, "decimal_places": 2}


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class KioskTokenQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The tokens an office keeps: those of the units it acts on (a token without a unit
        shows every zone: a superuser's only)."""
        return self.filter(scope.office_q("unit__path"))


class KioskToken(models.Model):
    """A read-only key for a wall PC: opens the screen without a login, and nothing else.

    Only its SHA-256 is stored; the key itself is shown once, when the token is made.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Where the screen hangs, e.g. the command centre."))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit shown"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The screen shows this unit's subtree; empty: every unit."),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("pinned campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the screen rotates through the running campaigns."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = KioskTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kiosk token")
        verbose_name_plural = _("kiosk tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    def new_key(self):
        """Give the token a fresh key and return it (the only time it can be read)."""
        raw = secrets.token_urlsafe(24)
        self.token_hash = hash_token(raw)
        self.hint = raw[:6]
        return raw

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @classmethod
    def find(cls, raw):
        """The token with this key, or None."""
        if not raw or len(raw) > 100:
            return None
        return cls.objects.select_related("unit").filter(token_hash=hash_token(raw)).first()


class VillageTally(models.Model):
    """One village's requisition tally (requisition/tallies.py), kept as households are stepped."""

    village = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="+")
    households = models.PositiveIntegerField(default=0)
    signed = models.PositiveIntegerField(default=0)
    demolished_area = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    delivered_land = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    graves_moved = models.PositiveIntegerField(default=0)
    enterprises_moved = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.village_id}: {self.signed}/{self.households}"


class UnitInvestment(models.Model):
    """One unit's key-project figures (projects/investment.py, summarized by unit) for a year
    through a month, kept as projects are updated."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    through_month = models.PositiveSmallIntegerField()
    projects = models.PositiveIntegerField(default=0)
    total = models.DecimalField(default=0, **MONEY)
    annual_plan = models.DecimalField(default=0, **MONEY)
    this_month = models.DecimalField(default=0, **MONEY)
    ytd = models.DecimalField(default=0, **MONEY)
    since_start = models.DecimalField(default=0, **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "through_month", "unit"], name="unique_unit_investment")]

    def __str__(self):
        return f"{self.unit_id} {self.year}-{self.through_month}"


class Mark(models.Model):
    """A named number the roll-ups keep: the last ledger row already counted, a change counter,
    or which year and month the investment roll-up holds."""

    name = models.CharField(max_length=50, unique=True)
    value = models.BigIntegerField(default=0)
    text = models.CharField(max_length=100, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name}={self.value}"


class ScreenPart(models.Model):
    """A built part of the screen's data (the overview for a reach, one campaign's panel), kept
    with the fingerprint of the data it was built from: the many walls and the rotation read it
    until the data changes (dashboard/freshness.py)."""

    key = models.CharField(max_length=80, unique=True)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()
    built_at = models.DateTimeField(auto_now=True)

    audit_skip = True  # a cache of figures built from audited data (audit/trail.py): no history of its own

    def __str__(self):
        return self.key
