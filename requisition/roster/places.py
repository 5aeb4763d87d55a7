"""The 村/组 cell: villages by name, and whether the user may import into them."""

from org.models import OrgUnit


class Villages:
    """Villages by full name, then by short name (one query)."""

    def __init__(self, scope):
        self.scope = scope
        self.by_name, self.by_short, self.allowed = {}, {}, {}
        for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.VILLAGE).only("id", "name", "short_name", "path"):
            self.by_name.setdefault(unit.name, []).append(unit)
            if unit.short_name:
                self.by_short.setdefault(unit.short_name, []).append(unit)
        self.found = {}

    def may_import(self, village):
        if village.pk not in self.allowed:
            scope = self.scope
            self.allowed[village.pk] = scope is None or scope.office_for(village) or scope.owns(village)
        return self.allowed[village.pk]

    def find(self, name):
        """(village, None) or (None, 'unknown' | 'ambiguous'); of several villages of one name,
        the only one the user may import into is taken."""
        if name not in self.found:
            self.found[name] = self._find(name)
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
