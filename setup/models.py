from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Indicator
from org.models import OrgUnit


class CampaignPlan(models.Model):
    """What the office chose while setting a campaign up, before (and besides) its targets: the
    indicators it measures and the units taking part. The targets themselves are
    campaigns.Target rows, as for every campaign."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="plan")
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicators"), blank=True, related_name="+")
    units = models.ManyToManyField(OrgUnit, verbose_name=_("units taking part"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("campaign plan")
        verbose_name_plural = _("campaign plans")

    def __str__(self):
        return str(self.campaign)

    @classmethod
    def of(cls, campaign):
        """The campaign's plan; for a campaign made elsewhere, one seeded from its targets."""
        plan, created = cls.objects.get_or_create(campaign=campaign)
        if created:
            targets = campaign.targets.all()
            plan.indicators.set(Indicator.objects.filter(pk__in=targets.values("indicator_id")))
            plan.units.set(OrgUnit.objects.filter(pk__in=targets.values("unit_id")))
        return plan

    def ordered_indicators(self):
        return list(self.indicators.order_by("sort_order", "code"))

    def ordered_units(self):
        return list(self.units.order_by("path"))
