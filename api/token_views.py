"""API tokens: asked for with a password (and the second factor's code) at POST /api/token/, or
made on the page /account/tokens/ by a logged-in person; listed and revoked there by their owner
and by the office (for the people of the units it reaches)."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout, totp
from accounts.forms import locked_message
from accounts.models import AccountSecurity
from api import serializers as s
from api import tokens
from api.forms import TokenForm
from audit.context import client_address
from audit.models import Entry
from audit.trail import record
from org.scoping import scope_for


def _refused(message, field="detail"):
    return Response({field: message} if field == "detail" else {field: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _second_factor_refusal(request, user, security, code):
    """None when `code` is the account's current code (and uses it up), else the refusal. A wrong
    code counts into the log-in lockout, as on the log-in page; a missing one is not a guess."""
    address = client_address(request)
    username = user.get_username()
    if not code:
        return _refused(
            _("This account logs in with an authenticator app: send its current code in the field “code”."), "code"
        )
    until = lockout.locked_until(username, address)
    if until:
        return _refused(locked_message(until))
    step = totp.verify(security.totp_secret, code, timezone.now().timestamp(), security.totp_last_step)
    used = step is not None and AccountSecurity.objects.filter(pk=security.pk, totp_last_step__lt=step).update(
        totp_last_step=step
    )
    if used:
        return None
    lockout.record_failure(username, address)
    record(Entry.Action.LOGIN_FAILED, "auth.user", request=request, username=username, note="second factor (API token)")
    until = lockout.locked_until(username, address)
    return _refused(locked_message(until) if until else _("The code is wrong or has expired. Enter the current one."))


class ObtainToken(APIView):
    """A new token for a user name and password; an account with a second factor must also send
    the authenticator app's current code. Failures count into the log-in lockout."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, 400: OpenApiTypes.OBJECT},
        auth=[],
    )
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data, http = form.validated_data, request._request
        user = authenticate(http, username=data["username"], password=data["password"])
        if user is None:
            until = getattr(http, "duban_locked_until", None) or lockout.locked_until(
                data["username"], client_address(http)
            )
            return _refused(locked_message(until) if until else _("Wrong user name or password."))
        security = AccountSecurity.objects.filter(user=user).first()
        if security is not None and security.totp_enabled:
            refusal = _second_factor_refusal(http, user, security, (data.get("code") or "").strip())
            if refusal is not None:
                return refusal
        lockout.clear(user.get_username())
        token, key = tokens.issue(http, user, data.get("name") or "API", data.get("days"))
        return Response(s.TokenSerializer({"token": key, "name": token.name, "expires_at": token.expires_at}).data)


@login_required
def token_list(request):
    """The person's own tokens (make one: its key is shown once; revoke one), and for the office
    the tokens of the people of its units."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = tokens.issue(request, request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        form = TokenForm()
    managed = tokens.managed_by(request)
    context = {
        "form": form,
        "new_key": new_key,
        "now": timezone.now(),
        "mine": managed.filter(user=request.user),
        "others": managed.exclude(user=request.user).order_by("user__username", "-created_at")
        if scope_for(request).is_office
        else None,
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request, token_id):
    token = tokens.managed_by(request).filter(pk=token_id).first()
    if token is None:
        raise Http404
    if tokens.revoke(request, token):
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
