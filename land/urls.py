"""Land's pages: approval batches, the parcels' readiness board and the office's forms."""

from django.urls import path

from land import views

urlpatterns = [
    path("land/batches/", views.batch_list, name="land_batches"),
    path("land/batches/new/", views.batch_new, name="land_batch_new"),
    path("land/batches/import/", views.batch_import, name="land_batch_import"),
    path("land/batches/<int:batch_id>/", views.batch_detail, name="land_batch"),
    path("land/batches/<int:batch_id>/edit/", views.batch_edit, name="land_batch_edit"),
    path("land/parcels/", views.parcel_board, name="land_parcels"),
    path("land/parcels/new/", views.parcel_new, name="land_parcel_new"),
    path("land/parcels/<int:parcel_id>/edit/", views.parcel_edit, name="land_parcel_edit"),
]
