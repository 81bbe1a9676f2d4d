"""Setting up and passing the TOTP check (django-otp), for those who must (see organizations.middleware.RequireTwoFactorMiddleware)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in: register an authenticator app by its QR code, then confirm with a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"/2fa/verify/?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("The code is not right. Check the time on your phone and type the newest code."))
    readable = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": readable, "next": _next(request)},
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("token", _("The code is not right. Check the time on your phone and type the newest code."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})
