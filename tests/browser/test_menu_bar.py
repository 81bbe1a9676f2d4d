"""The menu bar on the laptops of the offices (1280 and 1366 px wide): every link and button on one row.

Between 1200 and 1400 px Bootstrap kept the page 1140 px wide, and the bar put the language, the
notifications and the log-out button on a second row (static/css/portal.css widens the page there)."""

import pytest

from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_menu_bar_holds_one_row_on_a_laptop(cast, live_server, page, width):
    # A member of staff: the widest menu (the administration's link too).
    cast.owner.is_staff = True
    cast.owner.save(update_fields=["is_staff"])
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "owner", factories.PASSWORD)

    brand = page.locator(".navbar-brand").bounding_box()
    last_link = page.locator("#mainnav .navbar-nav > li").last.bounding_box()
    log_out = page.locator("#mainnav form button[type=submit]").bounding_box()
    middle = brand["y"] + brand["height"] / 2
    for box in (last_link, log_out):
        assert box["y"] <= middle <= box["y"] + box["height"], (width, brand, box)
    # And the bar stays inside the window: nothing pushed past its right edge.
    assert log_out["x"] + log_out["width"] <= width
