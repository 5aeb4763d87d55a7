"""The office's set-up page: its units, people and campaigns in one place."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from setup import access


@login_required
def setup_home(request):
    return render(
        request,
        "setup/home.html",
        {
            "unit_count": access.office_units(request).count(),
            "people_count": access.office_people(request).count(),
            "campaigns": access.office_campaigns(request),
        },
    )
