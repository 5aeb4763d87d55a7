from django.urls import path

from doctemplates import views

urlpatterns = [
    path("templates/", views.templates_home, name="doc_templates_home"),
    path("zones/<int:zone_id>/templates/", views.zone_templates, name="doc_templates"),
    path("zones/<int:zone_id>/templates/<str:code>.docx", views.template_download, name="doc_template_download"),
    path("zones/<int:zone_id>/templates/<str:code>/upload/", views.template_upload, name="doc_template_upload"),
    path("zones/<int:zone_id>/templates/<str:code>/reset/", views.template_reset, name="doc_template_reset"),
]
