"""The small block a project's page includes: its land (batches, parcels, 亩 planned and supplied,
whether all its land is requisitioned), shown to those who oversee the project's unit."""

from django import template

from land import figures
from org.scoping import scope_for
from projects.models import Milestone

register = template.Library()


@register.inclusion_tag("land/_project_land.html", takes_context=True)
def land_of_project(context, project):
    scope = scope_for(context["request"])
    if not scope.oversees(project.unit):
        return {"show": False}
    land = figures.project_land(project)
    if not (land.batches or land.parcels):
        return {"show": False}
    start = project.milestones.filter(kind=Milestone.Kind.START).values_list("actual", flat=True).first()
    supplied = [s.parcel.supplied_on for s in land.parcels if s.parcel.supplied_on]
    return {"show": True, "land": land, "start": start, "first_supplied": min(supplied) if supplied else None}
