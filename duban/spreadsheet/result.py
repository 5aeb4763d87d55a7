"""The result of an import: row-by-row errors, warnings, notes, counts and a preview of changes.
An import is all or nothing: an import with errors counts nothing as done."""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.utils.translation import gettext as _

PREVIEW_LIMIT = 200
logger = logging.getLogger("duban.spreadsheet")


@dataclass
class Change:
    line: int
    label: str  # what the row is: a project's or a household's name
    created: bool
    fields: list


@dataclass
class ImportResult:
    layout: str = ""
    year: int | None = None
    month: int | None = None
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    understood: list = field(default_factory=list)  # what the reading layer understood (the dry run's description)
    changes: list = field(default_factory=list)  # the first PREVIEW_LIMIT

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return self.created + self.updated

    def count(self, line, label, created, fields):
        if created:
            self.created += 1
        elif fields:
            self.updated += 1
        else:
            self.unchanged += 1
            return
        if len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(Change(line, label, created, fields))

    def summary(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def refuse(self, err):
        """A file the checks or the database refused: its message, and nothing counted as done."""
        if isinstance(err, IntegrityError):
            logger.warning("import refused by the database: %s", err)  # its reason is English
            self.errors.append(
                _("The database refused the import (a record clashes with one stored); nothing was changed.")
            )
        else:
            self.errors.append(err.message)
        self.discard()

    def discard(self):
        """An import with errors changes nothing (all or nothing), so it counts nothing as done."""
        if self.errors:
            self.created = self.updated = self.unchanged = 0
            self.changes = []
