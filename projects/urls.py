from django.urls import path

from projects import excel_views, views

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/summary/", views.investment_summary, name="investment_summary"),
    path("projects/export.xlsx", excel_views.export_projects, name="project_export"),
    path("projects/import/", excel_views.import_projects, name="project_import"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
]
