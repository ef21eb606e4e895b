"""The certificate window in a real browser: a clerk, keyboard only, issues a 住民票の写し
in 2 copies after checking the requester's 運転免許証, sees the fee (300円 × 2通) on the
confirmation before issuing, gets the PDF, then issues the 領収書 from 本日の交付 and opens
the 発行番号's state and the resident's 交付履歴; the supervisor opens the day's 日計表 and
prints it.  Screenshots of each screen are saved as test artefacts."""

from __future__ import annotations

from datetime import date

from municloud.kernel.identity.services import add_user
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.certificates.schemas import CertificateRequest
from municloud.modules.registry.certificates.services import issue_certificate
from tests.e2e.conftest import screenshot
from tests.e2e.flows import (
    PASSWORD,
    log_in_with_keyboard,
    make_clerk,
    pdf_text,
    tab_to,
    without_spaces,
)
from tests.e2e.test_counter_flow import CertificateCatcher
from tests.factories import context, family


def _tenant_with_a_family(platform, tenant: str):
    admin = context(platform, tenant, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "長井　正義")):
        set_override(platform.uow(tenant), admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    return family(platform, context(platform, tenant, "registry_clerk"))


def test_a_clerk_issues_with_copies_and_identity_check_and_the_supervisor_opens_the_journal(
        live_server, page, browser, platform, nagai):
    home = _tenant_with_a_family(platform, nagai)
    head = home.atena_nos[0]
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "issuer"), nagai)

    page.goto(f"{live_server}/t/{nagai}/residents/{head}")
    page.keyboard.press("Alt+c")  # the on-screen shortcut for 証明書の交付
    page.wait_for_selector("#f-requester_name")
    tab_to(page, "#f-requester_name")
    page.keyboard.type("山田　太郎")
    tab_to(page, "#f-identity_document")
    page.keyboard.press("ArrowDown")  # マイナンバーカード
    page.keyboard.press("ArrowDown")  # 運転免許証
    assert page.locator("#f-identity_document").input_value() == "driver_license"
    tab_to(page, "#f-copies")
    page.keyboard.press("Control+a")
    page.keyboard.type("2")
    assert "1通 300円（本日現在）× 通数" in page.locator("main").inner_text()
    screenshot(page, "issuance-01-entry")

    page.keyboard.press("Alt+k")  # 入力内容を確認する（手数料を表示）
    page.wait_for_selector("button[value=issue]")
    shown = page.locator("main").inner_text()
    assert "600円（1通 300円 × 2通）" in shown and "運転免許証" in shown and "まだ交付していません" in shown
    screenshot(page, "issuance-02-confirmation-with-fee")
    catcher = CertificateCatcher(page)
    page.keyboard.press("Enter")  # 交付する has the focus
    text = pdf_text(catcher.pdf(page))
    assert "住民票の写し" in text and "山田" in without_spaces(text)

    # a public office's request, free of charge (公用), issued the same day through the same service
    issue_certificate(platform.uow(nagai), context(platform, nagai, "registry_clerk"), CertificateRequest(
        atena_no=head, requester_type="public_office", requester_name="長井警察署", purpose="捜査のため",
        fee_exemption="public_use", copies=1))

    page.goto(f"{live_server}/t/{nagai}/certificates/issued")
    shown = page.locator("main").inner_text()
    assert "手数料の合計：600円（2件、3通）" in shown and "免除：公用（国・地方公共団体の請求）" in shown
    screenshot(page, "issuance-03-todays-issuances")
    receipt = CertificateCatcher(page, "**/receipt")
    tab_to(page, "button:has-text('領収書')")
    page.keyboard.press("Enter")
    text = without_spaces(pdf_text(receipt.pdf(page)))
    assert "領収書" in text and "山田太郎様" in text and "600円" in text and "1通300円×2通" in text

    page.goto(f"{live_server}/t/{nagai}/certificates/issued")
    assert page.locator("button:has-text('領収書')").count() == 0  # issued once, its number shown instead
    tab_to(page, "tbody tr a[aria-label^='発行番号']")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=PDFの確認の状況")
    assert "発行済み（領収書の発行番号" in page.locator("main").inner_text()
    screenshot(page, "issuance-04-issue-number-state")

    page.goto(f"{live_server}/t/{nagai}/residents/{head}")
    page.get_by_role("link", name="交付履歴", exact=True).click()
    page.wait_for_selector("#issuances-caption")
    assert "（2件）" in page.locator("#issuances-caption").inner_text()
    screenshot(page, "issuance-05-residents-history")

    add_user(platform.uow(nagai), context(platform, nagai, "tenant_admin"), "kakaricho", PASSWORD,
             ["registry_supervisor"], display_name="係長 花子")
    supervisor_context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                             viewport={"width": 1280, "height": 900})
    supervisor = supervisor_context.new_page()
    supervisor.set_default_timeout(15_000)
    try:
        log_in_with_keyboard(supervisor, live_server, "kakaricho", nagai)
        supervisor.goto(f"{live_server}/t/{nagai}/")
        supervisor.locator("#main").get_by_role("link", name="交付日計表").click()
        supervisor.wait_for_selector("table.journal")
        kinds = supervisor.locator("table.journal").first.inner_text()
        assert "住民票の写し\t2\t3\t2\t1\t600円" in kinds and "合計\t2\t3\t2\t1\t600円" in kinds
        assert "公用（国・地方公共団体の請求）\t1\t1\t300円" in supervisor.locator("table.journal").nth(1).inner_text()
        screenshot(supervisor, "issuance-06-journal")
        supervisor.emulate_media(media="print")
        assert not supervisor.locator(".site-nav").is_visible() and not supervisor.locator("form").first.is_visible()
        assert supervisor.locator(".journal-head").is_visible()
        screenshot(supervisor, "issuance-07-journal-print")
    finally:
        supervisor_context.close()
