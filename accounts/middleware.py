"""Security middleware: idle session timeout, forced password change, Content Security Policy."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.receivers import MUST_CHANGE, SEEN

SEEN_RESOLUTION = 60  # seconds: the session is written at most once a minute per person


class IdleTimeoutMiddleware:
    """Logs a person out after DUBAN_IDLE_MINUTES without a request.

    The time of the last request is kept in the session, rewritten at most once a minute (not on
    every request, which would be a database write per page view on a busy Friday)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            seen = request.session.get(SEEN)
            if seen is not None and now - seen > settings.DUBAN_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(n)s minutes without activity. Please log in again.")
                    % {"n": settings.DUBAN_IDLE_MINUTES},
                )
            elif seen is None or now - seen >= SEEN_RESOLUTION:
                request.session[SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Sends a person whose password was set by somebody else to the password-change page until
    they have chosen their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(MUST_CHANGE):
            allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                return redirect("password_change")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sends DUBAN_CSP as the Content-Security-Policy header (empty setting: no header)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.DUBAN_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
