"""Requisition's pages: the ledger and the field page (views), the roster import and exports
(roster_views), a household's compensation sheet (compensation_views)."""

from django.urls import path

from requisition import compensation_views, roster_views, views

urlpatterns = [
    path("requisition/", views.requisition_home, name="requisition"),
    path("requisition/field/", views.field_page, name="requisition_field"),
    path("requisition/units/<int:unit_id>/", views.unit_tallies, name="requisition_unit"),
    path("requisition/households/<int:household_id>/", views.household_file, name="requisition_household"),
    path("requisition/households/<int:household_id>/step/", views.record_step, name="requisition_step"),
    path("requisition/households/<int:household_id>/back/", views.step_back, name="requisition_back"),
    path("requisition/import/", roster_views.import_roster, name="requisition_import"),
    path(
        "requisition/units/<int:unit_id>/ledger.xlsx", roster_views.export_ledger_view, name="requisition_ledger_export"
    ),
    path(
        "requisition/units/<int:unit_id>/tallies.xlsx",
        roster_views.export_tallies_view,
        name="requisition_tallies_export",
    ),
    path(
        "requisition/households/<int:household_id>/sheet/",
        compensation_views.household_sheet,
        name="household_sheet",
    ),
    path(
        "requisition/households/<int:household_id>/sheet.docx",
        compensation_views.household_sheet_docx,
        name="household_sheet_docx",
    ),
    path(
        "requisition/households/<int:household_id>/sheet.pdf",
        compensation_views.household_sheet_pdf,
        name="household_sheet_pdf",
    ),
]
