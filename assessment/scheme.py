"""The scheme a campaign is assessed with: the one the office set, or a sensible default.

The default, when the office has set nothing (weights add up to 100 points):
- done % of each target indicator, capped at 100 %: 50 points shared equally;
- done % against time elapsed (时序进度), capped: 20;
- weekly reports on time: 10;
- task-list items done on time (对单考核): 10;
- coordination problems solved: 10.
Equal totals are decided by the parts in that order; bottom 1 place for 3 periods in a row, or red
for 3 weeks in a row, is flagged.
"""

from decimal import ROUND_HALF_UP, Decimal

from assessment.models import Part, Scheme
from campaigns.models import Indicator, Target

INDICATOR_POINTS = Decimal(50)
OTHER_PARTS = (
    (Part.Kind.SCHEDULE, Decimal(20)),
    (Part.Kind.REPORTS, Decimal(10)),
    (Part.Kind.TASKS, Decimal(10)),
    (Part.Kind.PROBLEMS, Decimal(10)),
)


def campaign_indicators(campaign):
    ids = Target.objects.filter(campaign=campaign).values("indicator_id")
    return list(Indicator.objects.filter(pk__in=ids).order_by("sort_order", "code"))


def default_parts(campaign, scheme=None):
    """Unsaved parts of the default scheme."""
    scheme = scheme or Scheme(campaign=campaign)
    indicators = campaign_indicators(campaign)
    parts = []
    if indicators:
        share = (INDICATOR_POINTS / len(indicators)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for n, indicator in enumerate(indicators):
            weight = share if n < len(indicators) - 1 else INDICATOR_POINTS - share * (len(indicators) - 1)
            parts.append(Part(scheme=scheme, kind=Part.Kind.INDICATOR, indicator=indicator, weight=weight))
    for kind, weight in OTHER_PARTS:
        parts.append(Part(scheme=scheme, kind=kind, weight=weight))
    for n, part in enumerate(parts):
        part.sort_order = n + 1
    return parts


def scheme_for(campaign):
    """(scheme, parts, is_default): the office's scheme with its parts, or the unsaved default."""
    try:
        scheme = Scheme.objects.get(campaign=campaign)
    except Scheme.DoesNotExist:
        scheme = Scheme(campaign=campaign)
        return scheme, default_parts(campaign, scheme), True
    parts = list(scheme.parts.select_related("indicator"))
    if not parts:
        return scheme, default_parts(campaign, scheme), True
    return scheme, parts, False
