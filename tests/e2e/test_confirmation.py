"""The confirmation step in a real browser, keyboard only: 入力内容を確認する (Alt+K) runs the
registration as a dry run and the error summary lists every problem at once — a future
異動日, a partial move without a household, an over-long 方書 — with links that move the
focus to each field; after fixing them the confirmation page appears and 登録する registers."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.e2e.flows import log_in_with_keyboard, make_clerk, tab_to
from tests.factories import context, days_ago, family, registry_footprint


def test_every_problem_is_shown_at_the_confirmation_step_with_the_keyboard(live_server, page, platform, nagai):
    home = family(platform, context(platform, nagai, "registry_clerk"), days=60)
    child = home.atena_nos[2]
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "confirmer"), nagai)
    page.goto(f"{live_server}/t/{nagai}/notifications/new/tenkyo?setai_no={home.setai_nos[0]}")
    tab_to(page, "#f-ido_date")
    page.keyboard.type(days_ago(-5))  # a future date
    tab_to(page, "#f-address-address")
    page.keyboard.type("山形県長井市栄町5番1号")
    tab_to(page, "#f-address-katagaki")
    page.keyboard.type("メゾン長井" * 41)  # 205 characters
    for atena_no in home.atena_nos[:2]:  # only the child moves: untick the others
        tab_to(page, f"input[name=atena_nos][value='{atena_no}']")
        page.keyboard.press("Space")
    assert page.locator(f"input[name=atena_nos][value='{child}']").is_checked()
    before = registry_footprint(platform, nagai)
    page.keyboard.press("Alt+k")
    page.wait_for_selector(".error-summary")
    screenshot(page, "12-confirmation-every-problem")

    links = page.locator(".error-summary a")
    targets = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert {"#f-ido_date", "#f-new_household", "#f-address-katagaki"} <= targets
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert not page.locator("button[value=register]").count()  # not the confirmation page
    after = registry_footprint(platform, nagai)
    after.pop("audit_success"), before.pop("audit_success")
    assert after == before  # nothing written, no number taken

    page.locator(".error-summary a[href='#f-ido_date']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "f-ido_date"
    page.keyboard.press("Control+a")
    page.keyboard.type(days_ago(3))
    tab_to(page, "#f-address-katagaki")
    page.keyboard.press("Control+a")
    page.keyboard.type("メゾン長井201")
    tab_to(page, "input[name=new_household]")
    page.keyboard.press("Space")
    tab_to(page, "#f-new_head-none")  # the radio group's tab stop; the arrow keys choose within it
    page.keyboard.press("ArrowUp")
    assert page.locator(f"input[name=new_head][value='{child}']").is_checked()
    page.keyboard.press("Alt+k")
    page.wait_for_selector("button[value=register]")
    assert "このまま登録できる" in page.content()
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=異動番号")
