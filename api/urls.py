from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import token_views, views

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/token/", token_views.ObtainToken.as_view(), name="api_token"),
    path("account/tokens/", token_views.token_list, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("api/units/", views.UnitList.as_view(), name="api_units"),
    path("api/units/<int:pk>/", views.UnitDetail.as_view(), name="api_unit"),
    path("api/campaigns/", views.CampaignList.as_view(), name="api_campaigns"),
    path("api/campaigns/<int:pk>/", views.CampaignDetail.as_view(), name="api_campaign"),
    path("api/campaigns/<int:pk>/progress/", views.CampaignProgress.as_view(), name="api_campaign_progress"),
    path("api/campaigns/<int:pk>/league/", views.CampaignLeague.as_view(), name="api_campaign_league"),
    path("api/targets/", views.TargetList.as_view(), name="api_targets"),
    path("api/reports/", views.ReportList.as_view(), name="api_reports"),
    path("api/reports/<int:pk>/", views.ReportDetail.as_view(), name="api_report"),
    path("api/reports/submit/", views.ReportSubmit.as_view(), name="api_report_submit"),
    path("api/projects/", views.ProjectList.as_view(), name="api_projects"),
    path("api/projects/<int:pk>/", views.ProjectDetail.as_view(), name="api_project"),
    path("api/projects/<int:pk>/investment/", views.ProjectInvestment.as_view(), name="api_project_investment"),
    path("api/households/", views.HouseholdList.as_view(), name="api_households"),
    path("api/problems/", views.ProblemList.as_view(), name="api_problems"),
]
