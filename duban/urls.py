from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as accounts_views
from duban import home

handler400 = "duban.errors.bad_request"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),  # before admin/: the admin's log-in goes through ours
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reports.urls")),
    path("", include("campaigns.urls")),
    path("", include("ranking.urls")),
    path("", include("projects.urls")),
    path("", include("requisition.urls")),
    path("", include("economy.urls")),
    path("", include("land.urls")),
    path("", include("problems.urls")),
    path("", include("assessment.urls")),
    path("", include("cadres.urls")),
    path("", include("bulletins.urls")),
    path("", include("doctemplates.urls")),
    path("", include("dashboard.urls")),
    path("", include("api.urls")),
    path("", include("jobs.urls")),
    path("", include("setup.urls")),
    path("", include("ops.urls")),  # /healthz, /metrics
]
