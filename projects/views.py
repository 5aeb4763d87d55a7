from django.http import Http404


def project_list(request):
    raise Http404


def investment_summary(request):
    raise Http404


def project_detail(request, project_id):
    raise Http404


def project_edit(request, project_id):
    raise Http404
