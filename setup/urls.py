from django.urls import path

from setup import campaign_views, home_views, people_views, unit_views

urlpatterns = [
    path("setup/", home_views.setup_home, name="setup"),
    path("setup/units/", unit_views.unit_list, name="setup_units"),
    path("setup/units/<int:unit_id>/", unit_views.unit_edit, name="setup_unit"),
    path("setup/people/", people_views.people_list, name="setup_people"),
    path("setup/people/<int:user_id>/", people_views.person_edit, name="setup_person"),
    path("setup/campaigns/", campaign_views.campaign_list, name="setup_campaigns"),
    path("setup/campaigns/<int:campaign_id>/", campaign_views.campaign_edit, name="setup_campaign"),
    path(
        "setup/campaigns/<int:campaign_id>/indicators/",
        campaign_views.campaign_indicators,
        name="setup_campaign_indicators",
    ),
    path("setup/campaigns/<int:campaign_id>/units/", campaign_views.campaign_units, name="setup_campaign_units"),
    path("setup/campaigns/<int:campaign_id>/targets/", campaign_views.campaign_targets, name="setup_campaign_targets"),
    path("setup/campaigns/<int:campaign_id>/tasks/", campaign_views.campaign_tasks, name="setup_campaign_tasks"),
]
