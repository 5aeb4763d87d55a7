from django.urls import path

from requisition import compensation_views as views

urlpatterns = [
    path("requisition/households/<int:household_id>/sheet/", views.household_sheet, name="household_sheet"),
    path(
        "requisition/households/<int:household_id>/sheet.docx", views.household_sheet_docx, name="household_sheet_docx"
    ),
    path("requisition/households/<int:household_id>/sheet.pdf", views.household_sheet_pdf, name="household_sheet_pdf"),
]
