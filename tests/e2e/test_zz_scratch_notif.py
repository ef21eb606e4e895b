from tests.e2e.flows import PASSWORD, make_clerk, totp_code
from tests.factories import days_ago


def test_scratch(live_server, page, platform, nagai):
    username = make_clerk(platform, nagai, "scratchy")
    page.goto(live_server + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.fill("#f-code", totp_code(page))
    page.get_by_role("button", name="登録する").click()
    page.goto(f"{live_server}/t/{nagai}/notifications/new/tennyu")
    print("focused:", page.evaluate("document.activeElement.id"))
    for sel, text in (("#f-ido_date", days_ago(3)), ("#f-previous_address", "北海道"), ("#f-address-address", "山形県長井市栄町2番3号"),
                      ("#f-persons-0-shimei", "髙橋　一郎"), ("#f-persons-0-shimei_kana", "たかはし"), ("#f-persons-0-birth_date", "S55.4.1")):
        page.fill(sel, text)
    page.select_option("#f-persons-0-sex", "1")
    page.focus("#f-persons-0-sex")
    page.keyboard.press("Alt+k")
    page.wait_for_timeout(1500)
    print("url:", page.url)
    print("title:", page.title())
    page.screenshot(path="/tmp/after_altk.png", full_page=False)
    page.focus("#f-persons-0-birth_date") if page.locator("#f-persons-0-birth_date").count() else None
    page.goto(f"{live_server}/t/{nagai}/notifications/new/tennyu")
    for sel, text in (("#f-ido_date", days_ago(3)), ("#f-previous_address", "北海道"), ("#f-address-address", "山形県長井市栄町2番3号"),
                      ("#f-persons-0-shimei", "髙橋　一郎"), ("#f-persons-0-shimei_kana", "たかはし"), ("#f-persons-0-birth_date", "S55.4.1")):
        page.fill(sel, text)
    page.select_option("#f-persons-0-sex", "1")
    page.focus("#f-persons-0-birth_date")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    print("after enter url:", page.url, page.title())
    print("focused:", page.evaluate("document.activeElement.outerHTML"))
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    print("after enter2:", page.url, page.title())
    page.screenshot(path="/tmp/result.png")
