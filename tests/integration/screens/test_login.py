"""Log-in through the screens: password, then a mandatory second factor (TOTP)."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from municloud.kernel.identity.accounts import link_user
from municloud.kernel.identity.orm import User, WebSession
from tests.factories import audit_entries, operator_context
from tests.integration.screens.helpers import PASSWORD, csrf_of, make_user, text_of


def test_the_root_sends_a_visitor_to_the_log_in_screen(browser):
    b = browser()
    response = b.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/home"
    response = b.get("/home")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    page = b.get("/login")
    assert page.status_code == 200 and "ログイン" in page.text and 'name="username"' in page.text


def test_a_first_log_in_enrols_the_second_factor_with_a_qr_code(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    assert b.password(name).headers["location"] == "/login/second-factor"
    page = b.second_factor_page(name)
    assert "<svg" in page and "二要素認証の登録" in page
    assert "style=" not in page  # qr_svg's inline style would be refused by the CSP
    secret = b.secrets[name]
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    assert grouped in page  # for manual entry, in groups of four
    assert pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="municloud")
    response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name),
                                                           "csrf_token": csrf_of(page)})
    assert response.status_code == 303 and response.headers["location"] == f"/t/{nagai}/"
    home = b.get(f"/t/{nagai}/")
    assert home.status_code == 200 and "住民検索" in home.text
    with platform.session_factory() as s:
        assert s.scalar(select(User.totp_enrolled_at).where(User.username == name)) is not None
    actions = [e.action for e in audit_entries(platform, nagai)]
    assert "kernel:auth:totp_enrolled" in actions and "kernel:auth:second_factor" in actions


def test_an_enrolled_user_is_asked_only_for_the_code(browser, platform, nagai):
    name = make_user(platform, nagai, "registry_clerk")
    browser().login(name)
    b = browser()
    b.password(name)
    page = b.second_factor_page(name)
    assert "<svg" not in page and "ワンタイムパスワード" in page
    response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name), "csrf_token": csrf_of(page)})
    assert response.status_code == 303


def test_a_password_alone_does_not_open_the_tenant_screens(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    b.password(name)
    for url in (f"/t/{nagai}/", f"/t/{nagai}/residents?q=ヤマダ"):
        response = b.get(url)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login/second-factor")
    assert [e for e in audit_entries(platform, nagai, "registry:resident:search")] == []


def test_a_wrong_password_is_refused_in_japanese_on_the_form(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    response = b.password(name, "not-the-password")
    assert response.status_code == 401
    assert "利用者名またはパスワードが正しくありません" in response.text
    assert 'role="alert"' in response.text
    assert b.client.cookies.get("municloud_session") is None


def test_a_wrong_code_is_refused_in_japanese_and_the_session_stays_half_open(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    b.password(name)
    page = b.second_factor_page(name)
    response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name, wrong=True),
                                                           "csrf_token": csrf_of(page)})
    assert response.status_code == 401
    assert "ワンタイムパスワードが正しくありません" in response.text
    assert 'href="#f-code"' in response.text and 'aria-invalid="true"' in response.text
    assert "<svg" in response.text  # still enrolling: the QR code is shown again
    assert b.get(f"/t/{nagai}/").status_code == 303
    assert len(audit_entries(platform, nagai, "kernel:auth:second_factor_failed")) == 1


def test_the_log_in_form_needs_its_csrf_token(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    b.get("/login")
    for token in (None, "forged-token-forged-token-forged"):
        data = {"username": name, "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        response = b.client.post("/login", data=data)
        assert response.status_code == 403
        assert "処理は行っていません" in response.text
    assert audit_entries(platform, nagai, "kernel:auth:login") == []


def test_the_second_factor_form_needs_the_session_csrf_token(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    b.password(name)
    b.second_factor_page(name)
    response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name)})
    assert response.status_code == 403
    assert b.get(f"/t/{nagai}/").status_code == 303


def test_the_cookie_is_httponly_strict_and_replaced_after_the_second_factor(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    response = b.password(name)
    cookie = response.headers["set-cookie"]
    assert "municloud_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie  # test mode; Secure in production
    first = b.client.cookies.get("municloud_session")
    page = b.second_factor_page(name)
    response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name), "csrf_token": csrf_of(page)})
    assert response.status_code == 303
    assert b.client.cookies.get("municloud_session") not in (None, first)


def test_an_idle_session_is_sent_back_to_log_in_with_a_notice(signed_in, platform, nagai):
    b = signed_in(nagai, "registry_clerk")
    idle = timedelta(seconds=platform.settings.session_idle_seconds + 1)
    with platform.session_factory() as s:
        for row in s.scalars(select(WebSession)):
            row.last_seen_at -= idle
        s.commit()
    response = b.get(f"/t/{nagai}/residents")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?notice=expired"
    page = b.get(response.headers["location"])
    assert "一定時間操作がなかったため、ログアウトしました" in text_of(page.text)


def test_log_out_ends_the_session(signed_in, platform, nagai):
    b = signed_in(nagai, "registry_clerk")
    home = b.get(f"/t/{nagai}/").text
    assert 'action="/logout"' in home and 'data-shortcut="l"' in home
    response = b.client.post("/logout", data={"csrf_token": csrf_of(home)})
    assert response.status_code == 303 and response.headers["location"] == "/login?notice=logout"
    assert b.get(f"/t/{nagai}/").status_code == 303
    assert len(audit_entries(platform, nagai, "kernel:auth:logout")) == 1
    with platform.session_factory() as s:
        assert s.scalar(select(WebSession.end_reason).where(WebSession.stage == "full")) == "logout"


def test_log_out_without_the_csrf_token_is_refused(signed_in, nagai):
    b = signed_in(nagai, "registry_clerk")
    assert b.client.post("/logout", data={}).status_code == 403
    assert b.get(f"/t/{nagai}/").status_code == 200


def test_a_user_of_several_tenants_chooses_one_and_an_operator_sees_the_tenants(
    browser, signed_in, platform, nagai, hiroshima
):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    link_user(platform.uow(hiroshima), operator_context(platform), name, ["auditor"])  # the operator's act
    assert b.login(name) == "/home"
    page = b.get("/home").text
    assert "長井市" in page and "広島市" in page and f'href="/t/{hiroshima}/"' in page
    operator = signed_in(None, "operator")
    assert operator.landing == "/tenants"


def test_a_user_cannot_open_another_tenant(signed_in, platform, nagai, hiroshima):
    b = signed_in(nagai, "registry_clerk")
    response = b.get(f"/t/{hiroshima}/residents")
    assert response.status_code == 403
    assert "この団体の業務を行う権限がありません" in response.text


def throttle(b, name, platform):
    """Wrong passwords until the name is blocked for several seconds."""
    for _ in range(platform.settings.login_free_failures + 4):
        assert b.password(name, "not-the-password").status_code in (401, 429)


def test_while_throttled_the_log_in_page_takes_password_and_code_together_and_lets_the_user_in(
    browser, platform, nagai
):
    """Someone typing wrong passwords cannot keep the rightful user out."""
    name = make_user(platform, nagai, "registry_clerk")
    browser().login(name)  # enrolled
    throttle(browser(), name, platform)
    b = browser()
    alone = b.password(name)
    assert alone.status_code == 429 and int(alone.headers["Retry-After"]) >= 1
    assert 'name="code"' in alone.text and "ワンタイムパスワード" in text_of(alone.text)
    assert b.client.cookies.get("municloud_session") is None
    response = b.client.post("/login", data={"username": name, "password": PASSWORD, "code": b.one_time_code(name),
                                             "csrf_token": csrf_of(alone.text)})
    assert response.status_code == 303 and response.headers["location"] == f"/t/{nagai}/"
    assert b.get(f"/t/{nagai}/").status_code == 200


def test_an_unknown_name_gets_the_same_throttled_page(browser, platform, nagai):
    name = make_user(platform, nagai, "registry_clerk")
    throttle(browser(), name, platform)
    throttle(browser(), "nobody-here", platform)
    known, unknown = browser().password(name, "not-the-password"), browser().password("nobody-here", "not-the-password")
    assert known.status_code == unknown.status_code == 429
    strip = re.compile(r'value="[^"]*"')  # the typed name and the form's own token differ
    assert strip.sub("", known.text) == strip.sub("", unknown.text)


def test_repeated_wrong_codes_end_the_half_open_session_and_the_screen_says_why(browser, platform, nagai):
    b = browser()
    name = make_user(platform, nagai, "registry_clerk")
    b.password(name)
    page = b.second_factor_page(name)
    statuses = []
    while not statuses or statuses[-1] == 401:  # wrong codes, until the throttled answer ends the session
        response = b.client.post("/login/second-factor", data={"code": b.one_time_code(name, wrong=True),
                                                               "csrf_token": csrf_of(page)})
        statuses.append(response.status_code)
    assert statuses[-1] == 429 and len(statuses) > platform.settings.login_free_failures
    assert "ログインを制限しています" in text_of(response.text) and 'name="code"' in response.text
    assert b.get("/login/second-factor").headers["location"].startswith("/login")  # that session is over
    assert len(audit_entries(platform, nagai, "kernel:auth:locked")) == 1
