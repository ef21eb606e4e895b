"""The browser harness works: Debian's Chromium opens the app's first page."""

from __future__ import annotations

from tests.e2e.conftest import screenshot


def test_chromium_opens_the_first_page_in_japanese(live_server, page):
    response = page.goto(live_server + "/")
    assert response is not None and response.ok
    assert page.locator("html").get_attribute("lang") == "ja"
    assert screenshot(page, "00-first-page").stat().st_size > 1000
