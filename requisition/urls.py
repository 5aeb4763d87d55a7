from django.urls import path

from requisition import views

urlpatterns = [
    path("requisition/", views.requisition_home, name="requisition"),
    path("requisition/field/", views.field_page, name="requisition_field"),
    path("requisition/units/<int:unit_id>/", views.unit_tallies, name="requisition_unit"),
    path("requisition/households/<int:household_id>/", views.household_file, name="requisition_household"),
    path("requisition/households/<int:household_id>/step/", views.record_step, name="requisition_step"),
    path("requisition/households/<int:household_id>/back/", views.step_back, name="requisition_back"),
]
