"""情報セキュリティの心得 in a real browser, keyboard only: a clerk logs in, the home page says
the current guide is not yet confirmed, the clerk opens it from that notice, reads to the
end (it also prints, with a line to sign) and presses 「内容を理解しました」; the notice is gone from the home page.  Screenshots:
``test-artifacts/screenshots/security-guide-*.png``."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.e2e.flows import log_in_with_keyboard, make_clerk, tab_to
from tests.factories import audit_entries


def test_a_clerk_reads_and_acknowledges_the_guide_with_the_keyboard(live_server, page, platform, nagai):
    clerk = make_clerk(platform, nagai, "dokusha")
    log_in_with_keyboard(page, live_server, clerk, nagai)
    page.wait_for_selector("#guide-due")
    screenshot(page, "security-guide-01-home-notice")

    tab_to(page, "#guide-due a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/security-guide")
    screenshot(page, "security-guide-02-guide")
    page.emulate_media(media="print")  # printed: the words and a line to sign, no menu, no button
    assert not page.locator(".site-nav").is_visible() and not page.locator("#guide-status").is_visible()
    assert page.locator(".print-only").is_visible() and page.locator("#g10").is_visible()
    assert not page.locator('#main form button[type="submit"]').is_visible()
    page.emulate_media(media="screen")

    tab_to(page, '#main form[action$="/security-guide/acknowledge"] button[type="submit"]', limit=120)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=確認したことを記録しました")
    assert "確認済み" in page.inner_text("#guide-status")
    screenshot(page, "security-guide-03-acknowledged")

    page.keyboard.press("Alt+h")
    page.wait_for_selector("text=行う業務を選んでください")
    assert page.locator("#guide-due").count() == 0
    [entry] = audit_entries(platform, nagai, "kernel:security_guide:acknowledge")
    assert entry.actor == clerk
