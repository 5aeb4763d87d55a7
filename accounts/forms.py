from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import lockout
from audit.context import client_address


def locked_message(until):
    return _(
        "Too many failed log-ins: logging in is locked until %(time)s. Try again then, or ask the office for help."
    ) % {"time": timezone.localtime(until).strftime("%H:%M")}


class LoginForm(AuthenticationForm):
    """Django's log-in form with the lockout's message."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("Wrong user name or password."),
        "inactive": gettext_lazy("This account is disabled."),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            until = getattr(self.request, "duban_locked_until", None) or lockout.locked_until(
                username, client_address(self.request)
            )
            if until:
                raise ValidationError(locked_message(until), code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(_("Enter the 6 digits the authenticator app shows."))
        return code
