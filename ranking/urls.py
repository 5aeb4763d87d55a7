from django.urls import path

from ranking import views

urlpatterns = [
    path("campaigns/<int:campaign_id>/league/", views.league, name="league"),
]
