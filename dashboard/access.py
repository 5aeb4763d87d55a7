"""Who may look at the screen: a logged-in user (through org/scoping.py, like every page), or a
wall PC holding a kiosk token, which reads the token's unit subtree and can do nothing else."""

from django.utils import timezone

from dashboard.models import KioskToken
from org.scoping import Scope, scope_for

TOUCH_EVERY_SECONDS = 300  # how often a token's "last used" is written (not on every poll)


class KioskScope(Scope):
    """The reach of a kiosk token, with the rules of org/scoping.Scope: a unit's subtree (or
    everything, for a token a superuser made without a unit); never edits, never acts as office."""

    def __init__(self, token):
        self.user = None
        self.token = token
        self.is_superuser = False
        self.roles = set()
        self.edit_paths = self.office_paths = self.oversight_paths = []
        self.paths = [token.unit.path] if token.unit_id else []

    @property
    def reads_all(self):
        return not self.token.unit_id


class BadToken(Exception):
    pass


def screen_scope(request):
    """(scope, token) for the request: the kiosk token's when one is given, else the user's
    (None when anonymous). Raises BadToken for an unknown or revoked token."""
    raw = request.GET.get("kiosk")
    if raw is not None:
        token = KioskToken.find(raw)
        if token is None or not token.is_active:
            raise BadToken
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY_SECONDS:
            KioskToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return KioskScope(token), token
    if not request.user.is_authenticated:
        return None, None
    return scope_for(request), None


def scope_key(scope):
    """What distinguishes one reach from another in the screen's validator."""
    return "all" if scope.reads_all else ",".join(sorted(scope.paths))
