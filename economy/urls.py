from django.urls import path

from economy import views

urlpatterns = [
    path("economy/", views.overview, name="economy"),
    path("economy/import/", views.import_table, name="economy_import"),
    path("economy/<int:unit_id>/entry/", views.entry_form, name="economy_entry"),
    path("economy/<int:unit_id>/selection/", views.selection, name="economy_selection"),
    path("economy/<int:unit_id>/<slug:code>/", views.indicator_page, name="economy_indicator"),
]
