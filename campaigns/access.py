"""Fetching a campaign for a request, authorized in one step (the rules: org/scoping.py and
Campaign.objects.visible_to)."""

from django.http import Http404

from campaigns.models import Campaign
from org.scoping import scope_for


def get_campaign(request, campaign_id):
    """Fetch and authorize a campaign in one step: 404 when missing or out of reach."""
    try:
        return Campaign.objects.visible_to(scope_for(request)).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
