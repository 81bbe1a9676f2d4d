"""GET /api/v1/members/ and /members/<card>/: masked as on the member's page; PATCH needs If-Match."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from members.models import Member
from members.privacy import masked, masked_birth_date
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(cast):
    return factories.make_member(
        cast.branch, card_number="DV100", citizen_id="001085012345", date_of_birth=datetime.date(1985, 11, 20)
    )


def test_a_reader_sees_personal_data_masked_exactly_as_on_the_members_page(cast, api, login, member):
    body = api(cast.colleague).get("/api/v1/members/DV100/").json()
    assert body["citizen_id"] == masked("001085012345") == "••••2345"
    assert body["date_of_birth"] == masked_birth_date(member.date_of_birth) == "••/••/1985"
    assert body["personal_data_masked"] is True
    page = login(cast.colleague).get(reverse("members:detail", kwargs={"card_number": "DV100"}))
    assert page.context["citizen_id"] == body["citizen_id"] and page.context["date_of_birth"] == body["date_of_birth"]
    listed = api(cast.colleague).get("/api/v1/members/").json()["results"]
    assert [(m["citizen_id"], m["date_of_birth"]) for m in listed] == [("••••2345", "••/••/1985")]


def test_who_keeps_the_records_sees_them_whole(cast, api, login, member):
    body = api(cast.owner).get("/api/v1/members/DV100/").json()
    assert body["citizen_id"] == "001085012345" and body["date_of_birth"] == "20/11/1985"
    page = login(cast.owner).get(reverse("members:detail", kwargs={"card_number": "DV100"}))
    assert page.context["citizen_id"] == body["citizen_id"] and page.context["date_of_birth"] == body["date_of_birth"]


def test_the_list_is_paged_with_a_cursor_and_filtered(cast, api):
    other = factories.make_branch(cast.district, code="XP-A-02")
    for n in range(5):
        factories.make_member(cast.branch if n % 2 else other, card_number=f"DV{n:03d}")
    client = api(cast.owner)
    page = client.get("/api/v1/members/", {"page_size": 2}).json()
    assert [m["card_number"] for m in page["results"]] == ["DV000", "DV001"]
    second = client.get(page["next"]).json()
    assert [m["card_number"] for m in second["results"]] == ["DV002", "DV003"]
    only = client.get("/api/v1/members/", {"branch": "xp-a-02"}).json()["results"]
    assert {m["branch"] for m in only} == {"XP-A-02"} and len(only) == 3
    assert client.get("/api/v1/members/", {"under": cast.sibling.code}).status_code == 404


def test_a_page_has_a_fixed_number_of_queries(cast, api, django_assert_max_num_queries):
    client = api(cast.owner)
    for n in range(30):
        factories.make_member(cast.branch, card_number=f"DV{n:03d}")
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/members/", {"page_size": 30})
    assert len(response.json()["results"]) == 30


def test_a_patch_without_if_match_is_428_and_changes_nothing(cast, api, member):
    client = api(cast.owner)
    before = Member.objects.values().get(pk=member.pk)
    response = client.patch("/api/v1/members/DV100/", {"ethnicity": "Nùng"})
    assert response.status_code == 428 and response.json()["type"].endswith("precondition-required")
    assert Member.objects.values().get(pk=member.pk) == before


def test_a_patch_with_a_stale_etag_is_412_and_changes_nothing(cast, api, member):
    client = api(cast.owner)
    etag = client.get("/api/v1/members/DV100/")["ETag"]
    assert client.patch("/api/v1/members/DV100/", {"ethnicity": "Nùng"}, headers={"If-Match": etag}).status_code == 200
    before = Member.objects.values().get(pk=member.pk)
    replay = client.patch("/api/v1/members/DV100/", {"ethnicity": "Dao"}, headers={"If-Match": etag})
    assert replay.status_code == 412 and "ETag" in replay.json()["detail"]
    assert Member.objects.values().get(pk=member.pk) == before


def test_a_patch_with_the_current_etag_writes_through_the_service_and_the_audit(cast, api, member):
    client = api(cast.owner)
    etag = client.get("/api/v1/members/DV100/")["ETag"]
    response = client.patch("/api/v1/members/DV100/", {"ethnicity": "Nùng"}, headers={"If-Match": etag})
    assert response.status_code == 200 and response.json()["ethnicity"] == "Nùng"
    assert response["ETag"] != etag
    event = AuditEvent.objects.filter(table_name="members_member", action="update").latest("pk")
    assert event.actor_id == cast.owner.pk and event.context == "api:hệ thống thử"


def test_a_patch_refused_by_the_service_is_400_with_the_field(cast, api, member):
    client = api(cast.owner)
    etag = client.get("/api/v1/members/DV100/")["ETag"]
    before = Member.objects.values().get(pk=member.pk)
    response = client.patch("/api/v1/members/DV100/", {"date_of_birth": "2030-01-01"}, headers={"If-Match": etag})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_of_birth"
    assert Member.objects.values().get(pk=member.pk) == before


def test_a_reader_may_not_patch(cast, api, member):
    client = api(cast.colleague)
    etag = client.get("/api/v1/members/DV100/")["ETag"]
    assert client.patch("/api/v1/members/DV100/", {"ethnicity": "Nùng"}, headers={"If-Match": etag}).status_code == 403
