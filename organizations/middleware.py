"""The two-step sign-in, required of those whose roles reach far (organizations/permissions.py says who).

The pages that set up and check the code are the core's (unionportal/two_factor.py); who must
pass them is a rule of the union's roles, so the middleware that sends them there lives here.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from unionportal.middleware import wants_json

from .permissions import needs_two_factor


class RequireTwoFactorMiddleware:
    """Officers of provinces and of the confederation, and administrators, must pass a TOTP check.

    After the password, such a user is sent to set up an authenticator (first time) or to
    type its code, before any other page. Off unless settings.TWO_FACTOR_REQUIRED.
    """

    EXEMPT_NAMES = frozenset(
        {
            "two_factor_setup",
            "two_factor_verify",
            "logout",
            "set_language",
            "healthz",
            "login",
            "session_status",
            "session_csrf",
            "session_login",
        }
    )

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if settings.TWO_FACTOR_REQUIRED and self._must_verify(request):
            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = "two_factor_verify" if has_device else "two_factor_setup"
            if wants_json(request):  # a grid's save: the page keeps the typing and sends the user there
                return JsonResponse({"error": "two_factor", "login_url": reverse(target)}, status=401)
            response = redirect(target)
            response["Location"] += f"?next={request.get_full_path()}"
            return response
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        if request.path.startswith(settings.STATIC_URL):
            return False
        try:
            if resolve(request.path_info).url_name in self.EXEMPT_NAMES:
                return False
        except Resolver404:
            return False
        return needs_two_factor(user)
