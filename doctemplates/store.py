"""Which template a document is rendered from, and the office's uploads and resets.

template_bytes(zone, kind): the zone office's active template, or the default; upload() checks
a template before it is used (duban/gongwen/template.check) and, on refusal, changes nothing:
the previous template stays in use."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction

from doctemplates import kinds
from doctemplates.models import DocumentTemplate
from duban.gongwen import template
from org.models import OrgUnit, zone_paths

log = logging.getLogger(__name__)


def zone_of(unit):
    """The zone (county) a unit belongs to: its nearest zone ancestor-or-self, else its root."""
    paths = zone_paths([unit])
    return OrgUnit.objects.filter(path__in=paths).first() or unit


def current(zone, code):
    return DocumentTemplate.objects.filter(zone=zone, kind=code, active=True).first()


def default_bytes(code):
    return kinds.get(code).default()


def template_bytes(zone, code):
    """(bytes, the DocumentTemplate or None for the default)."""
    uploaded = current(zone, code) if zone is not None else None
    if uploaded is not None:
        try:
            with uploaded.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            data = None
        if data is not None and hashlib.sha256(data).hexdigest() == uploaded.sha256:
            return data, uploaded
        log.error("template %s of %s is missing or changed on disk: the default is used", uploaded.pk, zone)
    return default_bytes(code), None


def render(unit, code, context):
    """The document (.docx bytes) of `code` for `unit`'s zone, from its office's template. A
    template that passed its check but fails on this document's values (it cannot be known
    before) gives way to the default, with the error logged, rather than no document at all."""
    data, uploaded = template_bytes(zone_of(unit) if unit is not None else None, code)
    if uploaded is None:
        return template.render(data, context)
    try:
        return template.render(data, context)
    except Exception:
        log.exception("template %s (%s of %s) failed: the default is used", uploaded.pk, code, uploaded.zone_id)
        return template.render(default_bytes(code), context)


def upload(zone, code, data, name, user):
    """Check and put in use; Refused (nothing changed) when the template cannot be used."""
    kind = kinds.get(code)
    template.check(data, kind.names, kind.sample())
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        for old in DocumentTemplate.objects.select_for_update().filter(zone=zone, kind=code, active=True):
            old.active = False
            old.save(update_fields=["active"])
        row = DocumentTemplate(
            zone=zone, kind=code, original_name=name[:200], sha256=digest, size=len(data), uploaded_by=user
        )
        row.file.save("template.docx", ContentFile(data), save=False)
        row.save()
    return row


def reset(zone, code):
    """Back to the default: the office's uploads stay on record, none in use."""
    with transaction.atomic():
        rows = list(DocumentTemplate.objects.select_for_update().filter(zone=zone, kind=code, active=True))
        for row in rows:
            row.active = False
            row.save(update_fields=["active"])
    return len(rows)
