"""Every API error is problem details, in Vietnamese; bad input leaves the database unchanged."""

from __future__ import annotations

import pytest
from django.test import Client

from members.models import Member

from .conftest import make_token

pytestmark = pytest.mark.django_db


def _headers(user):
    return {"Authorization": f"Bearer {make_token(user)}"}


def test_malformed_json_is_a_400_problem_and_writes_nothing(cast):
    before = Member.objects.count()
    response = Client().post(
        "/api/v1/members/bulk/",
        '{"rows": [{"card_number": "X1",}',
        content_type="application/json",
        headers=_headers(cast.owner),
    )
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:unionportal:problem:malformed-json" and body["status"] == 400
    assert "JSON" in body["detail"] and "dấu" in body["detail"]
    assert Member.objects.count() == before


def test_a_wrong_content_type_is_415(cast):
    before = Member.objects.count()
    response = Client().post("/api/v1/members/bulk/", "rows=1", content_type="text/csv", headers=_headers(cast.owner))
    assert response.status_code == 415
    assert response.json()["type"].endswith("unsupported-media-type")
    assert "application/json" in response.json()["detail"]
    assert Member.objects.count() == before


def test_a_body_over_the_limit_is_refused_by_its_length_before_it_is_read(cast, settings):
    settings.API_MAX_BODY_BYTES = 1000

    class Unreadable:
        def read(self, *args):  # the body must not be read at all
            raise AssertionError("the body was read")

        readline = read

    before = Member.objects.count()
    client = Client()
    response = client.generic(
        "POST",
        "/api/v1/members/bulk/",
        b"",
        content_type="application/json",
        headers=_headers(cast.owner),
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["type"].endswith("body-too-large") and "1.000" in body["detail"]
    assert Member.objects.count() == before


def test_an_unknown_api_address_is_a_404_problem(cast):
    response = Client().get("/api/v1/nothing-here/", headers=_headers(cast.owner))
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_a_wrong_method_is_405_problem(cast):
    response = Client().delete("/api/v1/organizations/", headers=_headers(cast.owner))
    assert response.status_code == 405
    assert response.json()["type"].endswith("method-not-allowed") and "GET" in response["Allow"]


def test_the_rate_limit_is_per_token_and_says_when_to_retry(cast, settings):
    settings.API_RATE = "2/minute"
    from django.core.cache import cache

    cache.clear()
    first, second = _headers(cast.owner), _headers(cast.owner)
    for _ in range(2):
        assert Client().get("/api/v1/organizations/", headers=first).status_code == 200
    refused = Client().get("/api/v1/organizations/", headers=first)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["type"].endswith("too-many-requests") and "giây" in refused.json()["detail"]
    # Another token of the same user has its own count.
    assert Client().get("/api/v1/organizations/", headers=second).status_code == 200


def test_the_throttle_counts_in_redis_when_the_settings_have_one(settings):
    from api.throttling import throttle_cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"},
    }
    assert "Redis" in type(throttle_cache()).__name__
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "LocMem" in type(throttle_cache()).__name__
