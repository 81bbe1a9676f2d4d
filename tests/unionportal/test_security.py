"""Hardened logins and headers: lockout, passwords, idle sessions, two-step sign-in, CSP, HSTS, CSRF."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def attempt(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_that_username_from_that_address_only(cast):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("owner", "wrong-password-x", "10.0.0.1").status_code == 200
    assert attempt("owner", "wrong-password-x", "10.0.0.1").status_code == 429  # the fifth locks
    locked = attempt("owner", factories.PASSWORD, "10.0.0.1")  # even the right password now
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    # Colleagues in the same office (same address) still sign in, and so does the owner elsewhere.
    assert attempt("colleague", factories.PASSWORD, "10.0.0.1").status_code == 302
    assert attempt("owner", factories.PASSWORD, "10.0.0.2").status_code == 302


def test_passwords_need_twelve_characters_and_not_a_common_one(db):
    with pytest.raises(ValidationError):
        validate_password("Ngan!2024")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("cong-doan-quang-binh-2025")


def test_sessions_expire_when_idle_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS <= 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_provincial_officer_must_set_up_and_pass_two_step_sign_in(cast, login):
    client = login(cast.provincial)
    first = client.get(reverse("home"))
    assert first.status_code == 302 and first.url.startswith(reverse("two_factor_setup"))
    page = client.get(first.url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.provincial)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    code = f"{totp(device.bin_key):06d}"
    done = client.post(reverse("two_factor_setup"), {"token": code, "next": "/"})
    assert done.status_code == 302 and done.url == "/"
    assert client.get(reverse("home")).status_code == 200

    # Next time: the code only.
    again = Client()
    again.force_login(cast.provincial)
    response = again.get(reverse("organizations:tree"))
    assert response.url.startswith(reverse("two_factor_verify"))


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_district_staff_sign_in_with_their_password_only(cast, login):
    assert login(cast.owner).get(reverse("home")).status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_administrators_need_the_second_step_too(db, login):
    admin = factories.make_user("root", is_superuser=True, is_staff=True)
    assert login(admin).get("/admin/").url.startswith(reverse("two_factor_setup"))


def test_pages_carry_a_content_security_policy_without_inline_code(cast, login):
    response = login(cast.owner).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_production_sends_hsts_and_secure_cookies():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.TWO_FACTOR_REQUIRED]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    hsts, subdomains, session_secure, csrf_secure, redirect, two_factor = json.loads(result.stdout)
    assert hsts >= 31536000 and subdomains and session_secure and csrf_secure and redirect and two_factor


def test_a_post_without_the_csrf_token_is_refused_even_from_htmx(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    url = reverse("organizations:edit", kwargs={"code": cast.branch.code})
    refused = client.post(url, {"name": "X"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    token = client.get(url).cookies["csrftoken"].value
    accepted = client.post(
        url, {"name": "CĐCS Trường A1", "sector": "school"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 302


def test_the_page_sends_the_csrf_token_with_every_htmx_request(cast, login):
    body = login(cast.owner).get(reverse("home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
