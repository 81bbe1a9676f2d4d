"""Tokens: made on the account page (shown once, hashed), acting as their user, refused once revoked or expired."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from organizations.models import Role
from tests import factories

from .conftest import make_token

pytestmark = pytest.mark.django_db
SOON = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
SOON_VN = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")


def test_a_user_creates_a_token_that_is_shown_once_and_kept_hashed(cast, login):
    client = login(cast.owner)
    response = client.post(reverse("account:api_tokens"), {"name": "Phần mềm đoàn viên", "expires_on": SOON})
    assert response.status_code == 200
    text = response.context["created"]
    assert text.startswith("up_")
    token = ApiToken.objects.get(user=cast.owner)
    secret = text.split("_", 2)[2]
    assert token.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.hashed_secret
    again = client.get(reverse("account:api_tokens"))
    assert text not in again.content.decode()  # never shown again
    assert f"up_{token.prefix}_" in again.content.decode()


def test_a_token_expiry_must_be_given_and_in_the_future(cast, login):
    client = login(cast.owner)
    response = client.post(reverse("account:api_tokens"), {"name": "x", "expires_on": ""})
    assert response.context["form"].errors["expires_on"]
    response = client.post(reverse("account:api_tokens"), {"name": "x", "expires_on": "2001-01-01"})
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_creating_a_token_needs_the_two_step_sign_in_of_those_who_owe_it(cast, login, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = login(cast.provincial)  # a provincial officer signs in in two steps
    response = client.post(reverse("account:api_tokens"), {"name": "x", "expires_on": SOON})
    assert response.status_code == 302 and "/2fa/" in response.url
    assert not ApiToken.objects.exists()
    # Upper-level staff do not owe it: they create their token at once.
    response = login(cast.owner).post(reverse("account:api_tokens"), {"name": "x", "expires_on": SOON})
    assert response.status_code == 200 and ApiToken.objects.filter(user=cast.owner).count() == 1


def test_the_service_refuses_an_unverified_officer_whatever_the_page_does(cast, settings):
    from django.core.exceptions import PermissionDenied

    from api import services

    settings.TWO_FACTOR_REQUIRED = True
    with pytest.raises(PermissionDenied):
        services.api_token_create(
            user=cast.provincial,
            name="x",
            expires_at=timezone.now() + datetime.timedelta(days=1),
            by=cast.provincial,
            verified=False,
        )
    assert not ApiToken.objects.exists()


def test_a_verified_officer_creates_a_token(cast, settings):
    from api import services

    settings.TWO_FACTOR_REQUIRED = True
    token, text = services.api_token_create(
        user=cast.provincial,
        name="x",
        expires_at=timezone.now() + datetime.timedelta(days=1),
        by=cast.provincial,
        verified=True,
    )
    assert token.pk and text.startswith(f"up_{token.prefix}_")


def test_revoking_a_token_stops_it_and_only_its_owner_may(cast, login, api):
    text = make_token(cast.owner)
    token = ApiToken.objects.get(user=cast.owner)
    url = reverse("account:api_token_revoke", kwargs={"pk": token.pk})
    assert login(cast.outsider).post(url).status_code == 404
    assert login(cast.colleague).post(url).status_code == 404
    headers = {"Authorization": f"Bearer {text}"}
    from django.test import Client

    assert Client().get("/api/v1/organizations/", headers=headers).status_code == 200
    assert login(cast.owner).post(url).status_code == 302
    response = Client().get("/api/v1/organizations/", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "thu hồi" in response.json()["detail"]


def test_an_expired_token_is_refused_with_401(cast):
    from django.test import Client

    text = make_token(cast.owner)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get("/api/v1/organizations/", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 401
    body = response.json()
    assert body["type"].endswith("authentication-failed") and "hết hạn" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer up_nonsense", "Bearer up_0000abcd_wrong", "Bearer xyz"])
def test_a_wrong_token_is_refused_with_401(cast, header):
    from django.test import Client

    make_token(cast.owner)
    response = Client().get("/api/v1/organizations/", headers={"Authorization": header})
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_no_token_is_401_with_a_bearer_challenge(db):
    from django.test import Client

    response = Client().get("/api/v1/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["status"] == 401


def test_a_token_acts_exactly_as_its_user(cast, api):
    client = api(cast.owner)
    codes = set()
    url = "/api/v1/organizations/"
    while url:
        body = client.get(url).json()
        codes |= {row["code"] for row in body["results"]}
        url = body["next"]
    assert codes == {cast.district.code, cast.branch.code}
    assert client.get(f"/api/v1/organizations/{cast.sibling.code}/").status_code == 404


def test_last_use_is_recorded(cast, api):
    client = api(cast.owner)
    assert client.get("/api/v1/organizations/").status_code == 200
    assert ApiToken.objects.get(user=cast.owner).last_used_at is not None


def test_a_service_account_acts_through_its_assignments(db, cast):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from api.models import ServiceAccount
    from organizations import services as organization_services

    user = get_user_model().objects.create_user("he-thong-tinh", password=None)
    ServiceAccount.objects.create(user=user, description="Phần mềm quản lý đoàn viên")
    organization_services.assignment_create(user=user, organization=cast.sibling, role=Role.VIEWER)
    text = make_token(user)
    client = Client(headers={"Authorization": f"Bearer {text}"})
    assert client.get(f"/api/v1/organizations/{cast.sibling.code}/").status_code == 200
    assert client.get(f"/api/v1/organizations/{cast.district.code}/").status_code == 404
    assert not user.has_usable_password()


def test_an_administrator_creates_a_service_account_and_its_token_in_the_admin(db, cast):
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin_user = factories.make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin_user)
    response = client.post("/admin/api/serviceaccount/add/", {"username": "he-thong", "description": "Tỉnh"})
    assert response.status_code == 302
    account = get_user_model().objects.get(username="he-thong")
    assert account.service_account and not account.has_usable_password()
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": account.pk, "name": "Đồng bộ", "expires_at_0": SOON_VN, "expires_at_1": "00:00:00"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    token = ApiToken.objects.get(user=account)
    assert any(f"up_{token.prefix}_" in m for m in shown), shown
