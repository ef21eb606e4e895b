"""What every screen must be: Japanese, labelled, keyboard-operable, and sent with
security headers (no framing, own scripts only, no caching of personal data)."""

from __future__ import annotations

import pytest

from municloud.web.screens.security import CSP
from tests.factories import family
from tests.integration.screens.helpers import html_lang, text_of, unlabelled_fields

SCREENS = {
    "registry_supervisor": ["/t/{t}/", "/t/{t}/residents", "/t/{t}/residents?q=ヤマダ",
                            "/t/{t}/residents?birth_date=昭和64年1月8日", "/t/{t}/residents/{atena}",
                            "/t/{t}/households/{setai}", "/t/{t}/admin/parameters", "/t/{t}/late-notifications",
                            "/t/{t}/late-notifications?since=x"],
    "auditor": ["/t/{t}/audit", "/t/{t}/audit?since=x"],
    "tenant_admin": ["/t/{t}/admin/users", "/t/{t}/admin/parameters", "/t/{t}/admin/api-clients"],
    "seals_clerk": ["/t/{t}/seals", "/t/{t}/seals/persons/{atena}", "/t/{t}/seals/new?atena_no={atena}",
                    "/t/{t}/seals/new", "/t/{t}/seals/certificates/new", "/t/{t}/seals/certificates/new?atena_no={atena}"],
}


@pytest.fixture
def pages(signed_in, browser, platform, nagai, clerk):
    result = family(platform, clerk)
    found = {}
    anonymous = browser()
    for url in ("/login",):
        found[url] = anonymous.get(url)
    for role, urls in SCREENS.items():
        b = signed_in(nagai, role)
        for url in urls:
            url = url.format(t=nagai, atena=result.atena_nos[0], setai=result.setai_nos[0])
            found[url] = b.get(url)
    return found


def test_every_screen_is_japanese_with_a_label_for_every_field(pages):
    for url, response in pages.items():
        assert response.status_code in (200, 422), url
        assert html_lang(response.text) == "ja", url
        assert unlabelled_fields(response.text) == [], url
        assert '<a class="skip-link" href="#main">' in response.text and 'id="main"' in response.text, url
        assert '<script src="/static/shortcuts.js" defer></script>' in response.text, url
        assert "<style" not in response.text and "style=" not in response.text, url  # CSP: no inline styles
        forms = response.text.split("<form")[1:]
        assert all('type="submit"' in f.split("</form>")[0] for f in forms), url  # Enter submits


def test_every_screen_is_sent_with_the_security_headers(pages):
    for url, response in pages.items():
        assert response.headers["x-frame-options"] == "DENY", url
        assert response.headers["content-security-policy"] == CSP, url
        assert response.headers["referrer-policy"] == "no-referrer", url
        assert response.headers["cache-control"] == "no-store", url
    assert "script-src 'self'" in CSP and "img-src 'self' data:" in CSP and "unsafe-inline" not in CSP


def test_signed_in_screens_list_their_keyboard_shortcuts(pages, nagai):
    for url, response in pages.items():
        if url == "/login":
            continue
        text = text_of(response.text)
        assert "キーボード操作" in text and "Alt+L：ログアウト" in text, url
        assert "Alt+H：この団体のホーム" in text, url
    home = text_of(pages[f"/t/{nagai}/"].text)
    assert "Alt+S：住民検索" in home and "Alt+N：異動届の入力" in home and "Alt+C：証明書の交付" in home


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(pages, nagai):
    page = pages[f"/t/{nagai}/residents?birth_date=昭和64年1月8日"].text
    summary = page.index('class="error-summary" role="alert"')
    assert page.index("<main") < summary < page.index('role="search"') and 'href="#f-birth_date"' in page
    assert 'aria-describedby="f-birth_date-error"' in page


def test_the_stylesheet_and_the_shortcut_script_are_served_locally(browser):
    b = browser()
    css = b.get("/static/screens.css")
    assert css.status_code == 200 and "IPAexGothic" in css.text and "Noto Sans CJK JP" in css.text
    assert ":focus" in css.text and "outline: 0.25rem" in css.text and "http" not in css.text
    js = b.get("/static/shortcuts.js")
    assert js.status_code == 200 and "altKey" in js.text and "data-shortcut" in js.text


def test_an_unknown_screen_url_is_a_japanese_page_and_the_api_stays_json(browser):
    b = browser()
    page = b.get("/no-such-screen", headers={"accept": "text/html"})
    assert page.status_code == 404 and '<html lang="ja">' in page.text and "ページが見つかりません" in page.text
    api = b.get("/api/v1/no-such-thing", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["code"] == "NOT_FOUND"
    assert "content-security-policy" not in b.get("/docs").headers  # Swagger UI comes from a CDN
