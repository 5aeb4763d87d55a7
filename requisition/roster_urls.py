from django.urls import path

from requisition import roster_views

urlpatterns = [
    path("requisition/import/", roster_views.import_roster, name="requisition_import"),
    path(
        "requisition/units/<int:unit_id>/ledger.xlsx", roster_views.export_ledger_view, name="requisition_ledger_export"
    ),
    path(
        "requisition/units/<int:unit_id>/tallies.xlsx",
        roster_views.export_tallies_view,
        name="requisition_tallies_export",
    ),
]
