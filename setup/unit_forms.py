"""The form for a unit of the office's tree: its place (under a unit of the same subtree only),
its kind, 包保领导 and contact."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import OrgUnit


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = [
            "parent",
            "name",
            "short_name",
            "kind",
            "leader",
            "leader_title",
            "contact_name",
            "contact_phone",
            "sort_order",
        ]
        labels = {"leader": gettext_lazy("Responsible leader (包保领导)")}

    def __init__(self, *args, units, **kwargs):
        """`units`: the office's units, the only possible parents."""
        super().__init__(*args, **kwargs)
        unit = self.instance
        parents = units
        if unit.pk:
            parents = parents.exclude(unit.within_q())
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = True
        self.fields["parent"].label_from_instance = lambda u: "　" * max(u.depth, 0) + u.name
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "The parent unit must be one of your own units (and not this unit or one below it)."
        )
        kinds = [(k, label) for k, label in OrgUnit.Kind.choices if k != OrgUnit.Kind.ZONE]
        if unit.pk and unit.kind == OrgUnit.Kind.ZONE:
            kinds = OrgUnit.Kind.choices
        self.fields["kind"].choices = kinds
        self.is_top = bool(unit.pk) and not parents.filter(pk=unit.parent_id).exists()
        if self.is_top:  # the office's own unit: it stays where it hangs
            del self.fields["parent"]

    def clean(self):
        data = super().clean()
        parent, kind = data.get("parent"), data.get("kind")
        if kind == OrgUnit.Kind.VILLAGE_GROUP and parent is not None and parent.kind != OrgUnit.Kind.VILLAGE:
            self.add_error("kind", _("A villagers' group (村民小组) hangs under a village."))
        return data
