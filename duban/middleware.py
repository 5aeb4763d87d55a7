import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation

from duban import file_store
from duban.errors import bad_request, file_store_unavailable
from duban.params import BadParameter

logger = logging.getLogger(__name__)


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese for everybody, whatever the browser's Accept-Language says; another
    language only when the user chose it (the language cookie set by Django's set_language view).

    Office PCs and phones often come with English browser settings; their users still expect the
    Chinese interface."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RefuseNulBytesMiddleware:
    """A NUL character in the path, a query parameter or a form field is refused with a 400 before
    any view runs: PostgreSQL cannot hold it in a text column, so a filter or a lookup on it ended
    in a server error (the schemathesis run found `?status=…%00…` on /api/reports/). No user types
    one; only a broken or hostile client sends it. Uploaded files are not looked at (their bytes
    are the readers' business), only a form's other fields."""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    def _has_nul(self, request):
        if "\x00" in request.path:
            return True
        params = [request.GET]
        if request.method == "POST" and request.content_type in self.FORMS:
            params.append(request.POST)
        pairs = (item for query in params for key, values in query.lists() for item in (key, *values))
        return any("\x00" in item for item in pairs)

    def _refuse(self, request):
        message = translation.gettext("The request contains a NUL character, which no field can hold.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return bad_request(request, BadParameter("", message))


class FileStoreMiddleware:
    """A request whose file store failed (S3 down, refused or answering errors: the exceptions of
    duban.file_store.UNREACHABLE) gets a 503 page saying the files could not be reached, instead of
    the bare server error; the transaction of the request was rolled back by then. Missing files
    are the views' business (a 404, or the damaged-archive page): django-storages raises
    FileNotFoundError for them, which is no S3 error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not file_store.UNREACHABLE or not isinstance(exception, file_store.UNREACHABLE):
            return None
        logger.error("file store failed on %s %s: %r", request.method, request.path, exception)
        return file_store_unavailable(request)
