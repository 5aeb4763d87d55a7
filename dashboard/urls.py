from django.urls import path

from dashboard import views

urlpatterns = [
    path("screen/", views.screen, name="screen"),
    path("screen/data.json", views.screen_data_view, name="screen_data"),
    path("screen/kiosks/", views.kiosks, name="kiosks"),
    path("screen/kiosks/<int:token_id>/revoke/", views.revoke_kiosk, name="revoke_kiosk"),
]
