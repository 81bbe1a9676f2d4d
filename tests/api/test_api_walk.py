"""Access proven on every API route, as tests/unionportal/test_url_walk.py proves it on every page.

Every named route under /api/v1/ must be listed in API_CASES (test_url_walk.test_every_url_is_listed
reads this table too). For each route: without a token, with a revoked and with an expired one, 401
in problem details; a user of the sibling district gets 404 for a node of the district, on reads and
writes, and never sees its rows in a list; every role at the district gets what docs/permissions.md
says (the table of test_url_walk, written by hand).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from api.models import ApiToken
from reports.models import ReportFile
from tests import builders, factories

from .conftest import make_token


@dataclass(frozen=True)
class ApiCase:
    kwargs: Callable[[dict, str], dict]
    reads: tuple[str, ...] = ("get",)
    writes: tuple[str, ...] = ()  # methods that need `action`
    action: str = "view"
    scoped: bool = True  # names a node: the sibling district gets 404
    listing: str = ""  # a list: the key of the rows' identifier, absent from the sibling's answer
    public: bool = False  # the documentation: no token needed
    body: Callable[[dict, str], dict] | None = None
    query: dict | None = None  # sent with every request (a list's required filter)
    strict: bool = False  # the right must come from a body above the node (reviewing): 403 for every role at it
    etag_from: str = ""  # a write's If-Match is read from this route (same kwargs); "": from its own URL
    ok: int = 200  # what an allowed write answers


def nothing(w, side):
    return {}


def code(key):
    return lambda w, side: {"code": w[side][key].code}


def card(w, side):
    return {"card_number": w[side]["member"].card_number}


def submission(w, side):
    return {"period": "2024", "code": w[side]["district"].code}


def report(w, side):
    return {"program": w[side]["program"].code, "period": "2024", "code": w[side]["district"].code}


def report_file(w, side):
    return {**report(w, side), "id": w[side]["file"].pk}


def comment(w, side):
    return {"comment": "Ý kiến"}


# Return, accept, reopen: only a body above the district decides, so every role at the district gets 403.
DECISION = ApiCase(
    submission, reads=(), writes=("post",), action="review", strict=True, etag_from="api:submission", body=comment
)


API_CASES: dict[str, ApiCase] = {
    "api:schema": ApiCase(nothing, scoped=False, public=True),
    "api:docs": ApiCase(nothing, scoped=False, public=True),
    "api:organizations": ApiCase(nothing, scoped=False, listing="code"),
    "api:organization": ApiCase(code("branch")),
    "api:organization_history": ApiCase(code("district")),
    "api:workplaces": ApiCase(nothing, scoped=False, listing="code"),
    "api:workplace": ApiCase(code("workplace")),
    "api:members": ApiCase(nothing, scoped=False, listing="card_number"),
    "api:member": ApiCase(card, writes=("patch",), action="edit_members", body=lambda w, s: {"ethnicity": "Tày"}),
    "api:members_bulk": ApiCase(
        nothing, reads=(), writes=("post",), action="edit_members", scoped=False, body=lambda w, s: {"rows": []}
    ),
    "api:submissions": ApiCase(nothing, scoped=False, listing="organization", query={"period": "2024"}),
    "api:submission": ApiCase(submission),
    "api:submission_submit": ApiCase(
        submission, reads=(), writes=("post",), action="enter_data", etag_from="api:submission", body=comment
    ),
    "api:submission_return": DECISION,
    "api:submission_accept": DECISION,
    "api:submission_reopen": DECISION,
    "api:reports": ApiCase(nothing, scoped=False, listing="organization", query={"period": "2024"}),
    "api:report": ApiCase(report),
    "api:report_versions": ApiCase(report),
    # Anyone who sees the report may have its file made, as on the report page ("view").
    "api:report_files": ApiCase(report, reads=(), writes=("post",), ok=202, body=lambda w, s: {"format": "xlsx"}),
    "api:report_file": ApiCase(report_file),
    "api:report_file_download": ApiCase(report_file),
}


def api_url_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "api":
            names |= {f"api:{p.name}" for p in pattern.url_patterns if getattr(p, "name", None)}
    return names


@pytest.fixture
def api_world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    year = builders.period("2024")
    world = {}
    for side, district, branch in (("own", cast.district, cast.branch), ("sibling", cast.sibling, cast.sibling_branch)):
        program = builders.program(district, code=f"P-{district.code}")
        (tmp_path / "reports" / f"{district.code}.pdf").write_bytes(b"%PDF-1.7 test")
        world[side] = {
            "district": district,
            "branch": branch,
            "workplace": factories.make_workplace(district, code=f"W-{district.code}", branch=branch),
            "member": factories.make_member(branch, card_number=f"CARD-{district.code}"),
            "program": program,
            "file": ReportFile.objects.create(
                organization=district,
                program=program,
                period=year,
                format="pdf",
                status="done",
                path=f"reports/{district.code}.pdf",
            ),
        }
    return world


def _url(name, case, world, side="own"):
    url = reverse(name, kwargs=case.kwargs(world, side))
    return f"{url}?{urlencode(case.query)}" if case.query else url


def _send(client: Client, method: str, url: str, case: ApiCase, world, headers: dict):
    if method == "get":
        return client.get(url, headers=headers)
    headers = dict(headers)
    if method == "patch" or case.etag_from:
        source = reverse(case.etag_from, kwargs=case.kwargs(world, "own")) if case.etag_from else url
        etag = client.get(source, headers=headers).get("ETag")
        if etag:
            headers["If-Match"] = etag
    body = json.dumps(case.body(world, "own") if case.body else {})
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_every_api_route_is_listed():
    assert api_url_names() == set(API_CASES), "List every API route in API_CASES with how it is scoped"


def _refused_everywhere(world, headers: dict, expected_detail: str = ""):
    problems = []
    for name, case in sorted(API_CASES.items()):
        if case.public:
            continue
        for method in case.reads + case.writes:
            response = _send(Client(), method, _url(name, case, world), case, world, headers)
            if response.status_code != 401 or response["Content-Type"] != "application/problem+json":
                problems.append(f"{method.upper()} {name}: {response.status_code}")
            elif expected_detail and expected_detail not in response.json()["detail"]:
                problems.append(f"{method.upper()} {name}: {response.json()['detail']}")
    assert not problems, "\n".join(problems)


def test_without_a_token_every_route_is_401(api_world):
    _refused_everywhere(api_world, {})


def test_a_revoked_token_is_401_on_every_route(cast, api_world):
    text = make_token(cast.provincial)
    ApiToken.objects.update(revoked_at=timezone.now())
    _refused_everywhere(api_world, {"Authorization": f"Bearer {text}"}, "thu hồi")


def test_an_expired_token_is_401_on_every_route(cast, api_world):
    text = make_token(cast.provincial)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    _refused_everywhere(api_world, {"Authorization": f"Bearer {text}"}, "hết hạn")


def test_the_documentation_is_public(db):
    for name in ("api:schema", "api:docs"):
        assert Client().get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", sorted(n for n, c in API_CASES.items() if c.scoped))
def test_a_user_of_the_sibling_district_gets_404_on_every_node(cast, api_world, name):
    case = API_CASES[name]
    headers = {"Authorization": f"Bearer {make_token(cast.outsider)}"}
    url = _url(name, case, api_world)
    for method in case.reads + case.writes:
        response = _send(Client(), method, url, case, api_world, headers)
        assert response.status_code == 404, (name, method, response.status_code)
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("name", sorted(n for n, c in API_CASES.items() if c.listing))
def test_a_list_never_shows_the_sibling_districts_rows(cast, api_world, name):
    case = API_CASES[name]
    headers = {"Authorization": f"Bearer {make_token(cast.outsider)}"}
    url = reverse(name, kwargs=case.kwargs(api_world, "own"))
    query = case.query or {}
    rows = Client().get(url, {**query, "page_size": 1000}, headers=headers).json()["results"]
    seen = {row[case.listing] for row in rows}
    own = api_world["own"]
    assert not seen & {own["district"].code, own["branch"].code, own["workplace"].code, own["member"].card_number}
    assert seen, "the sibling sees its own rows"
    under = Client().get(url, {**query, "under": own["district"].code}, headers=headers)
    assert under.status_code == 404


@pytest.mark.parametrize("role", ["national_officer", "provincial_officer", "upper_staff", "branch_officer", "viewer"])
def test_each_role_at_the_district_gets_what_the_permission_table_says(cast, api_world, role):
    from tests.unionportal.test_url_walk import TABLE

    user = factories.make_user(f"api-walk-{role}", organization=cast.district, role=role)
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    problems = []
    for name, case in sorted(API_CASES.items()):
        url = _url(name, case, api_world)
        for method in case.reads:
            status = _send(Client(), method, url, case, api_world, headers).status_code
            if status != 200:
                problems.append(f"{role} GET {name}: {status}")
        allowed = case.action in TABLE[role] and not case.strict
        for method in case.writes:
            status = _send(Client(), method, url, case, api_world, headers).status_code
            if allowed and status != case.ok:
                problems.append(f"{role} {method.upper()} {name}: {status}, expected {case.ok}")
            if not allowed and status != 403:
                problems.append(f"{role} {method.upper()} {name}: {status}, expected 403")
    assert not problems, "\n".join(problems)
