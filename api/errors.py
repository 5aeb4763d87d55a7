"""The API's exception handler: DRF's, plus a refused query parameter (duban.params.BadParameter)
as a 400 with its message as `detail`."""

from rest_framework.exceptions import ParseError
from rest_framework.views import exception_handler as drf_exception_handler

from duban.params import BadParameter


def exception_handler(exc, context):
    if isinstance(exc, BadParameter):
        exc = ParseError(exc.message)
    return drf_exception_handler(exc, context)
