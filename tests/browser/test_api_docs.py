"""The API's documentation page (Swagger UI from drf-spectacular-sidecar) under the portal's Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_documentation_renders_every_route_without_a_console_error(live_server, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/members/bulk/")
    assert page.locator(".opblock").count() >= 9
    others = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert others == [], f"assets from other sites: {others}"
