"""Every imports URL: anonymous → login, outsider → 404 (GET and POST), read-only colleague → 403 on writes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from imports.models import ImportJob, ImportStatus


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: str  # "kind", "job" or ""
    write: bool


ROUTES = [
    Route("imports:index", "", write=False),
    Route("imports:template", "kind", write=False),
    Route("imports:export", "kind", write=False),
    Route("imports:upload", "kind", write=True),
    Route("imports:job", "job", write=False),
    Route("imports:job_status", "job", write=False),
    Route("imports:job_confirm", "job", write=True),
]


@pytest.fixture
def job(cast):
    return ImportJob.objects.create(
        user=cast.owner,
        kind="members",
        file="imports/members/x.xlsx",
        original_name="x.xlsx",
        status=ImportStatus.VALID,
    )


def url(route: Route, job: ImportJob) -> str:
    if route.kwargs == "kind":
        return reverse(route.name, kwargs={"kind": "members"})
    if route.kwargs == "job":
        return reverse(route.name, kwargs={"pk": job.pk})
    return reverse(route.name)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, job, route):
    for response in (client.get(url(route, job)), client.post(url(route, job), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kwargs == "job"], ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_job_is_404(cast, login, job, route, method):
    for user in (cast.outsider, cast.colleague, cast.provincial):
        response = getattr(login(user), method)(url(route, job), {})
        assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_export_of_a_foreign_subtree_is_404(cast, login, method):
    export = reverse("imports:export", kwargs={"kind": "members"}) + "?under=XP-A"
    assert getattr(login(cast.outsider), method)(export, {}).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_upload(cast, login, method):
    response = getattr(login(cast.colleague), method)(reverse("imports:upload", kwargs={"kind": "members"}), {})
    assert response.status_code == 403


def test_a_read_only_colleague_gets_403_on_confirming_even_their_own_job(cast, login):
    own = ImportJob.objects.create(
        user=cast.colleague,
        kind="members",
        file="imports/members/y.xlsx",
        original_name="y.xlsx",
        status=ImportStatus.VALID,
    )
    response = login(cast.colleague).post(reverse("imports:job_confirm", kwargs={"pk": own.pk}))
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == ImportStatus.VALID


def test_the_national_officer_may_not_import_workplaces_branches_or_members(cast, login):
    client = login(cast.national_officer)
    for kind in ("workplaces", "branches", "members"):
        assert client.get(reverse("imports:upload", kwargs={"kind": kind})).status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_owner_can_open_every_page(cast, login, job, route):
    client = login(cast.owner)
    if route.name == "imports:job_confirm":
        assert client.get(url(route, job)).status_code == 405
    else:
        assert client.get(url(route, job)).status_code == 200


def test_an_unknown_kind_is_404(cast, login):
    client = login(cast.owner)
    for name in ("imports:template", "imports:export", "imports:upload"):
        assert client.get(reverse(name, kwargs={"kind": "payments"})).status_code == 404


def test_an_export_of_the_own_subtree_is_an_xlsx(cast, login):
    response = login(cast.colleague).get(reverse("imports:export", kwargs={"kind": "workplaces"}), {"under": "XP-A"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:4] == b"PK\x03\x04"
