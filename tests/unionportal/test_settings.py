"""Settings: production passes Django's deployment check; every page but the public ones needs a login."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deployment_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "unionportal.example.org",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unionportal.settings.production", "SECRET_KEY": "short"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_time_zone_is_vietnams_and_the_language_vietnamese():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert ("en", "English") in [(code, str(name)) for code, name in settings.LANGUAGES]


@pytest.mark.django_db
def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_the_admin_needs_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_login_page_is_public_and_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content


@pytest.mark.django_db
def test_english_is_selectable_from_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in content
    assert "Log in to UnionPortal" in content


@pytest.mark.django_db
def test_the_health_check_is_public(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_browser_asking_for_favicon_ico_gets_the_portals_icon(client):
    """A page that names no icon (a PDF, an error page) makes the browser ask for /favicon.ico."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_every_asset_is_served_locally(client):
    content = client.get(reverse("login")).content.decode()
    assert "//cdn" not in content and "https://" not in content
    for asset in (
        "/static/bootstrap/css/bootstrap.min.css",
        "/static/django_htmx/htmx-2.min.js",
        "/static/js/portal.js",
    ):
        assert asset in content
        response = client.get(asset)
        assert response.status_code == 200, asset


def test_production_refuses_to_load_the_demo_accounts():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DEMO_DATA_ALLOWED" in result.stderr


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in content
