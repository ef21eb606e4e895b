"""Steps a clerk takes in the browser, shared by the mouse and keyboard-only tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pyotp

from municloud.kernel.identity.services import add_user
from tests.factories import context

PASSWORD = "counter-password-2026"
NEWCOMER = "辻\U000E0102　花子"  # 辻 with its Moji_Joho IVS: must survive into the PDF text
NEWCOMER_KANA = "つじ　はなこ"


def make_clerk(platform, tenant: str, username: str = "madoguchi") -> str:
    add_user(platform.uow(tenant), context(platform, tenant, "tenant_admin"), username, PASSWORD,
             ["registry_clerk"], display_name="窓口 太郎")
    return username


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until *selector* has the focus (fails if the tab order never reaches it)."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


def totp_code(page) -> str:
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    assert secret, "the enrolment screen shows the secret for manual entry"
    return pyotp.TOTP(secret).now()


def log_in_with_keyboard(page, live_server: str, username: str, tenant: str) -> None:
    """Log in as *username* (password, then the one-time password) with the keyboard only."""
    page.goto(live_server + "/login")
    tab_to(page, "#f-username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-code")
    tab_to(page, "#f-code")
    page.keyboard.type(totp_code(page))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/t/{tenant}/**")


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF"), f"a PDF was returned, not {pdf[:120]!r} ({len(pdf)} bytes)"
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is installed by make test"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cert.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout


def without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)
