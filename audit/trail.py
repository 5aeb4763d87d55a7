"""Recording the audit trail.

- Business models (the apps in AUDITED_APPS, minus log-like models) are followed through model
  signals: pre_save reads the row as it is in the database, post_save writes what changed,
  post_delete what was deleted, m2m_changed what was linked or unlinked. New models of those
  apps are covered without changes here.
- Log-ins, failed log-ins and log-outs come from Django's auth signals; downloads from
  AuditMiddleware; personal-data reveals from requisition's RevealLog.
- ID numbers and phone numbers are masked in what is stored.

Who and from where come from the current request (audit.context); without one (management
commands) the entry has no person.
"""

import json
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import signals
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit.context import acting_user, client_address, current_request
from audit.models import Entry
from duban.personal import mask_id, mask_phone

AUDITED_APPS = (
    "org",
    "campaigns",
    "reports",
    "projects",
    "requisition",
    "economy",
    "land",
    "problems",
    "assessment",
    "cadres",
    "bulletins",
    "doctemplates",
    "dashboard",
    "setup",
)
# Log-like or derived tables: their own history, or caches rebuilt from the ledgers.
NOT_AUDITED = {
    "requisition.reveallog",  # recorded as a reveal entry instead
    "problems.reminder",  # the reminders' sent-log
    "dashboard.villagetally",
    "dashboard.unitinvestment",
    "dashboard.mark",
    # the campaign roll-ups (reports/rollups.py), kept from the audited reports and ledgers
    "reports.rollupown",
    "reports.rollupweek",
    "reports.rollupstate",
    "reports.rollupdirty",
    "reports.rollupmark",
}


def _mask(name, value):
    if isinstance(value, dict):  # JSON fields: personal data can sit at any depth
        return {key: _mask(str(key), item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(name, item) for item in value]
    if not isinstance(value, str) or not value:
        return value
    lowered = name.lower()
    if "phone" in lowered or "mobile" in lowered:
        return mask_phone(value)
    if "id_number" in lowered or "id_card" in lowered:
        return mask_id(value)
    return value


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, FieldFile):
            return o.name or ""
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def jsonable(data):
    return json.loads(json.dumps(data, cls=_Encoder))


def _normalized(field, value):
    """A field's value as the database gives it back, so that an instance fresh from the form
    (5, "5") and one read from the database (Decimal("5.00")) compare equal."""
    if value is None:
        return None
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value
    if isinstance(value, Decimal) and getattr(field, "decimal_places", None) is not None and value.is_finite():
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def snapshot(instance):
    """The field values of a model instance (foreign keys as ids), JSON-ready, unmasked."""
    return jsonable({f.attname: _normalized(f, f.value_from_object(instance)) for f in instance._meta.concrete_fields})


def _stamps(model):
    """Fields Django sets on every save (auto_now): not a change of their own."""
    return {f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}


def masked(data):
    if data is None:
        return None
    return {name: _mask(name, value) for name, value in data.items()}


def is_audited(model):
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and meta.label_lower not in NOT_AUDITED
        and not meta.proxy
        and not meta.auto_created
        and not getattr(model, "audit_skip", False)
    )


def _describe(obj_or_label):
    """(model label, object id, text) of a model instance, a model class or a label."""
    if isinstance(obj_or_label, str):
        return obj_or_label, "", ""
    meta = getattr(obj_or_label, "_meta", None)
    if meta is None:
        return str(obj_or_label)[:100], "", ""
    if isinstance(obj_or_label, type):
        return meta.label_lower, "", ""
    try:
        text = str(obj_or_label)
    except Exception:  # a __str__ reaching a row that is gone (cascades)
        text = f"{meta.verbose_name} #{obj_or_label.pk}"
    return meta.label_lower, "" if obj_or_label.pk is None else str(obj_or_label.pk), text[:200]


def _unit_of(obj, depth=0):
    """The org unit a record belongs to: itself for a unit; else its first foreign key to a
    unit (a report's unit, a household's village, a campaign's owner …); else, two steps at most,
    the unit of the record it hangs on (a report value's report, a step's problem …)."""
    from org.models import OrgUnit

    if isinstance(obj, OrgUnit):
        return obj
    links = [f for f in obj._meta.concrete_fields if f.many_to_one and f.related_model is not None]
    for field in [f for f in links if f.related_model is OrgUnit] + [
        f for f in links if f.related_model is not OrgUnit
    ]:
        if getattr(obj, field.attname) is None or (field.related_model is not OrgUnit and depth >= 2):
            continue
        if field.related_model._meta.label_lower == "auth.user":
            continue
        try:
            related = getattr(obj, field.name)
        except Exception:  # noqa: BLE001 - a row gone in a cascade has no unit to give
            continue
        unit = _unit_of(related, depth + 1) if field.related_model is not OrgUnit else related
        if unit is not None:
            return unit
    return None


def _path_of(unit):
    """A unit's path, also on its first save (OrgUnit.save writes the path just after it)."""
    if unit.path or unit.pk is None:
        return unit.path
    return (unit.parent.path if unit.parent_id else "") + f"{unit.pk:06d}."


def _unit_path(obj_or_label, user, username):
    """What `Entry.unit_path` holds: the record's unit, else the person's first unit (for a
    person's own record, that person's)."""
    from django.contrib.auth import get_user_model

    from org.models import Membership

    if hasattr(obj_or_label, "_meta") and not isinstance(obj_or_label, type) and obj_or_label.pk is not None:
        if isinstance(obj_or_label, get_user_model()):
            user = obj_or_label
        else:
            unit = _unit_of(obj_or_label)
            if unit is not None:
                return _path_of(unit)

    people = Membership.objects.order_by("unit__path")
    if user is not None and user.pk is not None:
        people = people.filter(user=user)
    elif username:
        people = people.filter(user__username=username)
    else:
        return ""
    return people.values_list("unit__path", flat=True).first() or ""


def record(action, obj_or_label, before=None, after=None, note="", request=None, user=None, username=None, using=None):
    """Write one entry. `obj_or_label` is a model instance, a model class or a label such as
    "projects.project"; before/after are dicts of field values (masked here)."""
    request = request if request is not None else current_request()
    user = user if user is not None else acting_user(request)
    label, object_id, text = _describe(obj_or_label)
    username = (username if username is not None else (user.get_username() if user else ""))[:150]
    path = request.get_full_path()[:300] if request is not None else ""
    entry = Entry(
        at=timezone.now(),
        user=user,
        username=username,
        address=client_address(request),
        action=action,
        model=label,
        object_id=object_id,
        object_repr=text,
        before=masked(jsonable(before)) if before is not None else None,
        after=masked(jsonable(after)) if after is not None else None,
        note=note,
        path=path,
        unit_path=_unit_path(obj_or_label, user, username),
    )
    entry.save(using=using)
    return entry


# --- model changes ---


def _before_save(sender, instance, raw=False, using=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance.__dict__.pop("_audit_before", None)
        return
    old = sender._base_manager.using(using).filter(pk=instance.pk).first()
    instance.__dict__["_audit_before"] = snapshot(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = instance.__dict__.pop("_audit_before", None)
    if created or before is None:
        record(Entry.Action.CREATE, instance, None, after, using=using)
        return
    stamps = _stamps(sender)
    changed = [name for name, value in after.items() if name not in stamps and before.get(name) != value]
    if changed:
        record(
            Entry.Action.UPDATE,
            instance,
            {name: before.get(name) for name in changed},
            {name: after[name] for name in changed},
            using=using,
        )


def _after_delete(sender, instance, using=None, **kwargs):
    record(Entry.Action.DELETE, instance, snapshot(instance), None, using=using)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    field = next((f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    name = field or model._meta.model_name
    if action == "post_add":
        before, after = None, {name: {"added": sorted(pk_set or [])}}
    elif action == "post_remove":
        before, after = {name: {"removed": sorted(pk_set or [])}}, None
    else:
        before, after = {name: "all"}, {name: []}
    record(Entry.Action.UPDATE, instance, before, after, using=using)


# --- log-ins, downloads, reveals ---


def _logged_in(sender, request, user, **kwargs):
    record(Entry.Action.LOGIN, "auth.user", request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Entry.Action.LOGOUT, "auth.user", request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    locked = getattr(request, "duban_locked_until", None) if request is not None else None
    note = "locked" if locked else ""
    record(Entry.Action.LOGIN_FAILED, "auth.user", request=request, username=username, note=note)


def record_export(request, disposition):
    record(Entry.Action.EXPORT, "", note=disposition[:500], request=request)


def _revealed(sender, instance, created, raw=False, using=None, **kwargs):
    if not created or raw:
        return
    household = instance.household
    record(
        Entry.Action.REVEAL,
        household,
        note=instance.field,
        user=instance.user,
        using=using,
    )


def connect():
    for model in apps.get_models():
        if not is_audited(model):
            continue
        uid = f"audit:{model._meta.label_lower}"
        signals.pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        signals.post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            signals.m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
            )
    reveal_log = apps.get_model("requisition", "RevealLog")
    signals.post_save.connect(_revealed, sender=reveal_log, dispatch_uid="audit:reveal")
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit:login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="audit:logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit:login_failed")
