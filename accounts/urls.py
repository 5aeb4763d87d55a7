from django.urls import path

from accounts import views

urlpatterns = [
    path("login/verify/", views.login_verify, name="login_verify"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/security/", views.account_security, name="account_security"),
    path("admin/login/", views.admin_login, name="admin_login_redirect"),
]
