"""The request being served, for code far from the view (model signals, password hooks).

AuditMiddleware sets it for the length of a request; outside a request (management
commands, the shell) it is None and entries are recorded without a person.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_current = ContextVar("duban_current_request", default=None)


def current_request():
    return _current.get()


@contextmanager
def serving(request):
    """Make `request` the current one for the block: what a background job does for the request
    that started it (an object with .user, .META and .get_full_path()), so its entries name the
    person."""
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or — behind DUBAN_PROXY_COUNT trusted reverse
    proxies — the address the outermost of them saw, read from X-Forwarded-For from the right."""
    if request is None:
        return None
    proxies = getattr(settings, "DUBAN_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def acting_user(request):
    """The logged-in user of the request, or None."""
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


class AuditMiddleware:
    """Makes the request reachable from model signals, and records every download
    (a response with Content-Disposition: attachment) as an export."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            response = self.get_response(request)
            disposition = response.get("Content-Disposition", "")
            if disposition.lower().startswith("attachment") and response.status_code < 400:
                from audit.trail import record_export

                record_export(request, disposition)
            return response
        finally:
            _current.reset(token)
