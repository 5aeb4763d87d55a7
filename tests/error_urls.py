"""The site's URLs plus three that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from duban.urls import handler400  # noqa: F401 (handler400 is read from here)
from duban.urls import urlpatterns as site_patterns


def forbidden(request):
    raise PermissionDenied("English reason no user should read")


def boom(request):
    raise RuntimeError("English traceback text no user should read")


urlpatterns = [path("test-forbidden/", forbidden), path("test-boom/", boom), *site_patterns]
