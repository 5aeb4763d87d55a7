"""The error pages, in the site's look and in Chinese (templates/400.html … 500.html).

The 400 page: a refused query parameter (duban.params.BadParameter) shows its message; any other
bad request a plain one, never the exception's own text. A failed CSRF check gets its own page
(403_csrf.html) that says what to do, without Django's English reason. A file store that does not
answer (duban/file_store.py) gets a 503 that says so (503.html; JSON under /api/)."""

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from duban.params import BadParameter


def bad_request(request, exception=None):
    message = exception.message if isinstance(exception, BadParameter) else _("The request could not be understood.")
    return render(request, "400.html", {"message": message}, status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the reason is for the log, not for the user."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", {}), content_type="text/html; charset=utf-8")


def file_store_unavailable(request):
    """The answer to a request whose file store (S3) failed: nothing pretends to have worked."""
    message = _(
        "The file store cannot be reached just now, so this was not done. "
        "Please try again later, and tell the office if it goes on."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = "60"
    return response
