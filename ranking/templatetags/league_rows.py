"""The rows of the league table, written in Python: with hundreds of units ranked, the template
engine spent most of the page's time on them (see campaigns/templatetags/progress_rows.py)."""

from django import template
from django.utils.safestring import mark_safe

from campaigns.templatetags.progress_rows import Badges, unit_links
from duban.numbers import amount
from duban.templatetags.duban import pct
from ranking.league import change_text

register = template.Library()


def change_cell(change):
    kind = "up" if change and change > 0 else "down" if change and change < 0 else "muted"
    return f'<span class="{kind}">{change_text(change)}</span>'


@register.simple_tag
def league_rows(table, campaign):
    """<tr> per ranked unit (ranking/league.Entry): rank, change, unit, done and done % of each
    indicator of the table (— where the unit has no target for it), score, status."""
    link, badges = unit_links(campaign), Badges()
    indicators = [i.pk for i in table.indicators]
    html = []
    for e in table.entries:
        by_indicator = {r.indicator.pk: r for r in e.rows}
        cells = "".join(
            f'<td class="n">{amount(r.done, r.indicator.unit_of_measure)}</td><td class="n">{pct(r.done_pct)}</td>'
            if (r := by_indicator.get(pk)) is not None
            else '<td class="n muted">—</td><td class="n muted">—</td>'
            for pk in indicators
        )
        status = badges[e.status] if e.status else ""
        html.append(
            f'<tr data-unit="{e.unit.pk}"><td class="rank">{e.rank}</td><td class="change">{change_cell(e.change)}</td>'
            f"<td>{link(e.unit)}</td>{cells}"
            f'<td class="n score">{pct(e.done_pct)}</td><td>{status}</td></tr>'
        )
    return mark_safe("\n".join(html))
