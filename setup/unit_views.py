"""The office's unit tree: list, add, edit and move — within its own subtree only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from setup import access
from setup.unit_forms import UnitForm


@login_required
def unit_list(request):
    units = access.office_units(request)
    roots = list(units[:1])
    parent_id = request.GET.get("parent") or (roots[0].pk if roots else None)
    form = UnitForm(request.POST or None, units=units, initial={"parent": parent_id})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
        messages.success(request, _("“%(name)s” was added.") % {"name": unit.name})
        return redirect("setup_units")
    rows = list(units.select_related("parent"))
    top = min((u.depth for u in rows), default=0)
    for u in rows:
        u.indent = u.depth - top
    return render(request, "setup/units.html", {"units": rows, "form": form}, status=400 if form.errors else 200)


@login_required
def unit_edit(request, unit_id):
    unit = access.office_unit(request, unit_id)
    units = access.office_units(request)
    form = UnitForm(request.POST or None, instance=unit, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
        messages.success(request, _("“%(name)s” was saved.") % {"name": unit.name})
        return redirect("setup_units")
    return render(request, "setup/unit.html", {"unit": unit, "form": form}, status=400 if form.errors else 200)
