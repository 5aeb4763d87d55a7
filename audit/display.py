"""The audit page's words for what is stored: a field's verbose name, a choice's label (交办, not
assigned), a linked record's name (甲指挥部, not 12; for links and unlinks too, not
{'added': [12]}), yes/no, times in Beijing time.

What an entry stores stays as it was recorded (ids and codes, so that it survives renames); this
module only reads it for people. The linked records of one page are fetched together, one query
per record type."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

BEIJING = ZoneInfo("Asia/Shanghai")


def model_of(label):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def field_of(model, name):
    """The model field an entry's key names (a foreign key is stored under its column, unit_id)."""
    if model is None:
        return None
    for candidate in (name, name[:-3] if name.endswith("_id") else None):
        if not candidate:
            continue
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def label(field, name):
    """A field's name as the interface shows it (its verbose name), else the stored key."""
    return str(getattr(field, "verbose_name", name)) if field is not None else name


def _ids(value):
    """The record ids a stored value of a link holds: an id, a list of ids, or an m2m change."""
    if isinstance(value, dict):
        return [i for key in ("added", "removed") for i in value.get(key, [])]
    if isinstance(value, list):
        return list(value)
    return [] if value in (None, "", "all") else [value]


class Words:
    """Turns the changes of a page of entries into words, with the linked records fetched once."""

    def __init__(self, entries):
        self.names = {}  # (related model, pk as str) -> name
        wanted = {}
        for entry in entries:
            model = model_of(entry.model)
            for data in (entry.before or {}, entry.after or {}):
                for name, value in data.items():
                    field = field_of(model, name)
                    if field is not None and field.is_relation and field.related_model is not None:
                        wanted.setdefault(field.related_model, set()).update(str(i) for i in _ids(value))
        for related, pks in wanted.items():
            pk_field = related._meta.pk
            clean = []
            for pk in pks:
                try:
                    clean.append(pk_field.to_python(pk))
                except Exception:  # an id of the wrong type (a value recorded by hand)
                    continue
            for obj in related._default_manager.filter(pk__in=clean):
                self.names[(related, str(obj.pk))] = str(obj)

    def rows(self, entry):
        """(field label, before, after) of an entry, in words."""
        before, after = entry.before or {}, entry.after or {}
        model = model_of(entry.model)
        rows = []
        for name in dict.fromkeys([*before, *after]):
            field = field_of(model, name)
            rows.append((label(field, name), self.value(field, before.get(name)), self.value(field, after.get(name))))
        return rows

    def value(self, field, value):
        if value is None:
            return None
        if field is not None and field.is_relation and field.related_model is not None:
            return self._linked(field, value)
        if field is not None and getattr(field, "flatchoices", None):
            labels = {str(key): str(text) for key, text in field.flatchoices}
            if isinstance(value, list):
                return "、".join(labels.get(str(v), str(v)) for v in value)
            return labels.get(str(value), str(value))
        if isinstance(value, bool):
            return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            return beijing(value)
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return value

    def _linked(self, field, value):
        related = field.related_model
        if value == "all":
            return pgettext("audit value", "all")
        if isinstance(value, dict):
            parts = []
            if value.get("added"):
                parts.append(_("added: %(names)s") % {"names": self._names(related, value["added"])})
            if value.get("removed"):
                parts.append(_("removed: %(names)s") % {"names": self._names(related, value["removed"])})
            return "; ".join(parts)
        if isinstance(value, list):
            return self._names(related, value) if value else pgettext("audit value", "none")
        return self._names(related, [value])

    def _names(self, related, ids):
        return "、".join(self.names.get((related, str(i))) or _("#%(id)s (no longer there)") % {"id": i} for i in ids)


def beijing(text):
    """An ISO time as stored (UTC or with its offset) as Beijing time, 2026-12-03 17:00:00."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
