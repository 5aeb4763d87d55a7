"""Log-in lockout: DUBAN_LOCKOUT_FAILURES failed log-ins within DUBAN_LOCKOUT_MINUTES lock the
account — and DUBAN_LOCKOUT_ADDRESS_FAILURES the client address — until that many minutes after
the last of them.

Attempts made while locked are refused without looking at the password and are not counted,
so a lock ends on time; a successful log-in clears the account's count (not the address's).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import LoginFailure

KEEP = timedelta(days=1)


def _period():
    return timedelta(minutes=settings.DUBAN_LOCKOUT_MINUTES)


def normalize(username):
    return str(username or "").strip().lower()[:150]


def _locked_until(queryset, now, failures):
    period = _period()
    times = list(
        queryset.filter(at__gt=now - 2 * period, at__lte=now).order_by("-at").values_list("at", flat=True)[:failures]
    )
    if len(times) < failures or times[0] - times[-1] >= period:
        return None
    until = times[0] + period
    return until if until > now else None


def locked_until(username, address, now=None):
    """When the lock on this account or address ends, or None when neither is locked."""
    now = now or timezone.now()
    ends = []
    if normalize(username):
        failures = settings.DUBAN_LOCKOUT_FAILURES
        ends.append(_locked_until(LoginFailure.objects.filter(username=normalize(username)), now, failures))
    if address:
        failures = settings.DUBAN_LOCKOUT_ADDRESS_FAILURES
        ends.append(_locked_until(LoginFailure.objects.filter(address=address), now, failures))
    ends = [end for end in ends if end]
    return max(ends) if ends else None


def record_failure(username, address, now=None):
    now = now or timezone.now()
    LoginFailure.objects.create(username=normalize(username), address=address or None, at=now)
    LoginFailure.objects.filter(at__lt=now - KEEP).delete()


def clear(username):
    LoginFailure.objects.filter(username=normalize(username)).delete()
