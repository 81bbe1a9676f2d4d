"""Every reports view: anonymous → login, outsider → 404 (GET and POST), read-only colleague → 403 on writes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from reports.models import ReportFile, ReportFileStatus
from tests.reports.test_report_data import setup_program


@dataclass(frozen=True)
class Route:
    name: str
    kind: str  # "org": /reports/<code>/, "program", "report": code/program/period, "indicator", "file"
    write: bool = False


ROUTES = [
    Route("reports:organization", "org"),
    Route("reports:program", "program"),
    Route("reports:dashboard", "report"),
    Route("reports:branches", "indicator"),
    Route("reports:document", "report"),
    Route("reports:narrative", "report", write=True),
    Route("reports:section", "section", write=True),
    Route("reports:section_reset", "section", write=True),
    Route("reports:new_version", "report", write=True),
    Route("reports:export_pdf", "report"),
    Route("reports:export_docx", "report"),
    Route("reports:export_xlsx", "report"),
    Route("reports:json", "report"),
    Route("reports:file_create", "report"),
    Route("reports:file_status", "file"),
    Route("reports:file_download", "file"),
]
WRITES = [r for r in ROUTES if r.write]


@pytest.fixture
def objects(cast):
    program, period = setup_program(cast)
    files = {
        side: ReportFile.objects.create(
            organization=organization, program=program, period=period, format="pdf", status=ReportFileStatus.DONE
        )
        for side, organization in (("own", cast.district), ("sibling", cast.sibling))
    }
    return {"cast": cast, "program": program, "period": period, "files": files}


def url_for(route: Route, objects: dict, side: str = "own") -> str:
    cast = objects["cast"]
    organization = cast.district if side == "own" else cast.sibling
    kwargs = {"code": organization.code}
    if route.kind in ("program", "report", "indicator", "section"):
        kwargs["program"] = objects["program"].code
    if route.kind in ("report", "indicator", "section"):
        kwargs["period"] = objects["period"].code
    if route.kind == "section":
        kwargs["section"] = "shortcomings"
    if route.kind == "indicator":
        kwargs["indicator"] = "1"
    if route.kind == "file":
        kwargs["pk"] = objects["files"][side].pk
    return reverse(route.name, kwargs=kwargs)


def test_the_index_needs_a_login(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, route):
    url = url_for(route, objects)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_from_the_sibling_district_gets_404(cast, login, objects, route, method):
    client = login(cast.outsider)
    response = getattr(client, method)(url_for(route, objects), {"reason": "x", "format": "pdf", "text": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kind == "file"], ids=lambda r: r.name)
def test_a_file_cannot_be_reached_through_another_organization_code(cast, login, objects, route):
    """The sibling's file through the owner's own code is a 404 too."""
    url = reverse(route.name, kwargs={"code": cast.district.code, "pk": objects["files"]["sibling"].pk})
    assert login(cast.owner).get(url).status_code == 404


@pytest.mark.parametrize("route", WRITES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_writes(cast, login, objects, route, method):
    client = login(cast.colleague)
    response = getattr(client, method)(url_for(route, objects), {"reason": "x", "text": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write and r.kind != "file"], ids=lambda r: r.name)
def test_a_read_only_colleague_may_read(cast, login, objects, route):
    response = login(cast.colleague).get(url_for(route, objects))
    assert response.status_code in (200, 302, 405)


def test_a_program_that_does_not_apply_to_the_organization_is_a_404(cast, login, objects):
    from tests import builders

    elsewhere = builders.program(cast.sibling, code="XP-B-CTR")
    url = reverse("reports:dashboard", kwargs={"code": cast.district.code, "program": elsewhere.code, "period": "2024"})
    assert login(cast.provincial).get(url).status_code == 404


def test_an_unknown_or_malformed_period_is_a_404(cast, login, objects):
    client = login(cast.owner)
    for period in ("2024-Q3", "2019", "2030"):
        url = reverse("reports:dashboard", kwargs={"code": "XP-A", "program": "XP-CTR", "period": period})
        assert client.get(url).status_code == 404


def test_an_unknown_version_is_a_404(cast, login, objects):
    url = url_for(Route("reports:json", "report"), objects)
    assert login(cast.owner).get(url, {"version": 7}).status_code == 404
