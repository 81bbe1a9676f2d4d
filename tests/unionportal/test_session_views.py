"""What keeps a user's typing when a save fails, on the server: a script from an expired session
gets 401 and JSON (never the login page), the /session/ endpoints, and the Vietnamese pages for a
refused CSRF check, a server error and an unreachable database."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_script_from_an_expired_session_gets_401_and_json_not_the_login_page(cast, client):
    url = reverse("organizations:detail", args=[cast.branch.code])
    response = client.post(url, {"value": "5"}, **HTMX)
    assert response.status_code == 401
    assert response.json() == {"error": "login_required", "login_url": reverse("login")}
    fetched = client.get(url, HTTP_ACCEPT="application/json")
    assert fetched.status_code == 401
    navigation = client.get(url)  # the browser's own navigation still goes to the login page
    assert navigation.status_code == 302 and navigation.url.startswith(reverse("login"))


def test_the_status_says_whether_the_session_is_alive_with_a_csrf_token(cast, client, login):
    anonymous = client.get(reverse("session_status")).json()
    assert anonymous["authenticated"] is False and anonymous["username"] == ""
    assert len(anonymous["csrf_token"]) == 64
    signed_in = login(cast.owner).get(reverse("session_status"))
    assert signed_in.json()["authenticated"] is True and signed_in.json()["username"] == "owner"
    assert "no-cache" in signed_in["Cache-Control"]


def test_a_fresh_csrf_token_comes_with_its_cookie(db):
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("session_csrf"))
    assert len(response.json()["csrf_token"]) == 64
    assert "csrftoken" in response.cookies


def test_signing_in_from_the_dialog_needs_the_right_password_and_a_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    url = reverse("session_login")
    refused = client.post(url, {"username": "owner", "password": factories.PASSWORD}, **HTMX)
    assert refused.status_code == 403 and refused.json() == {"error": "csrf"}
    token = client.get(reverse("session_status")).json()["csrf_token"]
    wrong = client.post(url, {"username": "owner", "password": "nope"}, HTTP_X_CSRFTOKEN=token)
    assert wrong.status_code == 400 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.json()["error"]
    assert SESSION_KEY not in client.session
    right = client.post(url, {"username": "owner", "password": factories.PASSWORD}, HTTP_X_CSRFTOKEN=token)
    assert right.status_code == 200
    answer = right.json()
    assert answer["authenticated"] is True and answer["username"] == "owner"
    assert answer["csrf_token"] and answer["csrf_token"] != token  # rotated at sign-in
    assert int(client.session[SESSION_KEY]) == cast.owner.pk


def test_an_overlong_password_is_refused_unread(cast):
    client = Client()
    response = client.post(reverse("session_login"), {"username": "owner", "password": "x" * 10_000})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_refused_csrf_check_gets_a_vietnamese_page_with_the_way_back(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    grid = "http://testserver/data/2024/XP-A/"
    response = client.post(reverse("logout"), HTTP_REFERER=grid)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in html and "Chưa có gì được lưu" in html
    assert f'href="{grid}"' in html and 'data-keep-failed="csrf"' in html
    assert "CSRF verification failed" not in html


def test_the_csrf_page_never_links_back_to_another_site(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post(reverse("logout"), HTTP_REFERER="https://evil.example/x")
    assert 'href="https://evil.example/x"' not in response.content.decode()
    assert f'href="{reverse("home")}"' in response.content.decode()


@pytest.mark.urls("tests.unionportal.broken_urls")
def test_a_server_error_gets_a_vietnamese_page_that_links_back(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner)
    response = client.get("/broken/", HTTP_REFERER="http://testserver/members/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Lỗi máy chủ" in html and "chưa có gì của yêu cầu được lưu" in html
    assert 'href="http://testserver/members/"' in html and 'data-keep-failed="500"' in html
    assert client.get("/broken/", **HTMX).json() == {"error": "server_error"}


@pytest.mark.urls("tests.unionportal.broken_urls")
def test_an_unreachable_database_gets_503_with_a_retry(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner)
    response = client.get("/database-down/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Hệ thống đang bận" in response.content.decode()
    assert client.get("/database-down/", **HTMX).json() == {"error": "unavailable"}


def test_every_page_tells_htmx_not_to_inject_its_indicator_style(cast, login):
    html = login(cast.owner).get(reverse("home")).content.decode()
    assert (
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "attributesToSettle": ["class", "width", "height"]}\'>'
        in html
    )
    assert 'data-keep-user="owner"' in html and 'id="keep-login"' in html


def test_a_script_of_an_officer_who_must_pass_the_second_step_gets_401(cast, login, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = login(cast.provincial)
    response = client.post(reverse("organizations:detail", args=[cast.branch.code]), **HTMX)
    assert response.status_code == 401 and response.json()["error"] == "two_factor"
    assert client.get(reverse("session_status")).status_code == 200  # the dialog's endpoints stay open


def two_step_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    return f"{totp(device.bin_key):06d}"


@pytest.mark.parametrize("required", [True, False])
def test_a_user_with_two_step_sign_in_is_asked_for_the_code_in_the_dialog(cast, settings, required):
    settings.TWO_FACTOR_REQUIRED = required
    device = two_step_device(cast.provincial)
    client = Client()
    url = reverse("session_login")
    credentials = {"username": "provincial", "password": factories.PASSWORD}

    asked = client.post(url, credentials)
    assert asked.status_code == 400 and asked.json()["otp_required"] is True
    assert "mã 6 chữ số" in asked.json()["error"]
    assert SESSION_KEY not in client.session  # the password alone signs nobody in

    for wrong in ("000000", "12345", "abcdef", "1234567", "<b>1</b>"):
        refused = client.post(url, {**credentials, "token": wrong})
        assert refused.status_code == 400 and refused.json()["otp_required"] is True, wrong
        assert "Mã không đúng" in refused.json()["error"], wrong
        assert SESSION_KEY not in client.session and DEVICE_ID_SESSION_KEY not in client.session

    right = client.post(url, {**credentials, "token": code_of(device)})
    assert right.status_code == 200 and right.json()["authenticated"] is True
    assert int(client.session[SESSION_KEY]) == cast.provincial.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # Verified: pages and the grid's saves go through again (no detour to /2fa/verify/, no 401 "two_factor").
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_before_any_code_is_asked(cast):
    two_step_device(cast.provincial)
    client = Client()
    response = client.post(reverse("session_login"), {"username": "provincial", "password": "nope", "token": "123456"})
    assert response.status_code == 400 and "otp_required" not in response.json()
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.json()["error"]
    assert SESSION_KEY not in client.session


def test_an_unconfirmed_device_asks_for_no_code(cast):
    TOTPDevice.objects.create(user=cast.provincial, name="authenticator", confirmed=False)
    client = Client()
    response = client.post(reverse("session_login"), {"username": "provincial", "password": factories.PASSWORD})
    assert response.status_code == 200 and int(client.session[SESSION_KEY]) == cast.provincial.pk
