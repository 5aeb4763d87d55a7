from django.urls import path

from reports import rollup_views, views

urlpatterns = [
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/<int:unit_id>/<str:week>/", views.report, name="report"),
    path("reports/<int:unit_id>/<str:week>/return/", views.return_report, name="return_report"),
    path("reports/<int:unit_id>/<str:week>/confirm/", views.confirm_held, name="confirm_held"),
    path("office/", views.office_week, name="office"),
    path("office/<str:week>/", views.office_week, name="office_week"),
    path("office/<str:week>/lock/", views.office_lock, name="office_lock"),
    path("units/<int:unit_id>/rollup/", rollup_views.rollup, name="rollup"),
]
