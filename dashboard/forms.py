from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from dashboard.models import KioskToken


class KioskForm(forms.ModelForm):
    class Meta:
        model = KioskToken
        fields = ["name", "unit", "campaign"]

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.office_units().filter(kind__in=["zone", "command_post", "area"])
        if scope.is_superuser:
            self.fields["unit"].empty_label = _("Every unit")
        else:  # an office's screen shows what the office reaches, never every zone
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
            self.fields["unit"].error_messages["required"] = _("Choose the unit the screen shows.")
        self.fields["campaign"].queryset = Campaign.objects.visible_to(scope)
        self.fields["name"].error_messages["required"] = _("Give the screen a name, e.g. where it hangs.")
        self.fields["campaign"].empty_label = _("Rotate through the running campaigns")

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError(_("Give the screen a name, e.g. where it hangs."))
        return name
