"""The office's people: list, add (a first password shown once), their units and roles, reset
the password (the new one shown once), disable and enable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from org.models import Membership
from setup import access, people
from setup.people_forms import DetailsForm, MembershipForm, PersonForm


@never_cache
@login_required
def people_list(request):
    units = access.office_units(request)
    form = PersonForm(request.POST or None, units=units)
    shown = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user, password = people.create_person(request, d["username"], d["full_name"], d["unit"], d["role"], d["email"])
        shown = {"user": user, "password": password}
        form = PersonForm(units=units)
    persons = list(access.office_people(request).prefetch_related("memberships__unit"))
    mine = set(units.values_list("pk", flat=True))
    for p in persons:
        p.shown_memberships = [m for m in p.memberships.all() if m.unit_id in mine]
    status = 400 if form.errors else 200
    return render(request, "setup/people.html", {"people": persons, "form": form, "shown": shown}, status=status)


@never_cache
@login_required
def person_edit(request, user_id):
    person = access.office_person(request, user_id)
    units = access.office_units(request)
    full = access.manages_fully(request, person)
    details = DetailsForm(initial={"full_name": person.first_name, "email": person.email})
    membership_form = MembershipForm(units=units)
    shown = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("reset", "disable", "enable") and not full:
            raise PermissionDenied
        if action == "reset":
            shown = people.reset_password(request, person)
        elif action in ("disable", "enable"):
            people.set_active(request, person, action == "enable")
            messages.success(
                request,
                _("The account was disabled.") if action == "disable" else _("The account was enabled again."),
            )
            return redirect("setup_person", user_id=person.pk)
        elif action == "details":
            details = DetailsForm(request.POST)
            if details.is_valid():
                people.update_person(request, person, details.cleaned_data["full_name"], details.cleaned_data["email"])
                messages.success(request, _("Saved."))
                return redirect("setup_person", user_id=person.pk)
            status = 400
        elif action == "add_membership":
            membership_form = MembershipForm(request.POST, units=units)
            if membership_form.is_valid():
                Membership.objects.get_or_create(
                    user=person, unit=membership_form.cleaned_data["unit"], role=membership_form.cleaned_data["role"]
                )
                messages.success(request, _("Saved."))
                return redirect("setup_person", user_id=person.pk)
            status = 400
        elif action == "remove_membership":
            membership = Membership.objects.filter(
                pk=request.POST.get("membership") or 0, user=person, unit__in=units
            ).first()
            if membership is None:
                raise Http404
            if membership.user_id == request.user.pk and membership.role == Membership.Role.OFFICE:
                messages.error(request, _("You cannot remove your own office role."))
            else:
                membership.delete()
                messages.success(request, _("Saved."))
            return redirect("setup_person", user_id=person.pk)
        else:
            status = 400
    context = _context(person, units, full, details, membership_form)
    context["shown"] = shown
    return render(request, "setup/person.html", context, status=status)


def _context(person, units, full, details, membership_form):
    return {
        "person": person,
        "memberships": person.memberships.filter(unit__in=units).select_related("unit").order_by("unit__path"),
        "full": full,
        "details": details,
        "membership_form": membership_form,
    }
