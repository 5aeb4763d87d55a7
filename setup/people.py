"""Accounts made by the office: a first password shown once, changed by its owner at the first
log-in (accounts.AccountSecurity.must_change_password and PasswordChangeRequiredMiddleware)."""

import secrets
import string

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import AccountSecurity
from accounts.validators import character_classes
from audit.models import Entry
from audit.trail import record
from org.models import Membership

PASSWORD_LENGTH = 12
# No 0/O, 1/l/I: a first password is read off a screen and typed by somebody else.
ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI") + "#%+-"


def first_password():
    """A random password of PASSWORD_LENGTH characters mixing all four classes."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if character_classes(password) == 4:
            return password


def _must_change(user):
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


@transaction.atomic
def create_person(request, username, full_name, unit, role, email=""):
    """(user, password): a new account with one membership and a first password."""
    password = first_password()
    user = get_user_model()(username=username, first_name=full_name, email=email)
    user.set_password(password)
    user.save()
    _must_change(user)
    Membership.objects.create(user=user, unit=unit, role=role)
    record(
        Entry.Action.CREATE,
        user,
        after={"username": username, "first_name": full_name, "email": email},
        note="account made by the office",
        request=request,
    )
    return user, password


@transaction.atomic
def reset_password(request, user):
    password = first_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _must_change(user)
    record(Entry.Action.SECURITY, user, note="password reset by the office", request=request)
    return password


@transaction.atomic
def set_active(request, user, active):
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        Entry.Action.UPDATE,
        user,
        before={"is_active": not active},
        after={"is_active": active},
        note="account enabled by the office" if active else "account disabled by the office",
        request=request,
    )


@transaction.atomic
def update_person(request, user, full_name, email):
    before = {"first_name": user.first_name, "email": user.email}
    after = {"first_name": full_name, "email": email}
    if before == after:
        return
    user.first_name, user.email = full_name, email
    user.save(update_fields=["first_name", "email"])
    changed = [k for k in after if before[k] != after[k]]
    record(
        Entry.Action.UPDATE,
        user,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        request=request,
    )
