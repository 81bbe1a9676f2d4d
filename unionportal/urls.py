from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import session_views, two_factor, views

# The composition root: the apps' URLs are included by name, so the core imports none of them.
# Public URLs are this explicit list; every other URL needs a login (LoginRequiredMiddleware).
# The session endpoints answer a page whose session may have expired (static/js/keepedits.js);
# an email's unsubscribe link works without logging in (its signed token says for whom).
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "set_language",
        "healthz",
        "favicon",
        "session_status",
        "session_csrf",
        "session_login",
        "notifications:unsubscribe",
    }
)
handler500 = "unionportal.session_views.server_error"

urlpatterns = [
    path("", include("organizations.home_urls")),
    path("healthz/", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, an error page): the portal's.
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("session/", session_views.session_status, name="session_status"),
    path("session/csrf/", session_views.session_csrf, name="session_csrf"),
    path("session/login/", session_views.session_login, name="session_login"),
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
    path("", include("restructure.urls")),
    path("", include("audit.urls")),
    path("", include("notifications.urls")),
    path("account/", include("api.account_urls")),
    path("api/v1/", include("api.urls")),
]
