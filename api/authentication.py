from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api import tokens
from api.models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with the project's own tokens (api/models.py): an unknown,
    expired or revoked key, or one of a disabled account, is a 401."""

    model = ApiToken

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            tokens.touch(request._request, result[1])
        return result

    def authenticate_credentials(self, key):
        token = ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired():
            raise exceptions.AuthenticationFailed(_("This token has expired; make a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        return token.user, token
