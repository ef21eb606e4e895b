"""The tax office's journey in the browser, keyboard only: the supervisor starts the 当初賦課
and reads its summary; the tax officer finds a taxpayer, corrects the 課税資料 (confirmation →
登録, the 修正履歴 shows who changed what) and runs a 試算; the supervisor 更正s with a reason;
the officer sees the new revision and prints the 税額決定通知書.  Screenshots of each screen
are kept (``test-artifacts/screenshots/tax-*.png``)."""

from __future__ import annotations

from datetime import date

from municloud.kernel.identity.services import add_user
from municloud.modules.tax.inputs import PersonInput
from municloud.modules.tax.services.inputs import load_inputs
from tests.e2e.conftest import screenshot
from tests.e2e.flows import PASSWORD, log_in_with_keyboard, pdf_text, tab_to, without_spaces
from tests.factories import context, person
from tests.integration.tax.support import resident_since, setup_tenant

YEAR = 2026


class PdfCatcher:
    """Keeps the bytes of the notice form's answer (the browser then shows its PDF viewer)."""

    def __init__(self, page) -> None:
        self.bodies: list[bytes] = []
        page.route("**/notice", self._handle)

    def _handle(self, route) -> None:
        response = route.fetch()
        self.bodies.append(response.body())
        route.fulfill(response=response)

    def pdf(self, page) -> bytes:
        for _ in range(100):
            if self.bodies:
                return self.bodies[-1]
            page.wait_for_timeout(100)
        raise AssertionError("the notice form was not answered")


def _user(platform, tenant, username, role, name):
    add_user(platform.uow(tenant), context(platform, tenant, "tenant_admin"), username, PASSWORD, [role],
             display_name=name)


def _new_page(browser):
    ctx = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    return page


def test_the_tax_office_journey_with_the_keyboard_only(live_server, browser, platform):
    tenant = setup_tenant(platform)
    clerk = context(platform, tenant, "registry_clerk")
    atena = resident_since(platform, clerk, date(2025, 10, 1), person("納税　一郎", "ノウゼイ　イチロウ")).atena_nos[0]
    load_inputs(platform.uow(tenant), context(platform, tenant, "tax_officer"), YEAR,
                [PersonInput(atena, {"salary_income": 4_000_000, "social_insurance": 500_000})])
    _user(platform, tenant, "zeimu-sekinin", "tax_supervisor", "税務 責任者")
    _user(platform, tenant, "zeimu-tanto", "tax_officer", "税務 担当")
    base = f"{live_server}/t/{tenant}"

    # The supervisor starts the 当初賦課 and reads its summary.
    boss = _new_page(browser)
    log_in_with_keyboard(boss, live_server, "zeimu-sekinin", tenant)
    assert "当初賦課（一括）" in boss.inner_text("nav")
    boss.goto(f"{base}/tax/batch")
    screenshot(boss, "tax-01-batch")
    boss.keyboard.press("Alt+k")  # 当初賦課を開始する
    boss.wait_for_selector("text=集計を見る")  # the progress page refreshes itself until done
    screenshot(boss, "tax-02-batch-progress-done")
    boss.keyboard.press("Alt+r")
    boss.wait_for_selector("text=非課税（理由別）")
    assert "1人" in boss.inner_text("main")
    screenshot(boss, "tax-03-batch-summary")

    # The officer finds the taxpayer and corrects the 課税資料.
    page = _new_page(browser)
    log_in_with_keyboard(page, live_server, "zeimu-tanto", tenant)
    page.keyboard.press("Alt+z")  # 納税者の検索
    page.wait_for_selector("#f-atena_no")
    page.keyboard.type(atena)  # the field has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("text=納税　一郎")
    screenshot(page, "tax-04-search")
    page.keyboard.press("Alt+i")  # 課税資料
    page.wait_for_selector("text=修正履歴（誰が・いつ・何を）")
    page.keyboard.press("Alt+e")  # 課税資料を修正する
    page.wait_for_selector("#f-salary_income")
    assert page.evaluate("document.activeElement.id") == "f-salary_income"
    page.keyboard.press("Control+a")
    page.keyboard.type("4,300,000")
    tab_to(page, "#f-reason")
    page.keyboard.type("給与支払報告書の訂正（12月1日受付）")
    screenshot(page, "tax-05-input-entry")
    page.keyboard.press("Alt+k")  # 入力内容を確認する
    page.wait_for_selector("text=変更点（変更前 → 変更後）")
    assert "4,300,000円" in page.inner_text("main")
    screenshot(page, "tax-06-input-confirm")
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=課税資料を修正しました")
    history = page.inner_text("main")
    assert "給与収入：4,000,000円 → 4,300,000円" in history and "zeimu-tanto" in history
    screenshot(page, "tax-07-input-history")

    # 試算 with the same figures.
    page.goto(f"{base}/tax/calc")
    page.keyboard.type("45")  # 本人の年齢 has the focus
    tab_to(page, "#f-salary_income")
    page.keyboard.type("4300000")
    tab_to(page, "#f-social_insurance")
    page.keyboard.type("500000")
    page.keyboard.press("Alt+k")  # 計算する
    page.wait_for_selector("text=試算の結果")
    calc = page.inner_text("main")
    assert "課税標準額（1,000円未満切捨て）" in calc and "地方税法" in calc
    screenshot(page, "tax-08-calc")
    page.emulate_media(media="print")
    screenshot(page, "tax-09-calc-print")
    assert not page.locator("form.no-print").is_visible()
    page.emulate_media(media="screen")

    # The supervisor 更正s with a reason (the officer's role may not).
    boss.goto(f"{base}/tax/{YEAR}/results/{atena}")
    boss.keyboard.press("Alt+u")  # 更正する
    boss.wait_for_selector("#f-reason")
    tab_to(boss, "#f-reason")
    boss.keyboard.type("給与支払報告書の訂正による更正")
    boss.keyboard.press("Alt+k")
    boss.wait_for_selector("text=更正後の年税額")
    screenshot(boss, "tax-10-reassess-confirm")
    boss.keyboard.press("Enter")  # 更正を登録する has the focus
    boss.wait_for_selector("text=更正を登録しました")

    # The officer sees the new revision with its trace and prints the notice.
    page.goto(f"{base}/tax/{YEAR}/results/{atena}")
    main = page.inner_text("main")
    assert "第2回の決定（現在の決定）" in main and "給与支払報告書の訂正による更正" in main
    screenshot(page, "tax-11-results")
    catcher = PdfCatcher(page)
    page.keyboard.press("Alt+p")  # 税額決定通知書を印刷（PDF）
    text = without_spaces(pdf_text(catcher.pdf(page)))
    assert "税額変更通知書" in text and "納税一郎" in text and "給与支払報告書の訂正による更正" in text  # a 更正 prints as a 変更通知書
    boss.context.close()
    page.context.close()
