"""The 村/组 cell and the 组 column: villages by name, their villagers' groups, and whether the
user may import into them.

A 村/组 cell holds, as rosters write it:
- a village, by its name or short name: 陈桥村, 陈桥;
- a village and its group: 陈桥村2组, 陈桥村二组, 陈桥村第二村民小组, 陈桥村2队 (see groups.py);
- the full place name, with the town or district before the village: 某镇陈桥村3组,
  涵江区某镇陈桥村3组 (the longest ending that names a village is the village);
- any of these, a slash and an address: 江尾村/3组 (the address, as before groups were read;
  when it names a group, as 3组 does, that is the household's group too, if the group exists or
  the user may make it: otherwise it stays the address only, as it always was).
A separate 组 column (组, 村民小组, 组别) holds the group: 3, 三, 3组, 第三村民小组, or 江尾村3组 (a
group of another village than the 村/组 cell's is refused).

**Groups are made by the import when the office's own roster names them.** A group number the
village has no unit for yet is created, as a unit of kind VILLAGE_GROUP under the village (name
陈桥村3组, short name 3组), when the user acts as the office for the village (or imports as the
office, scope None): the office that imports its village's roster expects the groups it lists
to appear, not to type each one first. It happens only when the whole file is accepted (in the
import's transaction; a dry run lists the groups it would make, and makes none). A field worker
who only owns the village cannot add units: the row is refused, naming the group, and asking
the office to add it.
"""

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad

import audit
from duban.spreadsheet import QUERY_CHUNK
from org.models import OrgUnit
from requisition.models import Household
from requisition.roster.groups import group_label, group_number, split_group

ADDRESS_MAX = Household._meta.get_field("address").max_length
# what the text before a village's name ends with when it is the place above the village (某镇,
# 涵江区, 某街道): 新江尾村 is not 江尾村
PLACE_ENDINGS = ("省", "市", "区", "县", "镇", "乡", "街道", "办事处", "片区")


def _text(value):
    return value.strip() if value.__class__ is str else str(value).strip()


class Villages:
    """Villages by full name, then by short name, and their groups by number (two queries)."""

    def __init__(self, scope):
        self.scope = scope
        self.by_name, self.by_short, self.allowed = {}, {}, {}
        self.by_id = {}
        for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.VILLAGE).only("id", "name", "short_name", "path"):
            self.by_name.setdefault(unit.name, []).append(unit)
            if unit.short_name:
                self.by_short.setdefault(unit.short_name, []).append(unit)
            self.by_id[unit.pk] = unit
        self.longest = max(map(len, self.by_name), default=0)
        self.groups = {}  # (village id, group number) → group id
        self.group_numbers = {}  # group id → number
        groups = OrgUnit.objects.filter(kind=OrgUnit.Kind.VILLAGE_GROUP, parent__kind=OrgUnit.Kind.VILLAGE)
        for pk, parent_id, name, short in groups.values_list("id", "parent_id", "name", "short_name"):
            village = self.by_id.get(parent_id)
            number = self._number_of(village, name, short)
            if number is not None:
                self.groups.setdefault((parent_id, number), pk)
                self.group_numbers[pk] = number
        self.missing = {}  # (village id, number) → the first row naming a group to be made
        self.found = {}

    @staticmethod
    def _number_of(village, name, short):
        for text in (short, name[len(village.name) :] if village and name.startswith(village.name) else "", name):
            if text and (number := group_number(text)) is not None:
                return number
        return None

    def may_import(self, village):
        if village.pk not in self.allowed:
            scope = self.scope
            self.allowed[village.pk] = scope is None or scope.office_for(village) or scope.owns(village)
        return self.allowed[village.pk]

    def may_add_groups(self, village):
        return self.scope is None or self.scope.office_for(village)

    def find(self, name):
        """(village, None) or (None, 'unknown' | 'ambiguous'); of several villages of one name,
        the only one the user may import into is taken. A full place name (涵江区某镇陈桥村) is
        the village its longest ending names, after the name of a town, district … (PLACE_ENDINGS)."""
        if name not in self.found:
            village, problem = self._find(name)
            if problem == "unknown":
                for start in range(max(1, len(name) - self.longest), len(name) - 1):
                    if name[start:] in self.by_name and name[:start].endswith(PLACE_ENDINGS):
                        village, problem = self._find(name[start:])
                        break
            self.found[name] = village, problem
        return self.found[name]

    def _find(self, name):
        for index in (self.by_name, self.by_short):
            candidates = index.get(name, [])
            if len(candidates) == 1:
                return candidates[0], None
            if candidates:
                mine = [v for v in candidates if self.may_import(v)]
                return (mine[0], None) if len(mine) == 1 else (None, "ambiguous")
        return None, "unknown"

    # a cell -------------------------------------------------------------------------------------

    def place(self, value):
        """(village name, address or None, village, problem or None, village id, group number or
        None, whether that number is only the address's) of a 村/组 cell."""
        text = _text(value) if value is not None else ""
        if not text:
            return "", None, None, "empty", None, None, False
        address = number = None
        soft = False  # the group read from the address only
        if "/" in text or "／" in text:
            text, _slash, address = text.replace("／", "/").partition("/")
            text, address = text.strip(), address.strip()
            number = group_number(address) if address else None
            soft = number is not None
        village, problem = self.find(text)
        if problem == "unknown" and (split := split_group(text)) is not None and split[0]:
            found, found_problem = self.find(split[0])
            if found_problem != "unknown":
                text, village, problem = split[0], found, found_problem
                if number is not None and number != split[1]:
                    problem = "two_groups"
                number, soft = split[1], False
        if problem is None and not self.may_import(village):
            problem = "forbidden"
        if problem is None and address is not None and len(address) > ADDRESS_MAX:
            problem = "too_long"
        return text, address, village, problem, village.pk if village is not None else None, number, soft

    def group_cell(self, value):
        """(group number, village named with it or None, problem or None) of a 组 cell."""
        number = group_number(value)
        if number is not None:
            return number, None, None
        text = "".join(_text(value).split())
        split = split_group(text)
        if split is None:
            return None, None, "not_a_group"
        village, problem = self.find(split[0])
        return split[1], village, None if problem is None else "not_a_group"

    def group_id(self, village, number):
        """The group's id; None for a group to be made (see the module's docstring); 'refused'
        when the user may not make it."""
        found = self.groups.get((village.pk, number))
        if found is not None:
            return found
        return None if self.may_add_groups(village) else "refused"

    # made as rows name them -------------------------------------------------------------------

    def make_missing(self, keys, write):
        """The groups `keys` ((village id, number)) that do not exist yet: made when `write`
        (not in a dry run, nor once the file has an error), in one statement and their paths in
        another. Returns the names of those new to this import."""
        keys = sorted(key for key in set(keys) if key not in self.groups and key not in self.missing)
        names = [f"{self.by_id[v].name}{group_label(n)}" for v, n in keys]
        self.missing.update((key, name) for key, name in zip(keys, names, strict=True))
        if write:
            self._make()
        return names

    def _make(self):
        keys = sorted(key for key in self.missing if key not in self.groups)
        if not keys:
            return
        units = [
            OrgUnit(
                name=self.missing[(v, n)],
                short_name=group_label(n),
                kind=OrgUnit.Kind.VILLAGE_GROUP,
                parent_id=v,
                sort_order=n,
            )
            for v, n in keys
        ]
        made = OrgUnit.objects.bulk_create(units)  # PostgreSQL and SQLite return the ids
        for unit, (v, n) in zip(made, keys, strict=True):
            self.groups[(v, n)] = unit.pk
            self.group_numbers[unit.pk] = n
        # each path (the parent's and the id, as OrgUnit.save makes it) in one statement per
        # QUERY_CHUNK units: bulk_update's CASE of thousands of paths costs seconds to build
        parent_path = Subquery(OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
        path = Concat(parent_path, LPad(Cast("pk", CharField()), 6, Value("0")), Value("."), output_field=CharField())
        ids = [unit.pk for unit in made]
        for start in range(0, len(ids), QUERY_CHUNK):
            OrgUnit.objects.filter(pk__in=ids[start : start + QUERY_CHUNK]).update(path=path)
        note = "villagers' groups made by a roster import: " + ", ".join(self.missing[key] for key in keys)
        audit.record("import", "org.orgunit", note=note[:1000])
