from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

from duban import colours

register = template.Library()


@register.filter
def num(value, places=2):
    """1234.5 → "1,234.50"; None → "—"."""
    if value is None or value == "":
        return "—"
    places = int(places)
    quantum = Decimal(1).scaleb(-places)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{d:,.{places}f}"


@register.filter
def pct(value):
    return "—" if value is None else num(value) + "%"


@register.filter
def signed(value):
    if value is None:
        return "—"
    text = num(value)
    return text if Decimal(str(value)) < 0 else "+" + text


@register.filter
def status_badge(status):
    return format_html('<span class="badge s-{}">{}</span>', status.value, status.label)


@register.filter
def wan(value):
    """Yuan → 万元 with two decimals."""
    return "—" if value is None else num(Decimal(str(value)) / 10_000)


@register.filter
def yi(value):
    """Yuan → 亿元 with two decimals."""
    return "—" if value is None else num(Decimal(str(value)) / 100_000_000)


@register.filter
def stage_count(tally, stage):
    """Households of a requisition tally whose furthest step is `stage`."""
    return tally.at_stage(stage)


@register.simple_tag
def palette(theme="paper"):
    """{% palette %} in a page's head: the status colours (duban/colours.py) as CSS properties."""
    return format_html("<style>{}</style>", colours.css(theme))


@register.filter
def office_for(scope, unit):
    """{% if scope|office_for:campaign.owner %}: the user acts as the office for this unit."""
    return bool(scope) and scope.office_for(unit)


@register.filter
def oversees(scope, unit):
    """{% if scope|oversees:campaign.owner %}: office, leader or admin of a subtree holding it."""
    return bool(scope) and scope.oversees(unit)
