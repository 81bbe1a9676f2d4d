"""What keeps a user's typing when a save fails: the session's state, signing in again in a
dialog, a fresh CSRF token, and the pages for a refused CSRF check and a server error.

The browser side is static/js/keepedits.js: it queues what could not be saved and replays
it once these endpoints say the cause is gone.
"""

import sys

from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import wants_json

# The longest username and password the dialog reads; longer ones are refused unread.
MAX_CREDENTIAL_CHARS = 256
TOKEN_DIGITS = 6


def _state(request: HttpRequest) -> dict:
    """What the page needs after a failure: who is signed in, and a CSRF token valid for them."""
    user = request.user
    return {
        "authenticated": user.is_authenticated,
        "username": user.get_username() if user.is_authenticated else "",
        "csrf_token": get_token(request),
    }


@login_not_required
@never_cache
@require_GET
def session_status(request):
    """Whether the session is alive, with a CSRF token. Asked only after a failed save:
    every request pushes the idle expiry on, so the page must not poll it."""
    return JsonResponse(_state(request))


@login_not_required
@never_cache
@require_GET
def session_csrf(request):
    """A fresh CSRF token (and its cookie), for a page whose token went stale."""
    return JsonResponse({"csrf_token": _state(request)["csrf_token"]})


@login_not_required
@never_cache
@require_POST
def session_login(request):
    """Sign in again from the dialog, without leaving the page; the same checks as the login page
    (django-axes counts the failures and locks out as it does there), and for a user with two-step
    sign-in (a confirmed TOTP device) the one-time code, checked by django-otp as /2fa/verify/ does."""
    username = request.POST.get("username", "")
    password = request.POST.get("password", "")
    if len(username) > MAX_CREDENTIAL_CHARS or len(password) > MAX_CREDENTIAL_CHARS:
        return JsonResponse(
            {"error": _("Wrong username or password. Please try again; both are case-sensitive.")}, status=400
        )
    form = AuthenticationForm(request, data={"username": username, "password": password})
    if not form.is_valid():
        if getattr(request, "axes_locked_out", False):
            message = _("Too many failed attempts: this account is locked for a while. Try again later.")
        else:
            message = _("Wrong username or password. Please try again; both are case-sensitive.")
        return JsonResponse({"error": message}, status=400)
    user = form.get_user()
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    device = None
    if devices:
        device, refusal = _second_step(devices, request.POST.get("token", ""))
        if refusal is not None:
            return refusal
    auth_login(request, user)
    if device is not None:
        otp_login(request, device)  # after auth_login, which may start a fresh session
    return JsonResponse(_state(request))


def _second_step(devices: list[TOTPDevice], token: str) -> tuple[TOTPDevice | None, JsonResponse | None]:
    """The one-time code of a user with two-step sign-in: the device that accepts it, or the answer
    that asks for it (`otp_required`, the dialog then shows its field) or refuses it. Nothing is
    signed in until it is right; the page keeps what was typed meanwhile."""
    token = token.strip()
    if not token:
        message = _("Type the six-digit code from your authenticator app as well.")
        return None, JsonResponse({"error": message, "otp_required": True}, status=400)
    if len(token) == TOKEN_DIGITS and token.isdigit():
        # Each device throttles its own failures (django-otp), as on the verification page.
        for device in devices:
            if device.verify_token(token):
                return device, None
    message = _("The code is not right. Check the time on your phone and type the newest code.")
    return None, JsonResponse({"error": message, "otp_required": True}, status=400)


def _back(request: HttpRequest) -> str:
    """The page the user came from, if it is on this site; the home page otherwise."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return reverse("home")


def csrf_failure(request, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: the form's security token was stale or missing.

    Mostly a page left open past the end of its session, or cookies cleared. Nothing was
    saved; the page says so and links back to where the user was.
    """
    if wants_json(request):
        return JsonResponse({"error": "csrf"}, status=403)
    return render(request, "csrf_failure.html", {"back": _back(request)}, status=403)


def server_error(request):
    """handler500: a page in Vietnamese that links back; 503 while the database cannot be reached.

    Rendered without the context processors: they read the database, which may be what failed.
    """
    unavailable = isinstance(sys.exc_info()[1], DatabaseError)
    status = 503 if unavailable else 500
    if wants_json(request):
        return JsonResponse({"error": "unavailable" if unavailable else "server_error"}, status=status)
    try:
        back = _back(request)
    except Exception:  # a malformed Host header must not turn the error page into another error
        back = "/"
    body = loader.get_template(f"{status}.html").render({"back": back})
    response = HttpResponse(body, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
