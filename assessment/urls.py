from django.urls import path

from assessment import views

urlpatterns = [
    path("campaigns/<int:campaign_id>/assessment/", views.week_view, name="assessment_week"),
    path("campaigns/<int:campaign_id>/assessment/month/", views.month_view, name="assessment_month"),
    path("campaigns/<int:campaign_id>/assessment/publish/", views.publish_view, name="assessment_publish"),
    path(
        "campaigns/<int:campaign_id>/assessment/published/<int:publication_id>/",
        views.publication_view,
        name="assessment_publication",
    ),
    path("campaigns/<int:campaign_id>/assessment/scheme/", views.scheme_view, name="assessment_scheme"),
    path("campaigns/<int:campaign_id>/assessment/warnings/", views.warnings_view, name="assessment_warnings"),
]
