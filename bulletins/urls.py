from django.urls import path

from bulletins import views

urlpatterns = [
    path("campaigns/<int:campaign_id>/bulletins/", views.bulletin_list, name="bulletins"),
    path("campaigns/<int:campaign_id>/bulletins/preview/", views.preview, name="bulletin_preview"),
    path("campaigns/<int:campaign_id>/bulletins/issue/", views.issue, name="bulletin_issue"),
    path(
        "campaigns/<int:campaign_id>/bulletins/<int:bulletin_id>/<str:fmt>/",
        views.download,
        name="bulletin_file",
    ),
]
