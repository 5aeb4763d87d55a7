"""The roster's rules and figures: an assignment's checks (inside the zone, dates in order, no
cadre lent to two units at once), what is active on a day, the counts by home unit and by
command post ("48个单位、500余名干部"), and the teams sent by towns."""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cadres.models import HOME_KINDS, POSTED_KINDS, Assignment
from org.models import OrgUnit


class RosterError(ValueError):
    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def in_zone(zone, unit):
    return unit is not None and unit.path.startswith(zone.path)


def dates_error(start, end):
    if start and end and end < start:
        return _("The to-date %(end)s is before the from-date %(start)s.") % {"end": end, "start": start}
    return None


def span(start, end):
    return f"{start:%Y-%m-%d}—{end:%Y-%m-%d}" if end else _("%(start)s onwards") % {"start": f"{start:%Y-%m-%d}"}


def assignment_errors(zone, cadre, department, unit, start, end, exclude_pk=None, pending=()):
    """What is wrong with lending `cadre` from `department` to `unit` over [start, end], in Chinese
    through the catalog; `pending`: other assignments (cadre key, start, end, unit name) of the same
    batch, checked against as well."""
    errors = []
    if not in_zone(zone, unit) or unit.kind not in POSTED_KINDS:
        errors.append(
            _("“%(unit)s” is not a command post, working group or town of %(zone)s.")
            % {"unit": unit.name if unit else "—", "zone": zone.name}
        )
    if not in_zone(zone, department) or department.kind not in HOME_KINDS:
        errors.append(
            _("“%(unit)s” is not a department or town of %(zone)s.")
            % {"unit": department.name if department else "—", "zone": zone.name}
        )
    if cadre is not None and cadre.zone_id != zone.pk:
        errors.append(_("The cadre is not on %(zone)s's roster.") % {"zone": zone.name})
    wrong_dates = dates_error(start, end)
    if wrong_dates:
        errors.append(wrong_dates)
        return errors
    if cadre is not None and cadre.pk:
        others = Assignment.objects.filter(cadre=cadre).exclude(pk=exclude_pk).select_related("unit")
        for other in others:
            if other.overlaps(start, end):
                errors.append(
                    _("%(name)s is already lent to %(unit)s over %(span)s: one cadre serves one unit at a time.")
                    % {"name": cadre.name, "unit": other.unit.name, "span": span(other.start, other.end)}
                )
    return errors


@transaction.atomic
def save_assignment(assignment):
    """Check and save; RosterError (nothing saved) when it breaks a rule."""
    errors = assignment_errors(
        assignment.zone,
        assignment.cadre,
        assignment.department,
        assignment.unit,
        assignment.start,
        assignment.end,
        exclude_pk=assignment.pk,
    )
    if errors:
        raise RosterError(errors)
    # the cadre's other assignments are read again under a lock, so two saves cannot both pass
    list(Assignment.objects.select_for_update().filter(cadre=assignment.cadre).values_list("pk"))
    assignment.save()
    return assignment


def active_q(day, prefix=""):
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def active(zone, day):
    return Assignment.objects.filter(zone=zone).filter(active_q(day))


def command_post_of(unit, posts_by_path):
    """The command post holding `unit` (itself when it is one), else the unit itself."""
    found = None
    for path, post in posts_by_path.items():
        if unit.path.startswith(path) and (found is None or len(path) > len(found.path)):
            found = post
    return found or unit


def posts_by_path(zone):
    return {u.path: u for u in OrgUnit.objects.filter(zone.within_q(), kind=OrgUnit.Kind.COMMAND_POST)}


def by_department(zone, day, kinds=(OrgUnit.Kind.DEPARTMENT,)):
    """[(home unit, cadres lent on `day`)], the most first."""
    rows = active(zone, day).filter(department__kind__in=kinds).values_list("department_id", "cadre_id").distinct()
    counts = Counter(dept for dept, _cadre in rows)
    units = OrgUnit.objects.in_bulk(counts)
    return sorted(((units[pk], n) for pk, n in counts.items()), key=lambda t: (-t[1], t[0].sort_order, t[0].name))


def by_post(zone, day):
    """[(command post or other unit, cadres serving there on `day`, of which leaders)], in order."""
    posts = posts_by_path(zone)
    cadres = defaultdict(set)
    leaders = defaultdict(set)
    for a in active(zone, day).select_related("unit"):
        post = command_post_of(a.unit, posts)
        cadres[post].add(a.cadre_id)
        if a.role == Assignment.Role.LEADER:
            leaders[post].add(a.cadre_id)
    return sorted(
        ((post, len(ids), len(leaders[post])) for post, ids in cadres.items()),
        key=lambda t: (t[0].kind != OrgUnit.Kind.COMMAND_POST, t[0].sort_order, t[0].path),
    )


def town_teams(zone, day):
    """Teams a town sends: [(town, unit lent to, team name, [cadres])]."""
    groups = defaultdict(list)
    rows = active(zone, day).filter(department__kind=OrgUnit.Kind.TOWN).select_related("department", "unit", "cadre")
    for a in rows.order_by("department__name", "unit__path", "team", "cadre__name"):
        groups[(a.department, a.unit, a.team)].append(a.cadre)
    return [(town, unit, team, people) for (town, unit, team), people in groups.items()]


def summary(zone, day):
    """The figures of the roster on `day`, as plain data (the CLI, the counts page)."""
    departments = by_department(zone, day)
    lent_from_departments = sum(n for _unit, n in departments)
    return {
        "zone": zone.name,
        "date": day.isoformat(),
        "departments_lending": len(departments),
        "cadres_lent": lent_from_departments,
        "cadres_lent_all": active(zone, day).values("cadre_id").distinct().count(),
        "by_department": [{"unit": u.name, "cadres": n} for u, n in departments],
        "by_command_post": [{"unit": u.name, "cadres": n, "leaders": lead} for u, n, lead in by_post(zone, day)],
        "pairings": [
            {"unit": p.first.name, "paired_with": p.second.name, "gives": p.first_items, "receives": p.second_items}
            for p in zone_pairings(zone, day)
        ],
        "town_teams": [
            {"town": town.name, "to": unit.name, "team": team, "cadres": len(people), "names": [c.name for c in people]}
            for town, unit, team, people in town_teams(zone, day)
        ],
    }


def zone_pairings(zone, day=None):
    from cadres.models import Pairing

    rows = Pairing.objects.filter(zone=zone).select_related("first", "second")
    if day is not None:
        rows = rows.filter(active_q(day))
    return list(rows)
