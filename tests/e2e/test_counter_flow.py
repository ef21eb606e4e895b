"""A clerk's morning in a real browser: log in with the second factor → search → register
a 転入 → issue a 住民票の写し → open the PDF and find the name; then all of it again with
the keyboard only.  Screenshots of each main screen are saved as test artefacts."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.e2e.flows import (
    NEWCOMER,
    NEWCOMER_KANA,
    PASSWORD,
    log_in_with_keyboard,
    make_clerk,
    pdf_text,
    tab_to,
    totp_code,
    without_spaces,
)
from tests.factories import days_ago


class CertificateCatcher:
    """Keeps the bytes of the answers to posts to *pattern* — the certificate form's by
    default, a 領収書's too — (the browser then shows the PDF in its viewer, whose page is
    not the PDF itself)."""

    def __init__(self, page, pattern: str = "**/certificates/new*") -> None:
        self.bodies: list[bytes] = []
        page.route(pattern, self._handle)

    def _handle(self, route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        self.bodies.append(response.body())
        route.fulfill(response=response)

    def pdf(self, page) -> bytes:
        page.wait_for_timeout(200)
        for _ in range(50):
            if self.bodies:
                return self.bodies[-1]
            page.wait_for_timeout(100)
        raise AssertionError("the certificate form was not answered")


def test_a_clerk_registers_a_move_in_and_issues_a_juminhyo_with_the_mouse(live_server, page, platform, nagai):
    username = make_clerk(platform, nagai)
    page.goto(live_server + "/login")
    screenshot(page, "01-login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    assert page.locator("svg").first.is_visible()  # the enrolment QR code
    screenshot(page, "02-second-factor-enrolment")
    page.fill("#f-code", totp_code(page))
    page.get_by_role("button", name="登録する").click()
    assert page.url.rstrip("/").endswith(f"/t/{nagai}")
    screenshot(page, "03-home")

    page.goto(f"{live_server}/t/{nagai}/residents?q=ツジ")
    assert "該当する方はいません" in page.content() or page.locator("tbody tr").count() == 0
    screenshot(page, "04-search-empty")

    page.goto(f"{live_server}/t/{nagai}/notifications/new/tennyu")
    page.fill("#f-ido_date", days_ago(3))
    page.fill("#f-todoke_date", days_ago(2))
    page.fill("#f-previous_address", "東京都千代田区千代田1番1号")
    page.fill("#f-address-address", "山形県長井市本町一丁目1番1号")
    page.fill("#f-persons-0-shimei", NEWCOMER)
    page.fill("#f-persons-0-shimei_kana", NEWCOMER_KANA)
    page.fill("#f-persons-0-birth_date", "平成2年4月1日")
    page.select_option("#f-persons-0-sex", "2")
    screenshot(page, "05-tennyu-entry")
    page.get_by_role("button", name="入力内容を確認する").click()
    screenshot(page, "06-tennyu-confirm")
    page.get_by_role("button", name="登録する").click()
    screenshot(page, "07-tennyu-registered")

    page.goto(f"{live_server}/t/{nagai}/residents?q=ツジ")
    page.locator("tbody tr a").first.click()
    assert NEWCOMER in page.content()
    screenshot(page, "08-resident")

    page.locator("#main").get_by_role("link", name="証明書の交付").click()
    screenshot(page, "09-certificate-form")
    page.fill("#f-requester_name", NEWCOMER)
    page.get_by_role("button", name="入力内容を確認する（手数料を表示）").click()
    assert "300円（1通 300円 × 1通）" in page.locator("main").inner_text()  # the fee, before issuing
    catcher = CertificateCatcher(page)
    page.get_by_role("button", name="交付する（PDFを表示）").click()
    text = pdf_text(catcher.pdf(page))
    screenshot(page, "10-certificate-pdf")
    # 氏 and 名 each come back with their exact code points (the IVS included); the
    # フリガナ printed above each of them may be extracted between the two
    assert all(part in without_spaces(text) for part in NEWCOMER.split("　"))
    assert "住民票の写し" in text


def test_the_same_flow_with_the_keyboard_only(live_server, page, platform, nagai):
    username = make_clerk(platform, nagai, "keyboard")
    log_in_with_keyboard(page, live_server, username, nagai)

    page.goto(f"{live_server}/t/{nagai}/notifications/new/tennyu")
    for selector, text in (
        ("#f-ido_date", days_ago(3)),
        ("#f-todoke_date", days_ago(2)),
        ("#f-previous_address", "北海道札幌市中央区北1条西2丁目"),
        ("#f-address-address", "山形県長井市栄町2番3号"),
        ("#f-persons-0-shimei", "髙橋　一郎"),
        ("#f-persons-0-shimei_kana", "たかはし　いちろう"),
        ("#f-persons-0-birth_date", "S55.4.1"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "#f-persons-0-sex")
    page.keyboard.press("ArrowDown")  # 男
    assert page.locator("#f-persons-0-sex").input_value() == "1"
    page.keyboard.press("Alt+k")  # the listed shortcut: 入力内容を確認する (Enter on a select does not submit)
    page.wait_for_selector("button[value=register]")
    screenshot(page, "10-keyboard-confirm")
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=異動番号")
    screenshot(page, "11-keyboard-registered")

    page.goto(f"{live_server}/t/{nagai}/residents")
    tab_to(page, "#f-q")
    page.keyboard.type("高橋")  # 新字 finds the 旧字 髙橋
    page.keyboard.press("Enter")
    page.wait_for_selector("tbody tr a")
    tab_to(page, "tbody tr a")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=証明書の交付")
    page.keyboard.press("Alt+c")  # the on-screen shortcut for 証明書の交付
    page.wait_for_selector("#f-requester_name")
    tab_to(page, "#f-requester_name")
    page.keyboard.type("髙橋　一郎")
    page.keyboard.press("Enter")  # 入力内容を確認する: the confirmation with the fee
    page.wait_for_selector("button[value=issue]")
    catcher = CertificateCatcher(page)
    page.keyboard.press("Enter")  # 交付する has the focus
    text = pdf_text(catcher.pdf(page))
    assert "髙橋" in text and "一郎" in text
