"""A body over Django's form limit (DATA_UPLOAD_MAX_MEMORY_SIZE) but under the API's own is read, not refused."""

import json

import pytest
from django.test import Client

from members.models import Member

from .conftest import make_token

pytestmark = pytest.mark.django_db


def test_a_body_over_djangos_form_limit_is_read_as_the_api_allows(cast, settings):
    assert settings.API_MAX_BODY_BYTES > 2.5 * 1024 * 1024
    rows = [{"card_number": f"DV{n:05d}", "full_name": "x" * 200} for n in range(15000)]
    body = json.dumps({"rows": rows, "dry_run": True})
    assert len(body) > 2.5 * 1024 * 1024
    response = Client().post(
        "/api/v1/members/bulk/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {make_token(cast.owner)}"},
    )
    assert response.status_code == 422, response.content[:500]  # checked: the rows lack their other columns
    assert response.json()["errors"][0]["row"] == 1
    assert not Member.objects.exists()
