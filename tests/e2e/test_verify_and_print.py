"""Paper in and paper out: a bank checks a certificate from its QR code on a phone (/verify at
375 CSS pixels, the site's own stylesheet, no horizontal scroll), and a clerk prints the
resident page without the site's header, menu, buttons or footer (print media)."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.flows import log_in_with_keyboard, make_clerk, pdf_text, without_spaces
from tests.factories import family
from tests.integration.certificates.helpers import issue, printed_code

PHONE = {"width": 375, "height": 812}
BRAND = "rgb(11, 61, 145)"  # --brand of screens.css: the site's header


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def readable_on_the_phone(page, name: str) -> None:
    screenshot(page, name)
    assert page.evaluate("window.innerWidth") == PHONE["width"]  # the viewport meta is honoured
    assert overflow(page) <= 0, f"{name}: the page scrolls sideways on a phone"
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") == BRAND
    assert page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16


def test_a_bank_checks_a_certificate_on_a_phone(live_server, browser, platform, nagai, clerk):
    household = family(platform, clerk)
    cert = issue(platform, clerk, setai_no=household.setai_nos[0])
    code = printed_code(cert.pdf)
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server}/verify/{cert.issue_no}")  # the number typed in: the code is asked for
        readable_on_the_phone(page, "30-verify-phone-ask")
        page.fill("#code", code)
        page.get_by_role("button", name="確認する").click()
        page.wait_for_selector("dl.record")
        assert cert.issue_no in page.content() and "住民票の写し" in page.content() and "長井市" in page.content()
        assert "山田" not in page.content()  # never any personal data
        readable_on_the_phone(page, "31-verify-phone-confirmed")

        page.set_input_files("#file", files=[{"name": "juminhyo.pdf", "mimeType": "application/pdf",
                                              "buffer": cert.pdf}])
        page.get_by_role("button", name="照合する").click()
        page.wait_for_selector(".verify-result--match")
        readable_on_the_phone(page, "32-verify-phone-matched")
    finally:
        context.close()


def test_printing_the_resident_page_leaves_out_the_menus_and_buttons(live_server, page, platform, nagai, clerk):
    household = family(platform, clerk)
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "printer"), nagai)
    page.goto(f"{live_server}/t/{nagai}/residents/{household.atena_nos[0]}")
    screen_only = [".site-header", ".site-nav", ".shortcuts", ".site-footer", "#main .actions"]
    assert all(page.locator(selector).is_visible() for selector in screen_only)

    page.emulate_media(media="print")
    for selector in screen_only:
        assert not page.locator(selector).is_visible(), f"{selector} is printed"
    assert page.locator("#main h1").is_visible() and page.locator("dl.record").is_visible()
    assert page.locator("#history-caption").is_visible()
    screenshot(page, "33-resident-print-media")

    paper = page.pdf(format="A4", landscape=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "33-resident-print.pdf").write_bytes(paper)
    text = without_spaces(pdf_text(paper))
    assert "山田太郎" in text and "住民票の履歴" in text
    for absent in ("ログアウト", "住民検索", "異動届の入力", "キーボード操作", "操作はすべて記録されます"):
        assert absent not in text, absent
