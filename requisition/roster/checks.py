"""Checking rows against the file and the ledger, chunk by chunk (mixed into Importer)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from duban.personal import mask_id
from duban.spreadsheet import (
    QUERY_CHUNK,
)
from org.models import OrgUnit
from requisition.models import Household, Stage
from requisition.roster.columns import STORED
from requisition.roster.household_numbers import GENERATED_END, GENERATED_PREFIX, _looks_generated
from requisition.roster.lines import _column, _p
from requisition.roster.vocabulary import STAGE_BELOW, STAGE_NAMES, STAGE_ORDER
from requisition.roster.writing import ARRAY_CHUNK, _chunks, _id_numbers_in, _pairs_in

GROUP = STORED.index("group_id")


class Checks:
    """Importer's checks: duplicates in the file, matching with the ledger, stages, 户号."""

    def _stored(self, condition, **filters):
        queryset = Household.objects.filter(condition, pk__lte=self.last_pk, **filters).order_by()
        return queryset.values_list(*STORED)

    def _by_number(self, rows):
        """{(village id, number): stored household} for the rows' 户号."""
        pairs = sorted({(row.village_id, row.number) for row in rows if row.number and row.village is not None})
        found = {}
        size = ARRAY_CHUNK if self.connection.vendor == "postgresql" else QUERY_CHUNK // 2
        for chunk in _chunks(pairs, size):
            found.update(((h[1], h[2]), h) for h in self._stored(_pairs_in(chunk)))
        return found

    # one chunk -------------------------------------------------------------------------------------

    def _check_duplicates(self, rows):
        """One row per household: by ID number, else by (village, name, address); one 户号 per row."""
        by_id, by_name, by_number = self.first_by_id, self.first_by_name, self.first_by_number
        for row in rows:
            if row.village is None:
                continue
            if row.id_number:
                first = by_id.setdefault(row.id_number, row.line)
                if first != row.line:
                    self._error(
                        row,
                        _(
                            "Row %(row)s (%(name)s): the household with the ID number %(id)s is already in row "
                            "%(first)s."
                        )
                        % _p(row, id=mask_id(row.id_number), first=first),
                    )
            elif not row.id_masked and row.name:
                # two heads of one name in different groups are two households
                key = (row.village_id, row.group_number, row.name, row.address or "")
                first = by_name.setdefault(key, row.line)
                if first != row.line:
                    self._error(
                        row,
                        _("Row %(row)s: the household of %(name)s (%(village)s) is already in row %(first)s.")
                        % _p(row, village=row.village.name, first=first),
                    )
            if row.number:
                first = by_number.setdefault((row.village_id, row.number), row.line)
                if first != row.line:
                    self._error(
                        row,
                        _("Row %(row)s: the household number %(number)s of %(village)s is already in row %(first)s.")
                        % {"row": row.line, "number": row.number, "village": row.village.name, "first": first},
                    )

    def _match(self, rows):
        """Set row.existing from the ledger: by ID number, else by name and address, or by 户号 for
        a masked ID number. A few queries per chunk, whatever the size of the ledger."""
        with_id = [row for row in rows if row.id_number and not row.bad]
        by_id = {}
        size = ARRAY_CHUNK if self.connection.vendor == "postgresql" else QUERY_CHUNK
        for chunk in _chunks({row.id_number for row in with_id}, size):
            by_id.update((h[4], h) for h in self._stored(_id_numbers_in(chunk)))
        unmatched = []
        for row in with_id:
            found = by_id.get(row.id_number)
            if found is None:
                unmatched.append(row)
            elif found[1] == row.village_id:
                row.existing = found
            else:
                self._other_village(row, found[1])
        # without an ID number: by name and address among the stored households without one (a
        # row with a new ID number fills in the ID of such a household); each village's read once
        without_id = [row for row in rows if not row.id_number and not row.id_masked and not row.bad]
        candidates = without_id + unmatched
        villages = sorted({row.village_id for row in candidates} - self.without_id_villages)
        for chunk in _chunks(villages):
            for h in self._stored(Q(village_id__in=chunk), id_number=""):
                self.without_id.setdefault((h[1], h[3], h[6]), []).append(h)
        self.without_id_villages.update(villages)
        for row in without_id:
            found = self._without_id(row)
            if len(found) == 1:
                row.existing = found[0]
                self.claimed.add(found[0][0])
            elif len(found) > 1:
                self._error(
                    row,
                    _("Row %(row)s: %(village)s has several households of %(name)s; fill in the ID number or 户号.")
                    % _p(row, village=row.village.name),
                )
        # a row with a new ID number takes such a household only if no row without an ID number
        # takes it, in the whole file: it waits for the end (finish)
        for row in unmatched:
            if len(self._without_id(row)) == 1:
                row.deferred = True
                self.deferred.append(row)
        masked = [row for row in rows if row.id_masked and not row.bad]
        by_number = self._by_number(masked)
        for row in masked:
            found = by_number.get((row.village_id, row.number)) if row.number else None
            if found is None or mask_id(found[4]) != row.id_masked:
                self._error(
                    row,
                    _(
                        "Row %(row)s (%(name)s): the ID number is masked (%(id)s); write the full ID number, or keep "
                        "the 户号 of an exported ledger."
                    )
                    % _p(row, id=row.id_masked),
                )
            else:
                row.existing = found

    def _without_id(self, row):
        """The stored households without an ID number the row may be: same village, name and
        address, and the row's group (a stored household without a group may be any)."""
        found = self.without_id.get((row.village_id, row.name, row.address or ""), [])
        if row.group_number is None or not found:
            return found
        numbers = self.villages.group_numbers
        return [h for h in found if h[GROUP] is None or numbers.get(h[GROUP]) == row.group_number]

    def _check_claimed(self, rows):
        """Two rows cannot be one stored household (say a masked row and a row with the full ID):
        the later row of the two is wrong."""
        first = self.first_by_stored
        for row in rows:
            if row.existing is None or row.bad:
                continue
            other = first.setdefault(row.existing[0], row)
            if other is not row:
                earlier, later = sorted((other, row), key=lambda r: r.line)
                first[row.existing[0]] = earlier
                self._error(
                    later,
                    _("Row %(row)s (%(name)s): this household is already in row %(first)s.")
                    % _p(later, first=earlier.line),
                )

    def _other_village(self, row, village_id):
        """The row's ID number is registered in another village (named when the user may read it)."""
        names, scope = self.village_names, self.villages.scope
        if village_id not in names:
            unit = OrgUnit.objects.only("name", "path").get(pk=village_id)
            names[village_id] = unit.name if scope is None or scope.can_read(unit) else None
        params = _p(row, id=mask_id(row.id_number), village=names[village_id])
        if params["village"]:
            message = _(
                "Row %(row)s (%(name)s): a household with the ID number %(id)s is already registered in %(village)s."
            )
        else:
            message = _(
                "Row %(row)s (%(name)s): a household with the ID number %(id)s is already registered in another "
                "village."
            )
        self._error(row, message % params)

    def _plan(self, rows):
        for row in rows:
            if row.bad:
                continue
            if row.existing is None:
                if row.id_masked or row.phone_masked:
                    column = "id_number" if row.id_masked else "phone"
                    self._error(
                        row,
                        _(
                            "Row %(row)s (%(name)s): %(column)s is masked (%(value)s) and there is no such household "
                            "to keep it from."
                        )
                        % _p(row, column=_column(column), value=row.id_masked or row.phone_masked),
                    )
                elif not row.number:
                    row.number = row.made_number
            elif row.stage_below is not None:
                self._stage_below(row)
            elif STAGE_ORDER[Stage(row.values.get("stage", row.existing[12]))] < STAGE_ORDER[Stage(row.existing[12])]:
                self._error(
                    row,
                    _(
                        "Row %(row)s (%(name)s): the household is at “%(stored)s” in the ledger; an import cannot "
                        "move it back to “%(stage)s” (step back on the household's page, with a reason)."
                    )
                    % _p(row, stored=STAGE_NAMES[Stage(row.existing[12])], stage=STAGE_NAMES[row.values["stage"]]),
                )

    def _stage_below(self, row):
        """未签约 (or 未拆除) on a stored household: its stage kept when before that step, else
        refused (the import would move it back)."""
        stored = Stage(row.existing[12])
        if STAGE_ORDER[stored] < STAGE_ORDER[row.stage_below]:
            del row.values["stage"]
            return
        word = next(word for word, stage in STAGE_BELOW.items() if stage == row.stage_below)
        self._error(
            row,
            _(
                "Row %(row)s (%(name)s): the household is at “%(stored)s” in the ledger; “%(word)s” would move it "
                "back (step back on the household's page, with a reason)."
            )
            % _p(row, stored=STAGE_NAMES[stored], word=word),
        )

    def _check_numbers(self, rows):
        """A new or changed 户号 must not belong to another household of the village."""
        wanted = [
            row
            for row in rows
            if not row.bad and row.number and (row.existing is None or row.existing[2] != row.number)
        ]
        generated = self._generated_pairs([row for row in wanted if _looks_generated(row.number)])
        if generated is not None:  # a generated number is looked up only where the village has it
            wanted = [
                row for row in wanted if not _looks_generated(row.number) or (row.village_id, row.number) in generated
            ]
        taken = self._by_number(wanted)
        for row in wanted:
            other = taken.get((row.village_id, row.number))
            if other is not None and (row.existing is None or other[0] != row.existing[0]):
                self._error(
                    row,
                    _("Row %(row)s (%(name)s): the household number %(number)s of %(village)s belongs to %(other)s.")
                    % _p(row, number=row.number, village=row.village.name, other=other[3]),
                )

    def _generated_pairs(self, rows):
        """{(village id, number)} of the stored households whose number looks generated, in the
        rows' villages: each village read once, by a range query on the (village, number) index
        that reads two columns, instead of looking the rows' numbers up one by one (a new
        household's number is generated, and almost never taken) — unless the villages hold many
        more such households than the file has rows (None: look them all up)."""
        if self.generated is None:
            return None
        villages = sorted({row.village_id for row in rows} - self.generated_villages)
        for chunk in _chunks(villages):
            condition = Q(village_id__in=chunk, number__gte=GENERATED_PREFIX, number__lt=GENERATED_END)
            room = self.generated_limit - len(self.generated)
            stored = Household.objects.filter(condition, pk__lte=self.last_pk).order_by()
            self.generated.update(stored.values_list("village_id", "number")[: room + 1])
            if len(self.generated) > self.generated_limit:
                self.generated = None
                return None
        self.generated_villages.update(villages)
        return self.generated

    def _error(self, row, message):
        row.bad = True
        self.failed = True
        self.errors.append((row.line, message))

    # what is written -------------------------------------------------------------------------------
