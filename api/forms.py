from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class TokenForm(forms.Form):
    """A new API token made on the page (the person is logged in, second factor included)."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses it, e.g. the county's data exchange."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.DUBAN_API_TOKEN_MAX_DAYS
        self.fields["days"] = forms.IntegerField(
            label=_("Valid for (days)"),
            min_value=1,
            max_value=limit,
            initial=min(settings.DUBAN_API_TOKEN_DAYS, limit),
        )
        self.fields["name"].error_messages["required"] = _("Give the token a name: what uses it.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name: what uses it."))
        return name
