"""A seals clerk at the 印鑑登録 counter, keyboard only: log in → open the resident's seal page
→ register a seal with its impression image (the confirmation shows the preview and the
measured size before anything is written) → 印鑑登録証 → issue the 印鑑登録証明書 (PDF text
checked) → record the card's 亡失 → re-register.  Screenshots of each screen are saved."""

from __future__ import annotations

from municloud.kernel.identity.services import add_user
from tests.e2e.conftest import screenshot
from tests.e2e.flows import PASSWORD, log_in_with_keyboard, pdf_text, tab_to, without_spaces
from tests.e2e.test_counter_flow import CertificateCatcher
from tests.factories import context
from tests.integration.seals.support import resident
from tests.unit.seals.impressions import png

IMAGE = {"name": "inkan.png", "mimeType": "image/png", "buffer": png(240)}


def open_seal_page(page, atena_no: str) -> None:
    page.keyboard.press("Alt+KeyI")  # the menu's 印鑑登録
    page.wait_for_selector("#f-atena_no:focus")
    page.keyboard.type(atena_no)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/seals/persons/{atena_no}")


def register_with_keyboard(page, size_mm: str, name: str, *, first_try: str | None = None) -> str:
    """From the seal page: the entry form, the confirmation, 登録する; returns the card number.
    With *first_try*, that size is entered first and its refusal read and fixed."""
    page.keyboard.press("Alt+KeyR")
    page.wait_for_selector("#f-size_mm")
    tab_to(page, "#f-requester")  # 本人 (checked by default): Space keeps it chosen
    page.keyboard.press("Space")
    tab_to(page, "#f-size_mm")
    page.keyboard.type(first_try or size_mm)
    page.set_input_files("#f-image", files=[IMAGE])  # the file chooser itself is the OS's
    screenshot(page, f"seals-{name}-entry")
    page.keyboard.press("Alt+KeyK")
    if first_try:
        banner = page.locator(".banner-alert").inner_text()
        assert "この申請では印鑑を登録できません" in banner and "印影が大きすぎます" in banner
        screenshot(page, f"seals-{name}-refused")
        tab_to(page, "#f-size_mm")
        page.keyboard.press("Control+A")
        page.keyboard.type(size_mm)  # the image was kept: no second upload
        page.keyboard.press("Alt+KeyK")
    page.wait_for_selector("#impression-preview")
    assert page.locator("#impression-preview").evaluate("img => img.complete && img.naturalWidth") == 240
    assert page.locator("#measured-pixels").inner_text() == "240×240ピクセル"
    assert f"{size_mm}ミリメートル" in page.locator("main").inner_text()
    assert "まだ登録されていません" in page.locator("main").inner_text()
    screenshot(page, f"seals-{name}-confirmation")
    page.keyboard.press("Alt+KeyT")
    page.wait_for_selector("#card-no")
    screenshot(page, f"seals-{name}-card")
    return page.locator("#card-no").inner_text()


def test_a_seals_clerk_registers_issues_records_a_loss_and_re_registers(live_server, page, platform, nagai):
    clerk = context(platform, nagai, "registry_clerk")
    atena_no = resident(platform, clerk, "印影　桜子", "インエイ　サクラコ", "1985-06-15", "2")
    add_user(platform.uow(nagai), context(platform, nagai, "tenant_admin"), "inkan", PASSWORD, ["seals_clerk"],
             display_name="印鑑 係")
    log_in_with_keyboard(page, live_server, "inkan", nagai)
    screenshot(page, "seals-01-home")

    open_seal_page(page, atena_no)
    screenshot(page, "seals-02-person")
    card = register_with_keyboard(page, "15", "first", first_try="30")
    assert card == "00000001"

    catcher = CertificateCatcher(page)
    page.keyboard.press("Alt+KeyC")  # 印鑑登録証明書の交付 for this person
    page.wait_for_selector("#f-card_no:focus")
    page.keyboard.type(card)
    tab_to(page, "#f-requester")
    page.keyboard.press("Space")
    tab_to(page, "#f-identity_checked")
    page.keyboard.press("Space")
    screenshot(page, "seals-03-certificate-form")
    page.keyboard.press("Alt+KeyP")
    text = without_spaces(pdf_text(catcher.pdf(page)))
    assert "印鑑登録証明書" in text and "印影桜子" in text and "昭和60年6月15日" in text

    page.goto(f"{live_server}/t/{nagai}/")  # back from the PDF viewer to the home page
    open_seal_page(page, atena_no)
    tab_to(page, "#f-reason")  # 印鑑登録証の亡失
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/end'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=まだ登録されていません")
    screenshot(page, "seals-04-loss-confirmation")
    page.keyboard.press("Alt+KeyT")
    page.wait_for_selector("text=終了しました（亡失）")
    assert "亡失" in page.locator("#seal-history-caption").locator("xpath=..").inner_text()
    screenshot(page, "seals-05-after-loss")

    card = register_with_keyboard(page, "12.5", "again")
    assert card == "00000002"
    page.keyboard.press("Alt+KeyH")
    page.wait_for_url(f"**/t/{nagai}/")
    page.goto(f"{live_server}/t/{nagai}/residents/{atena_no}")
    panel = page.locator("#panel-seals").inner_text()
    assert "登録中：登録番号 2" in panel and "亡失" in panel
    screenshot(page, "seals-06-resident-page-panel")
