from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import lockout
from audit.context import client_address


class LockoutModelBackend(ModelBackend):
    """Django's user-name-and-password check, refused outright while the account or the
    client address is locked (see accounts/lockout.py). Every way in goes through it: the log-in
    page, the admin, the API's password-based log-ins."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        until = lockout.locked_until(username, client_address(request))
        if until:
            if request is not None:
                request.duban_locked_until = until
            raise PermissionDenied  # authenticate() stops here and sends user_login_failed
        return super().authenticate(request, username=username, password=password, **kwargs)
