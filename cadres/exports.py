"""The tables for the organisation department (组织部), through duban/table_export.py: the roster
in its layout (序号, 姓名, 性别, 原单位, 职务, 职级, 派驻单位, 岗位, 起止时间), the counts, the
commendations and the reserve pool."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.table_export import COUNT, DATE, Column, Table


def period_text(a):
    return f"{a.start:%Y.%m.%d}—{a.end:%Y.%m.%d}" if a.end else f"{a.start:%Y.%m.%d}—至今"


def roster_table(zone, rows):
    columns = [
        Column("序号", kind=COUNT, width=6),
        Column("姓名", width=10),
        Column("性别", width=6),
        Column("原单位", width=22),
        Column("职务", width=18),
        Column("职级", width=12),
        Column("派驻单位", width=22),
        Column("岗位", width=12),
        Column("工作组", width=16),
        Column("起止时间", width=24),
    ]
    body = [
        [
            n,
            a.cadre.name,
            a.cadre.get_gender_display(),
            a.department.name,
            a.cadre.post,
            a.cadre.rank,
            a.unit.name,
            a.get_role_display(),
            a.team,
            period_text(a),
        ]
        for n, a in enumerate(rows, 1)
    ]
    return Table(
        title=_("%(zone)s: cadres lent to the front") % {"zone": zone.name},
        columns=columns,
        rows=body,
        as_of=timezone.localdate(),
        name=_("Roster"),
        notes=[_("%(n)d assignments, %(c)d cadres.") % {"n": len(rows), "c": len({a.cadre_id for a in rows})}],
    )


def counts_table(zone, data):
    rows = [[_("Home unit"), r["unit"], r["cadres"]] for r in data["by_department"]]
    rows += [[_("Command post"), r["unit"], r["cadres"]] for r in data["by_command_post"]]
    return Table(
        title=_("%(zone)s: cadres lent, by unit") % {"zone": zone.name},
        columns=[
            Column(_("Counted by")),
            Column(pgettext("cadres", "Unit"), width=24),
            Column(_("Cadres"), "人", COUNT),
        ],
        rows=rows,
        as_of=timezone.localdate(),
        notes=[
            _("%(d)d departments lend %(c)d cadres.") % {"d": data["departments_lending"], "c": data["cadres_lent"]}
        ],
    )


def commendations_table(zone, items):
    return Table(
        title=_("%(zone)s: commendations") % {"zone": zone.name},
        columns=[
            Column("序号", kind=COUNT, width=6),
            Column(_("Commended"), width=20),
            Column(_("Title"), width=24),
            Column(_("Date"), kind=DATE),
            Column(_("Reason"), width=40),
        ],
        rows=[
            [n, (c.cadre.name if c.cadre else c.unit.name), c.title, c.day, c.reason] for n, c in enumerate(items, 1)
        ],
        as_of=timezone.localdate(),
    )


def reserve_table(zone, items):
    def result(n):
        r = n.results or {}
        if "rank" not in r:
            return r.get("unit", "")
        return f"{r['unit']} {r['period']} 第{r['rank']}名/{r['of']} 得分{r['total']}"

    return Table(
        title=_("%(zone)s: reserve cadre pool") % {"zone": zone.name},
        columns=[
            Column("序号", kind=COUNT, width=6),
            Column("姓名", width=10),
            Column("原单位", width=22),
            Column("职务", width=18),
            Column(_("Date"), kind=DATE),
            Column(_("Reason"), width=36),
            Column(_("Results at the time"), width=36),
        ],
        rows=[
            [k, n.cadre.name, n.cadre.department.name, n.cadre.post, n.day, n.reason, result(n)]
            for k, n in enumerate(items, 1)
        ],
        as_of=timezone.localdate(),
    )
