"""Every program and indicator page: anonymous → login, outsider → 404 (GET and POST), read-only → 403 on writes.

The program applies to the owner's district XP-A; the outsider works in the sibling district.
Managing programs is a provincial right, so the provincial officer is the one who writes here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs import services
from tests import builders


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[dict], str]
    write: bool
    scoped: bool = True  # does the URL point at an object of the owner's subtree?


def program_url(name: str) -> Callable[[dict], str]:
    return lambda o: reverse(name, kwargs={"code": o["program"].code})


def indicator_url(name: str) -> Callable[[dict], str]:
    return lambda o: reverse(name, kwargs={"code": o["program"].code, "indicator": o["indicator"].code})


ROUTES = [
    Route("programs:list", lambda o: reverse("programs:list"), write=False, scoped=False),
    Route("programs:create", lambda o: reverse("programs:create"), write=True, scoped=False),
    Route("indicators:program", program_url("indicators:program"), write=False),
    Route("programs:edit", program_url("programs:edit"), write=True),
    Route("programs:original", program_url("programs:original"), write=False),
    Route("indicators:detail", indicator_url("indicators:detail"), write=False),
    Route("indicators:allocate", indicator_url("indicators:allocate"), write=True),
]
SCOPED = [r for r in ROUTES if r.scoped]
WRITES = [r for r in ROUTES if r.write]


@pytest.fixture
def objects(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    program = services.program_create(
        by=cast.provincial,
        code="XA-CTR01",
        kind="program",
        title="Chương trình phát triển đoàn viên huyện A",
        issuer=cast.district,
        issuer_name="",
        start_year=2021,
        end_year=2025,
        scope=cast.district,
        original=SimpleUploadedFile("04-CTr.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    indicator = builders.indicator(program, "branches_founded", code="1", target_value=2, allocation="sum")
    builders.period("2024")
    return {"program": program, "indicator": indicator}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, route):
    url = route.url(objects)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", SCOPED, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_from_the_sibling_district_gets_404(cast, login, objects, route, method):
    response = getattr(login(cast.outsider), method)(route.url(objects), {})
    assert response.status_code == 404


@pytest.mark.parametrize("route", WRITES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_writes(cast, login, objects, route, method):
    response = getattr(login(cast.colleague), method)(route.url(objects), {})
    assert response.status_code == 403


@pytest.mark.parametrize("route", WRITES, ids=lambda r: r.name)
def test_district_staff_do_not_manage_programs(cast, login, objects, route):
    assert login(cast.owner).get(route.url(objects)).status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_provincial_officer_opens_every_page(cast, login, objects, route):
    assert login(cast.provincial).get(route.url(objects)).status_code == 200


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write], ids=lambda r: r.name)
def test_the_read_only_colleague_can_read(cast, login, objects, route):
    assert login(cast.colleague).get(route.url(objects)).status_code == 200


def test_the_original_document_is_served_to_those_who_see_the_program(cast, login, objects):
    response = login(cast.colleague).get(reverse("programs:original", kwargs={"code": "XA-CTR01"}))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_an_outsider_cannot_look_at_the_program_through_another_organization(cast, login, objects):
    url = reverse("indicators:program", kwargs={"code": "XA-CTR01"})
    assert login(cast.provincial).get(url, {"org": cast.sibling.code}).status_code == 404  # outside the program
    assert login(cast.owner).get(url, {"org": cast.sibling.code}).status_code == 404  # outside the user's scope


def test_a_program_of_the_confederation_is_seen_by_every_district_but_managed_only_above(cast, login):
    program = builders.program(cast.national, code="XVN-TK")
    url = reverse("indicators:program", kwargs={"code": program.code})
    assert login(cast.outsider).get(url).status_code == 200
    assert login(cast.outsider).get(url).context["organization"] == cast.sibling
    assert login(cast.provincial).get(reverse("programs:edit", kwargs={"code": program.code})).status_code == 403
    assert login(cast.national_officer).get(reverse("programs:edit", kwargs={"code": program.code})).status_code == 200
