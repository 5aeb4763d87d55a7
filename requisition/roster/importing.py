"""The import: rows parsed in a second thread, checked and written chunk by chunk, all or nothing."""

import gc
import queue
import threading
from contextlib import contextmanager
from operator import itemgetter

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import audit
from duban import hooks as screen_hooks
from duban.spreadsheet import (
    ExcelError,
    ImportResult,
    read_source,
)
from requisition.models import Household
from requisition.roster.checks import Checks
from requisition.roster.household_numbers import _number_key, generated_number
from requisition.roster.places import Villages
from requisition.roster.reading import read_roster, roster_rows
from requisition.roster.rows import RowParser
from requisition.roster.writing import BATCH, Writes, connection_for_write, insert_fields

CHUNK = 5000  # rows parsed, checked and written at a time


class Importer(Checks, Writes):
    """One import, fed chunks of parsed rows in file order.

    Each chunk is checked against the rows before it (a household or 户号 twice in the file)
    and against the ledger as it stood before the import (every lookup reads households up to
    the highest id there was at the start, never those this import has just written), so the
    answer is the same as if the whole file were checked first. While no error has been found
    and it is not a dry run, a checked chunk's new households are written at once — COPY on
    PostgreSQL, executemany on SQLite — and the database works through them while the next
    chunk is parsed (see _parsed_chunks). An error anywhere makes finish() roll everything back:
    the file is still taken whole or not at all."""

    def __init__(self, villages, result, dry_run, expected_rows):
        self.villages, self.result, self.dry_run = villages, result, dry_run
        self.errors = []  # (line, message) found here; the parser keeps its own
        self.connection = connection_for_write()
        self.last_pk = Household.objects.aggregate(last=Max("pk"))["last"] or 0
        self.fields = insert_fields()
        names = [name for name, _default in self.fields]
        self.position = {name: index for index, name in enumerate(names)}
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        self.defaults = [now if name == "updated_at" else default for name, default in self.fields]
        self.key = _number_key()
        self.failed = False
        self.changed, self.changed_fields = [], set()
        self.new = 0
        # across chunks
        self.first_by_id, self.first_by_name, self.first_by_number = {}, {}, {}
        self.first_by_stored = {}
        self.without_id, self.without_id_villages, self.claimed = {}, set(), set()
        self.deferred = []  # rows with a new ID number that may complete a household without one
        self.village_names = {}
        self.generated, self.generated_villages = set(), set()
        self.generated_limit = 4 * expected_rows + 1000
        self.new_groups = []  # names of the villagers' groups made (or, in a dry run, to be made)

    # the ledger as it was ------------------------------------------------------------------------

    def prepare(self, rows):
        """What needs no database, done in the parser's thread (see _parsed_chunks) so that the
        importing thread is free for the database's answers: the rows checked against the rows
        before them, and each row's insert line made in case it turns out to be new."""
        self._check_duplicates(rows)
        for row in rows:
            if not row.bad and row.village_id is not None:
                row.made_number = row.number or generated_number(self.key, row.village_id, row)
                row.insert_line = self._line(row, row.made_number)

    def add(self, rows):
        self.result.rows += len(rows)
        if any(row.bad for row in rows):  # found by the parser or prepare()
            self.failed = True
        self._groups(rows)
        self._match(rows)
        self._settle([row for row in rows if not row.deferred])

    def _groups(self, rows):
        """The groups the rows name that the village has no unit for yet: made now (see
        requisition.roster.places; rolled back with the rest if the file has an error), not in
        a dry run; the rows' insert lines get their ids."""
        pending = [
            row
            for row in rows
            if row.group_id is None and row.group_number is not None and row.village_id is not None and not row.bad
        ]
        if not pending:
            return
        keys = [(row.village_id, row.group_number) for row in pending]
        self.new_groups.extend(self.villages.make_missing(keys, write=not self.dry_run and not self.failed))
        groups, at = self.villages.groups, self.position["group_id"]
        for row in pending:
            row.group_id = group = groups.get((row.village_id, row.group_number))
            if group is not None and (line := row.insert_line) is not None:
                row.insert_line = (*line[:at], group, *line[at + 1 :])

    def _settle(self, rows):
        """Rows matched (or not) with the ledger: the checks that follow, then the writes."""
        self._check_claimed(rows)
        self._plan(rows)
        self._check_numbers(rows)
        new = []
        for row in rows:
            if not row.bad and not self.failed:
                if row.existing is None:
                    new.append(self._create(row))
                else:
                    self._update(row)
        if new and not self.failed and not self.dry_run:
            self._insert(new)

    def finish(self, parse_errors):
        """Errors in row order (all or nothing: any rolls the import back), else the changed
        households written."""
        for row in self.deferred:
            found = self._without_id(row)[0]
            if found[0] not in self.claimed:
                row.existing = found
                self.claimed.add(found[0])
        self._settle(self.deferred)
        self.result.changes.sort(key=lambda change: change.line)
        errors = sorted([*parse_errors, *self.errors], key=itemgetter(0))
        self.result.errors.extend(message for _line, message in errors)
        if errors:
            transaction.set_rollback(True)
            return
        if self.new_groups:
            if self.dry_run:
                message = _("Villagers' groups to be made: %(groups)s.")
            else:
                message = _("Villagers' groups made: %(groups)s.")
            self.result.notes.append(message % {"groups": "、".join(self.new_groups)})
        if self.dry_run:
            return
        if self.changed:
            now = timezone.now()
            for household in self.changed:
                household.updated_at = now
            Household.objects.bulk_update(self.changed, [*sorted(self.changed_fields), "updated_at"], batch_size=BATCH)
        # the big screen's village roll-ups: changed households now; new ones (higher ids) are
        # caught up by the screen's next request, outside this transaction (dashboard/rollups.py)
        screen_hooks.households_changed({household.village_id for household in self.changed})
        note = f"{self.new} new, {len(self.changed)} changed households"
        audit.record("import", "requisition.household", note=note)


# The import ------------------------------------------------------------------------------------


def _parsed_chunks(parsers, prepare):
    """The sheets' rows ((rows, RowParser) a sheet) parsed and prepared (`prepare(chunk)`: what
    needs no database), CHUNK rows at a time, by a second thread: while the caller checks and writes one chunk (mostly
    waiting for the database, which runs on its own core), the next is being parsed. The
    parser touches no database; it works in the caller's language."""
    chunks = queue.Queue()
    stop = threading.Event()
    language = translation.get_language()

    def work():
        try:
            with translation.override(language):
                chunk = []
                for rows, parser in parsers:
                    parse = parser.parse
                    for line, raw in rows:
                        chunk.append(parse(line, raw))
                        if len(chunk) == CHUNK:
                            prepare(chunk)
                            chunks.put(chunk)
                            chunk = []
                            if stop.is_set():
                                return
                if chunk:
                    prepare(chunk)
                    chunks.put(chunk)
        except BaseException as err:  # handed to the caller, raised there
            chunks.put(err)
        finally:
            chunks.put(None)

    thread = threading.Thread(target=work, name="roster-parser", daemon=True)
    thread.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def import_file(source, *, scope=None, dry_run=False, today=None, progress=None):
    """Import a roster (bytes, path or file object). `scope` is the user's org.scoping.Scope;
    None imports as the office. `progress(rows)`, if given, is called with the rows read,
    checked and written so far after each chunk (a background job's progress bar). Never
    raises for a bad file: see result.errors."""
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        with _no_cyclic_gc():
            _import(source, scope, dry_run, today, result, progress)
    except (ExcelError, IntegrityError) as err:
        result.refuse(err)
    result.discard()
    return result


def _check_sheet_village(villages, sheet):
    """A sheet without a 村/组 column is a village's roster only if it is named for one."""
    problem = villages.place(sheet.village_name)[3]
    if problem in ("unknown", "ambiguous", "empty", "too_long"):
        raise ExcelError(
            _(
                "Sheet “%(sheet)s” has no 村/组 column, and no village is called “%(sheet)s”; add the column or "
                "name the sheet for its village."
            )
            % {"sheet": sheet.name}
        )


@contextmanager
def _no_cyclic_gc():
    """A roster makes about a million small objects (rows, cells, values), none in a cycle;
    Python's cycle collector would walk them again and again as they pile up (~7 % of the
    import). Reference counting still frees everything; the collector is back on at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(source, scope, dry_run, today, result, progress=None):
    roster = read_roster(read_source(source))
    result.understood = roster.describe()
    villages = Villages(scope)
    parse_errors = []  # (line, message), from the parser's thread
    parsers = []
    for order, sheet in enumerate(roster.sheets):
        if sheet.village_name is not None:
            _check_sheet_village(villages, sheet)
        parser = RowParser(sheet, villages, parse_errors, today)
        parsers.append((roster_rows(sheet, order, roster.several), parser))
    with transaction.atomic():
        importer = Importer(villages, result, dry_run, roster.height)
        with importer.writing():
            for chunk in _parsed_chunks(parsers, importer.prepare):
                importer.add(chunk)
                if progress is not None:
                    progress(result.rows)
        if not result.rows:
            raise ExcelError(_("The sheet has no data rows."))
        importer.finish(parse_errors)
