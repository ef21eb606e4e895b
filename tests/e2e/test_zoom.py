"""Readable at 200% zoom: a 1280-pixel screen at 200% lays pages out in 640 CSS pixels.

The main screens must reflow into that width without a horizontal scroll bar for the page
itself (wide tables may scroll inside their own box)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.flows import PASSWORD, make_clerk, totp_code
from tests.factories import family


@pytest.fixture
def zoomed(browser):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 640, "height": 900},
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_main_screens_reflow_at_200_percent(live_server, zoomed, platform, nagai, clerk):
    result = family(platform, clerk)
    username = make_clerk(platform, nagai, "zoom")
    page = zoomed
    page.goto(live_server + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-code")
    page.fill("#f-code", totp_code(page))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/t/{nagai}/**")
    screens = {
        "home": f"/t/{nagai}/",
        "search": f"/t/{nagai}/residents?q=ヤマダ",
        "resident": f"/t/{nagai}/residents/{result.atena_nos[0]}",
        "tennyu": f"/t/{nagai}/notifications/new/tennyu",
        "certificate": f"/t/{nagai}/certificates/new?atena_no={result.atena_nos[0]}",
    }
    for name, path in screens.items():
        page.goto(live_server + path)
        screenshot(page, f"20-zoom200-{name}")
        assert overflow(page) <= 1, f"{name} needs a horizontal scroll bar at 200% zoom"
