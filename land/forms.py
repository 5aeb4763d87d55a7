"""The office's forms for batches and parcels, with the checks that keep the land records true.

Each refusal is a Chinese sentence naming the figure or record at fault; a refused form saves
nothing (the views save only a valid form, in one transaction).

What a batch may ask for: the land its villages hold in the requisition ledger (the households'
土地面积, 亩), less what other batches over the same villages already take — batches sharing a
village are counted together against the land of all their villages.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.numbers import num
from land import figures
from land.models import READINESS_FIELDS, LandBatch, Parcel
from org.models import OrgUnit, zone_paths
from projects.models import Project

ZERO = Decimal(0)
AREA_ERRORS = {
    "invalid": gettext_lazy("The area must be a number of mu, such as 188.5."),
    "min_value": gettext_lazy("The area cannot be negative."),
    "max_digits": gettext_lazy("The area is too large."),
    "max_decimal_places": gettext_lazy("The area has at most four decimals."),
    "max_whole_digits": gettext_lazy("The area is too large."),
}
OUT_OF_REACH = gettext_lazy("This unit is not in your office's zone.")
DATE_ERRORS = {"invalid": gettext_lazy("Enter a date such as 2021-06-30.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def _area_field(field):
    field.error_messages.update(AREA_ERRORS)
    field.validators.append(MinValueValidator(ZERO))
    field.widget.attrs.update({"inputmode": "decimal", "step": "any", "min": "0"})


class LandForm(forms.ModelForm):
    """What the two forms share: units, villages and projects the office acts on; areas; dates."""

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        office = scope.office_units()
        self.fields["unit"].queryset = office.exclude(kind__in=(OrgUnit.Kind.VILLAGE, OrgUnit.Kind.VILLAGE_GROUP))
        self.fields["unit"].error_messages["invalid_choice"] = OUT_OF_REACH
        self.fields["villages"].queryset = office.filter(kind=OrgUnit.Kind.VILLAGE)
        self.fields["villages"].error_messages["invalid_choice"] = gettext_lazy(
            "A village chosen is not in your office's zone."
        )
        self.fields["villages"].error_messages["invalid_pk_value"] = self.fields["villages"].error_messages[
            "invalid_choice"
        ]
        self.fields["villages"].widget.attrs["size"] = 8
        self.fields["note"].widget.attrs["rows"] = 3
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                _area_field(field)
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.error_messages.update(DATE_ERRORS)

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("The area must be more than zero mu."))
        return area

    def _check_villages_in_unit(self, unit, villages):
        outside = [v.name for v in villages if not v.path.startswith(unit.path)]
        if outside:
            self.add_error(
                "villages",
                _("%(villages)s do not lie under %(unit)s.") % {"villages": "、".join(outside), "unit": unit.name},
            )


class BatchForm(LandForm):
    class Meta:
        model = LandBatch
        fields = [
            "unit",
            "name",
            "area",
            "farmland_area",
            "construction_area",
            "villages",
            "projects",
            "packaged_on",
            "submitted_on",
            "approved_on",
            "approval_number",
            "note",
        ]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, scope=scope, **kwargs)
        self.fields["projects"].queryset = (
            Project.objects.visible_to(scope).filter(scope.office_q("unit__path")).order_by("name")
        )
        self.fields["projects"].error_messages["invalid_choice"] = gettext_lazy(
            "A project chosen is not in your office's zone."
        )
        self.fields["projects"].widget.attrs["size"] = 6
        self.fields["villages"].help_text = _("The villages whose land the batch asks for (from the ledger).")

    def clean(self):
        data = super().clean()
        unit, area, villages = data.get("unit"), data.get("area"), data.get("villages")
        packaged, submitted, approved = data.get("packaged_on"), data.get("submitted_on"), data.get("approved_on")
        if approved and not submitted:
            self.add_error("approved_on", _("An approval needs the date the batch was submitted (上报) first."))
        if submitted and not packaged:
            self.add_error("submitted_on", _("A submission needs the date the batch was packaged (组卷) first."))
        if packaged and submitted and submitted < packaged:
            self.add_error("submitted_on", _("The batch cannot be submitted (上报) before it was packaged (组卷)."))
        if submitted and approved and approved < submitted:
            self.add_error("approved_on", _("The batch cannot be approved (获批) before it was submitted (上报)."))
        if area is not None:
            parts = [data.get("farmland_area"), data.get("construction_area")]
            if sum((p for p in parts if p is not None), ZERO) > area:
                self.add_error(
                    "farmland_area",
                    _("Farmland and construction land together exceed the batch's %(area)s mu.") % {"area": num(area)},
                )
        if unit is not None and villages is not None:
            self._check_villages_in_unit(unit, villages)
        if area is not None and villages is not None and not self.errors:
            self._check_capacity(area, villages)
        return data

    def _check_capacity(self, area, villages):
        ids = {v.pk for v in villages}
        if not ids:
            return
        others = list(LandBatch.objects.filter(villages__in=ids).exclude(pk=self.instance.pk).distinct())
        union = ids | {v for vs in figures.batch_villages(others).values() for v in vs}
        land = figures.village_land(union)
        used = sum((b.area for b in others), ZERO)
        if used + area > land:
            self.add_error(
                "area",
                _(
                    "The villages hold %(land)s mu in the requisition ledger; other batches over them take "
                    "%(used)s mu, so this batch's %(area)s mu is %(over)s mu too many."
                )
                % {"land": num(land), "used": num(used), "area": num(area), "over": num(used + area - land)},
            )


class ParcelForm(LandForm):
    class Meta:
        model = Parcel
        fields = [
            "unit",
            "code",
            "name",
            "phase",
            "area",
            "batch",
            "villages",
            "project",
            "supplied_on",
            "way",
            *READINESS_FIELDS,
            "note",
        ]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, scope=scope, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.visible_to(scope).filter(scope.office_q("unit__path")).order_by("name")
        )
        self.fields["project"].error_messages["invalid_choice"] = gettext_lazy(
            "The project chosen is not in your office's zone."
        )
        self.fields["batch"].queryset = LandBatch.objects.filter(scope.office_q("unit__path")).order_by("name")
        self.fields["batch"].error_messages["invalid_choice"] = gettext_lazy(
            "The batch chosen is not in your office's zone."
        )

    def clean(self):
        data = super().clean()
        unit, area, project, batch = data.get("unit"), data.get("area"), data.get("project"), data.get("batch")
        supplied, code = data.get("supplied_on"), data.get("code")
        if supplied and project is None:
            self.add_error("project", _("A parcel supplied (供地) needs the project it went to."))
        if supplied and not data.get("way"):
            self.add_error("way", _("Say how the parcel was supplied: listing, allocation or agreement."))
        if unit is not None and data.get("villages") is not None:
            self._check_villages_in_unit(unit, data["villages"])
        if unit is not None and code:
            self._check_code_once(unit, code)
        old = self.instance
        if old.pk and old.supplied_on and old.project_id and project is not None and project.pk != old.project_id:
            self.add_error(
                "project",
                _("This parcel was supplied to %(project)s on %(day)s; a parcel is supplied once.")
                % {"project": old.project.name, "day": old.supplied_on.isoformat()},
            )
        if batch is not None and area is not None:
            self._check_batch(batch, area, supplied)
        return data

    def _check_code_once(self, unit, code):
        """One parcel number once in a zone: the same parcel entered again (for another
        project, or the same) is a parcel supplied twice."""
        zone = zone_paths([unit])[0]
        twin = (
            Parcel.objects.filter(unit__path__startswith=zone, code=code)
            .exclude(pk=self.instance.pk)
            .select_related("project")
            .first()
        )
        if twin is not None:
            where = twin.project.name if twin.project_id else _("no project yet")
            self.add_error(
                "code",
                _("Parcel %(code)s is already recorded (%(where)s): the same parcel cannot be supplied twice.")
                % {"code": code, "where": where},
            )

    def _check_batch(self, batch, area, supplied):
        others = Parcel.objects.filter(batch=batch).exclude(pk=self.instance.pk)
        taken = sum(others.values_list("area", flat=True), ZERO)
        if taken + area > batch.area:
            self.add_error(
                "area",
                _(
                    "Batch %(batch)s was approved for %(approved)s mu and its parcels already take %(taken)s mu: "
                    "this parcel's %(area)s mu overlaps land already supplied."
                )
                % {"batch": batch.name, "approved": num(batch.area), "taken": num(taken), "area": num(area)},
            )
        if supplied and not batch.approved_on:
            self.add_error("supplied_on", _("Land of a batch not yet approved cannot be supplied."))
        elif supplied and supplied < batch.approved_on:
            self.add_error(
                "supplied_on",
                _("The parcel cannot be supplied before its batch was approved (%(day)s).")
                % {"day": batch.approved_on.isoformat()},
            )
