"""Log-in bookkeeping: count failures for the lockout, clear them on success, remember in the
session whether the person must change their password first."""

from django.contrib.auth import signals
from django.utils import timezone

from accounts import lockout
from accounts.models import AccountSecurity
from audit.context import client_address

MUST_CHANGE = "duban_must_change_password"
SEEN = "duban_seen"


def _failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "duban_locked_until", None):
        return  # refused while locked: not counted, so the lock ends on time
    lockout.record_failure(credentials.get("username", ""), client_address(request))


def _logged_in(sender, request, user, **kwargs):
    lockout.clear(user.get_username())
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = timezone.now().timestamp()  # the idle clock starts (see IdleTimeoutMiddleware)
        must = AccountSecurity.objects.filter(user=user, must_change_password=True).exists()
        if must:
            request.session[MUST_CHANGE] = True
        else:
            request.session.pop(MUST_CHANGE, None)


def connect():
    signals.user_login_failed.connect(_failed, dispatch_uid="accounts:failed")
    signals.user_logged_in.connect(_logged_in, dispatch_uid="accounts:logged_in")
