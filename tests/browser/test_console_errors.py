"""The browser tests' watch on the console (tests/browser/conftest.py: ConsoleErrors) can fail.

Every page of the other browser tests is checked at the end of its test; here, errors are
provoked on purpose and must be seen, and the sign-in page itself must log none.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_logs_no_error_and_a_refused_inline_style_is_caught(live_server, page, console_errors):
    page.goto(f"{live_server.url}/login/")
    page.wait_for_load_state("load")
    assert console_errors.unexpected() == []  # htmx's indicator style is not injected any more
    page.evaluate("document.body.setAttribute('style', 'color: red')")  # refused by the CSP
    page.evaluate("console.error('a script failed')")
    page.wait_for_timeout(200)
    seen = console_errors.unexpected()
    assert any("Content Security Policy" in text for text in seen), seen
    assert any("a script failed" in text for text in seen), seen
    console_errors.allow("Content Security Policy|a script failed")  # provoked here: the teardown passes
    assert console_errors.unexpected() == []
