"""Log-in (with lockout and the optional second factor), password change, second-factor set-up."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from accounts import lockout, totp
from accounts.forms import CodeForm, LoginForm, locked_message
from accounts.models import AccountSecurity
from accounts.receivers import MUST_CHANGE
from audit.context import client_address
from audit.models import Entry
from audit.trail import record
from org.scoping import scope_for

PENDING = "duban_totp_pending"  # {"user": id, "backend": path, "next": url, "at": timestamp}
PENDING_SECONDS = 300
ENROL = "duban_totp_enrol"


def may_use_second_factor(request):
    """Office and administrator roles (and Django staff) may add an authenticator app."""
    user = request.user
    return user.is_staff or user.is_superuser or scope_for(request).is_office


def _security(user):
    return AccountSecurity.objects.filter(user=user).first()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def form_valid(self, form):
        user = form.get_user()
        security = _security(user)
        if security and security.totp_enabled:
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": timezone.now().timestamp(),
            }
            return HttpResponseRedirect(reverse("login_verify"))
        return super().form_valid(form)


def admin_login(request):
    """The admin's own log-in page would skip the lockout's message and the second factor."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("admin:index")
    return redirect(f"{reverse('login')}?next={target}")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request):
    """The second step of logging in for someone with an authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, _("Please log in again."))
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    security = _security(user) if user else None
    if user is None or security is None or not security.totp_enabled:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    address = client_address(request)
    error = None
    if request.method == "POST":
        until = lockout.locked_until(user.get_username(), address)
        if until:
            error = locked_message(until)
        elif form.is_valid():
            step = totp.verify(
                security.totp_secret, form.cleaned_data["code"], timezone.now().timestamp(), security.totp_last_step
            )
            if step is not None:
                AccountSecurity.objects.filter(pk=security.pk).update(totp_last_step=step)
                del request.session[PENDING]
                login(request, user, backend=pending["backend"])
                return HttpResponseRedirect(pending["next"])
            lockout.record_failure(user.get_username(), address)
            record(
                Entry.Action.LOGIN_FAILED,
                "auth.user",
                request=request,
                username=user.get_username(),
                note="second factor",
            )
            until = lockout.locked_until(user.get_username(), address)
            error = locked_message(until) if until else _("The code is wrong or has expired. Enter the current one.")
    return render(request, "accounts/verify.html", {"form": form, "error": error})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE, None)
        record(Entry.Action.SECURITY, form.user, request=self.request, note="password changed")
        messages.success(self.request, _("Your password was changed."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(self.request.session.get(MUST_CHANGE))
        context["rules"] = password_validation.password_validators_help_texts()
        return context


@login_required
def account_security(request):
    """Set up, or remove, the authenticator app (office and administrators)."""
    if not may_use_second_factor(request):
        raise PermissionDenied
    security, _created = AccountSecurity.objects.get_or_create(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now().timestamp()
        if security.totp_enabled:
            step = totp.verify(security.totp_secret, form.cleaned_data["code"], now, security.totp_last_step)
            if step is not None:
                security.totp_secret, security.totp_enabled_at, security.totp_last_step = "", None, 0
                security.save()
                record(Entry.Action.SECURITY, request.user, request=request, note="second factor removed")
                messages.success(request, _("The authenticator app was removed from your account."))
                return redirect("account_security")
        else:
            secret = request.session.get(ENROL)
            step = totp.verify(secret, form.cleaned_data["code"], now) if secret else None
            if step is not None:
                security.totp_secret, security.totp_enabled_at, security.totp_last_step = secret, timezone.now(), step
                security.save()
                request.session.pop(ENROL, None)
                record(Entry.Action.SECURITY, request.user, request=request, note="second factor added")
                messages.success(request, _("From now on, logging in asks for a code from the authenticator app."))
                return redirect("account_security")
        form.add_error("code", _("The code is wrong or has expired. Enter the current one."))
    context = {"security": security, "form": form}
    if not security.totp_enabled:
        secret = request.session.get(ENROL) or totp.new_secret()
        request.session[ENROL] = secret
        context.update(
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            uri=totp.provisioning_uri(secret, request.user.get_username(), settings.DUBAN_TOTP_ISSUER),
        )
    return render(request, "accounts/security.html", context)
