from django import template
from django.utils.html import format_html

from duban import colours, numbers

register = template.Library()


# The formatting itself lives in duban/numbers.py, shared with documents, exports and messages.
register.filter("num", numbers.num)
register.filter("count", numbers.count)
register.filter("pct", numbers.pct)
register.filter("signed", numbers.signed)
register.filter("wan", numbers.wan)
register.filter("yi", numbers.yi)
register.filter("amount", numbers.amount)
register.filter("day_text", numbers.day_text)
register.filter("day_cell", numbers.day_cell)
register.filter("week_text", numbers.week_text)

num, pct, signed, wan, yi = numbers.num, numbers.pct, numbers.signed, numbers.wan, numbers.yi


@register.filter
def status_badge(status):
    return format_html('<span class="badge s-{}">{}</span>', status.value, status.label)


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
