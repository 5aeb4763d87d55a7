"""The 400 page: a refused query parameter (duban.params.BadParameter) shows its message; any
other bad request a plain one, never the exception's own text."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.params import BadParameter


def bad_request(request, exception=None):
    message = exception.message if isinstance(exception, BadParameter) else _("The request could not be understood.")
    return render(request, "400.html", {"message": message}, status=400)
