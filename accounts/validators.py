"""Password rules beyond Django's own (length, common passwords): character classes, and no
reuse of the last few passwords.

Validators apply where a password is chosen through a form (the password-change page, the
admin); create_user() and set_password() in code do not check them.
"""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AccountSecurity, PasswordHistory
from audit.context import acting_user, current_request

CLASSES = (str.islower, str.isupper, str.isdigit)


class MinimumLengthValidator:
    """Django's minimum length, with messages of our own: Django 5.2 changed its message, and
    its Chinese catalog has no translation of the new one."""

    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("This password is too short: it has %(length)s characters, a password needs at least %(n)s.")
                % {"length": len(password), "n": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("A password has at least %(n)s characters.") % {"n": self.min_length}


def character_classes(password):
    """How many of lower-case letters, upper-case letters, digits and other characters it has."""
    found = {i for ch in password for i, test in enumerate(CLASSES) if test(ch)}
    if any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password):
        found.add(len(CLASSES))
    return len(found)


class CharacterClassesValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "A password must mix at least %(n)s of these: lower-case letters, upper-case letters, digits, "
            "other characters."
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """No reuse of the last `count` passwords (kept hashed in PasswordHistory).

    Its password_changed hook — Django calls it whenever a user with a new password is saved —
    records the new hash, and sets or clears the forced change: a password set by somebody else
    (the office or an administrator, through a page) must be changed by its owner at the next
    log-in; one the owner chose clears the flag. Passwords set outside a request (the demo
    loader, the shell) leave the flag alone."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return ngettext(
            "A password may not be the same as the last one.",
            "A password may not be the same as any of the last %(n)s.",
            self.count,
        ) % {"n": self.count}

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()
        actor = acting_user(current_request())
        if actor is None:
            return
        by_someone_else = actor.pk != user.pk
        if by_someone_else or AccountSecurity.objects.filter(user=user, must_change_password=True).exists():
            AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": by_someone_else})
