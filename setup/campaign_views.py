"""A new campaign in a few steps: name, slogan and period; indicators; the units taking part;
targets typed in one grid or read from the office's 目标任务分解表; the task list and the scoring
scheme."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from setup import access


@login_required
def campaign_list(request):
    return render(request, "setup/campaigns.html", {"campaigns": access.office_campaigns(request)})
