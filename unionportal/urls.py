from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import two_factor, views

# The composition root: the apps' URLs are included by name, so the core imports none of them.
# Public URLs are this explicit list; every other URL needs a login (LoginRequiredMiddleware).
PUBLIC_URL_NAMES = frozenset({"login", "set_language", "healthz"})

urlpatterns = [
    path("", include("organizations.home_urls")),
    path("healthz/", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("2fa/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("admin/", admin.site.urls),
    path("", include("organizations.urls")),
    path("", include("members.urls")),
    path("", include("imports.urls")),
    path("", include("programs.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
]
