"""No control character in an address makes a server error: every URL pattern of the project is walked.

A NUL ("%00") in a code, looked up on PostgreSQL, used to fail with a 500 ("A string literal
cannot contain NUL (0x00) characters"). Each path parameter of every URL, the admin's
included, is given values with NUL and other control characters, for GET and POST, as a
superuser and as an officer; a query string with them goes to every page too. The answer is
the portal's 404 or 400 page, never a 500. Run on PostgreSQL as well as SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.unionportal.test_url_walk import CASES, world  # noqa: F401 - world is a fixture used here

# Values put in place of a path parameter. A valid code with a NUL after it reaches the
# lookup with a plausible prefix; every control character is refused on its own below.
HOSTILE = ("\x00", "{valid}\x00", "\x01{valid}", "\x1f", "\x7f", "\x85")
# Every query parameter a view of the portal reads, each given a NUL.
QUERY_PARAMETERS = (
    "org",
    "under",
    "q",
    "period",
    "year",
    "status",
    "branch",
    "upper_union",
    "indicator",
    "sector",
    "sort",
    "dir",
    "page",
    "kind",
    "version",
    "level",
    "gender",
    "role",
    "trained",
    "unionized",
    "inactive",
    "all",
    "next",
)
# Path parameters whose converter only takes digits (or a fixed list): such a URL cannot carry
# a control character to its view, the resolver answers 404 first.
DEFAULTS = {"app_label": "organizations", "content_type_id": "1"}


def every_pattern() -> Iterator[tuple[str, list[str]]]:
    """(name, path parameters) of every named URL pattern, the admin's included."""

    def walk(patterns, namespace: str | None, parameters: list[str]):
        for pattern in patterns:
            here = [*parameters, *_parameters(pattern)]
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, here)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), here

    yield from walk(get_resolver().url_patterns, None, [])


def _parameters(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def valid_kwargs(name: str, parameters: list[str], objects: dict) -> dict:
    """Values that lead to the own district's objects of the `world` fixture."""
    case = CASES.get(name)
    if case is not None:
        return case.kwargs(objects, "own")
    return {parameter: DEFAULTS.get(parameter, "1") for parameter in parameters}


def hostile_urls(objects: dict) -> Iterator[tuple[str, str, str]]:
    """(name, parameter, URL) with one parameter replaced by a hostile value, the others valid."""
    for name, parameters in sorted(every_pattern()):
        kwargs = valid_kwargs(name, parameters, objects)
        for parameter in parameters:
            valid = str(kwargs[parameter])
            for template in HOSTILE:
                try:
                    url = reverse(name, kwargs={**kwargs, parameter: template.format(valid=valid)})
                except NoReverseMatch:
                    continue  # a digits-only (or fixed-list) parameter: see DEFAULTS
                yield name, parameter, url


@pytest.fixture
def superuser(db):
    return factories.make_user("root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("who", ["superuser", "officer"])
def test_no_path_parameter_with_a_control_character_makes_a_server_error(cast, superuser, world, who):  # noqa: F811
    user = superuser if who == "superuser" else cast.owner
    client = Client(raise_request_exception=False)
    client.force_login(user)
    problems, reached = [], set()
    for name, parameter, url in hostile_urls(world):
        reached.add((name, parameter))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (400, 404):
                problems.append(f"{method.upper()} {name} ({parameter}) {url}: {status}")
    assert not problems, "\n".join(problems)
    # The walk did reach the pages of the report that found this, and the admin's.
    assert {
        ("organizations:detail", "code"),
        ("members:detail", "card_number"),
        ("organizations:workplace_detail", "code"),
        ("indicators:program", "code"),
        ("reports:organization", "code"),
        ("indicators:grid", "code"),
        ("indicators:cell", "row"),
        ("audit:member", "card_number"),
        ("admin:organizations_organization_change", "object_id"),
    } <= reached


@pytest.mark.parametrize("who", ["superuser", "officer"])
def test_no_query_string_with_a_control_character_makes_a_server_error(cast, superuser, world, who):  # noqa: F811
    user = superuser if who == "superuser" else cast.owner
    client = Client(raise_request_exception=False)
    client.force_login(user)
    query = "&".join(f"{parameter}=%00" for parameter in QUERY_PARAMETERS)
    problems = []
    for name, parameters in sorted(every_pattern()):
        url = reverse(name, kwargs=valid_kwargs(name, parameters, world))
        for method in ("get", "post"):
            status = getattr(client, method)(f"{url}?{query}").status_code
            if status not in (400, 404):
                problems.append(f"{method.upper()} {name} {url}?{query}: {status}")
    assert not problems, "\n".join(problems)


CONTROL = [*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0))]


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_each_control_character_is_refused_in_the_path(cast, login, character):
    assert login(cast.owner).get(f"/organizations/XP-A{quote(character)}/").status_code == 404


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_each_control_character_but_tab_and_line_breaks_is_refused_in_the_query_string(cast, login, character):
    status = login(cast.owner).get(f"/organizations/?q=XP{quote(character)}").status_code
    assert status == (200 if character in "\t\n\r" else 400)


def test_the_refusals_are_the_portals_own_pages_in_vietnamese(cast, login):
    client = login(cast.owner)
    not_found = client.get("/organizations/%00/")
    assert not_found.status_code == 404
    assert "Không tìm thấy trang" in not_found.content.decode()
    bad = client.get("/data/?org=%00")
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "ký tự điều khiển" in page
    assert "\x00" not in page


def test_an_anonymous_visitor_is_refused_the_same(db):
    client = Client()
    assert client.get("/members/%00/").status_code == 404
    assert client.get("/imports/members/export/?under=%00").status_code == 400


def test_vietnamese_text_in_an_address_is_not_refused(cast, login):
    assert login(cast.owner).get("/members/?q=" + quote("Nguyễn Thị")).status_code == 200


def test_a_forged_session_cookie_with_a_nul_is_no_session(db):
    client = Client(raise_request_exception=False, HTTP_COOKIE='sessionid="\\000\\000\\000\\000\\000\\000\\000\\000"')
    response = client.get("/organizations/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_real_session_still_works(cast, login):
    assert login(cast.owner).get("/organizations/").status_code == 200
