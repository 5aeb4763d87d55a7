"""Making, using and revoking API tokens, each step in the audit trail.

Use is audited sparingly, because at surge load (every unit submitting before the cut-off) one
audit row per API request would outgrow the trail itself:

- `last_used_at` (and the address) are written at most once a minute per token
  (TOUCH_EVERY), by an UPDATE of that one row — a token that makes 100 requests a minute costs
  one write, not 100;
- an audit entry is written on a token's first use ever, and afterwards only when one of those
  once-a-minute writes finds the token used from another address than last time — what a
  stolen key looks like — so the trail holds at most one use entry per token per minute.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken
from audit.context import client_address
from audit.models import Entry
from audit.trail import record
from org.models import Membership
from org.scoping import scope_for

TOUCH_EVERY = timedelta(minutes=1)


def _about(token):
    return {"name": token.name, "owner": token.user.get_username(), "expires_at": token.expires_at}


def issue(request, user, name, days=None):
    """A new token for `user` made by the request's user; returns (token, key)."""
    maker = request.user if request.user.is_authenticated else user
    token, key = ApiToken.issue(user, name, days, created_by=maker)
    record(Entry.Action.SECURITY, token, after=_about(token), note="API token created", request=request, user=maker)
    return token, key


def revoke(request, token):
    """Revoke a token (once); True when this call revoked it."""
    now = timezone.now()
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=request.user)
    if done:
        token.revoked_at, token.revoked_by = now, request.user
        record(Entry.Action.SECURITY, token, before=_about(token), note="API token revoked", request=request)
    return bool(done)


def touch(request, token, now=None):
    """Note a use of `token` (see the module's docstring for how often this writes)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    address = client_address(request)
    first = token.last_used_at is None
    moved = not first and address != token.last_used_from
    # The filter makes two workers racing on the same minute write (and audit) once.
    stale = Q(last_used_at__isnull=True) if first else Q(last_used_at=token.last_used_at)
    if not ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now, last_used_from=address):
        return
    token.last_used_at, token.last_used_from = now, address
    if first or moved:
        record(
            Entry.Action.SECURITY,
            token,
            note="API token first used" if first else "API token used from a new address",
            request=request,
            user=token.user,
        )


def managed_by(request):
    """The tokens the request's user may list and revoke: their own, and for the office those of
    the people of the units it reaches (org.scoping decides which units those are)."""
    scope = scope_for(request)
    q = Q(user=request.user)
    if scope.is_office:
        people = Membership.objects.filter(unit__in=scope.units()).values("user_id")
        q |= Q(user_id__in=people)
    return ApiToken.objects.filter(q).select_related("user", "revoked_by").distinct()
