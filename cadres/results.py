"""What the work earns, read from the assessment: the annual eligibility rule applied to a
campaign's published (or computed) tables, the frozen results a nomination carries, and the
results of the units a cadre served in, during the cadre's dates."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from assessment.scoring import campaign_weeks, month_last_week, monthly_table, weekly_table
from assessment.warnings import bottom_streaks, campaign_history
from cadres.models import Disqualification, EligibilityRule
from cadres.roster import command_post_of, posts_by_path
from campaigns.models import Campaign
from duban import periods


def last_closed_week(campaign):
    """The last week over of the campaign (its first week before it has one over)."""
    weeks = campaign_weeks(campaign)
    last = periods.current_week().prev()
    over = [w for w in weeks if w <= last]
    return (over or weeks[:1])[-1]


def period_year(kind, key):
    if kind == EligibilityRule.Kind.WEEK:
        return periods.parse_week(key).end.year
    return periods.parse_period("month", key).start.year


def rule_streaks(rule, history=None):
    """The runs of the rule's kind in the rule's year: units in the bottom N for K periods."""
    weekly, monthly, _published = history or campaign_history(rule.campaign, last_closed_week(rule.campaign))
    rows = weekly if rule.kind == EligibilityRule.Kind.WEEK else monthly
    in_year = [(key, table) for key, table in rows if period_year(rule.kind, key) == rule.year]
    return bottom_streaks(in_year, rule.bottom_n, rule.streak)


@transaction.atomic
def apply_rule(rule):
    """Mark the units the rule catches (and only those): the marks are replaced."""
    streaks = rule_streaks(rule)
    Disqualification.objects.filter(rule=rule).delete()
    Disqualification.objects.bulk_create(
        [Disqualification(rule=rule, zone=rule.zone, unit_id=s.unit_id, periods=s.keys) for s in streaks]
    )
    rule.applied_at = timezone.now()
    rule.save(update_fields=["applied_at"])
    return streaks


def row_for(table_data, unit_ids):
    for row in table_data["rows"]:
        if row["unit_id"] in unit_ids:
            return row
    return None


def frozen_results(cadre, day, campaign=None):
    """A copy of the results of the unit the cadre served in on `day` (the campaign's table of the
    month, else of the week, containing the day): what a nomination keeps, whatever follows."""
    posts = posts_by_path(cadre.zone)
    served = [a for a in cadre.assignments.select_related("unit") if a.overlaps(day, day)]
    if not served:
        served = sorted(cadre.assignments.select_related("unit"), key=lambda a: a.start)[-1:]
    if not served:
        return {}
    unit = command_post_of(served[0].unit, posts)
    campaigns = [campaign] if campaign else Campaign.objects.filter(targets__unit=unit).distinct().order_by("-start")
    for c in campaigns:
        last = last_closed_week(c)
        week = min(max(periods.week_of(day), campaign_weeks(c)[0]), last)
        month = periods.period_of("month", week.end)
        month_over = (month_last_week(c, month) or last.next()) <= last
        table = monthly_table(c, month) if month_over else weekly_table(c, week)
        data = table.as_data()
        row = row_for(data, {unit.pk})
        if row is None:
            continue
        return {
            "campaign": c.name,
            "campaign_id": c.pk,
            "kind": data["kind"],
            "period": data["key"],
            "unit": unit.name,
            "unit_id": unit.pk,
            "rank": row["rank"],
            "of": len(data["rows"]),
            "total": row["total"],
            "full_score": data["full_score"],
            "status": row["status"],
            "as_of": data["as_of"],
        }
    return {"unit": unit.name, "unit_id": unit.pk}


def served_results(cadre, today=None):
    """For each of the cadre's assignments: the weekly results of the command post served in, for
    the weeks (of campaigns with targets there) that close within the assignment's dates."""
    today = today or timezone.localdate()
    posts = posts_by_path(cadre.zone)
    histories = {}
    out = []
    for a in cadre.assignments.select_related("unit", "department").order_by("start"):
        post = command_post_of(a.unit, posts)
        lines = []
        for c in Campaign.objects.filter(targets__unit=post).distinct().order_by("start"):
            if c.pk not in histories:
                histories[c.pk] = campaign_history(c, last_closed_week(c))[0]
            end = min(a.end or today, today)
            for key, rows in histories[c.pk]:
                week_end = periods.parse_week(key).end
                if not a.start <= week_end <= end:
                    continue
                row = row_for({"rows": rows}, {post.pk})
                if row is not None:
                    lines.append(
                        {
                            "campaign": c.name,
                            "period": key,
                            "rank": row["rank"],
                            "of": len(rows),
                            "total": row["total"],
                            "status": row["status"],
                        }
                    )
        out.append((a, post, lines))
    return out


def year_of(day=None):
    return (day or date.today()).year
