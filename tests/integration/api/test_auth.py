"""Log-in through the API: tokens need the second factor, one answer for every wrong name,
throttling instead of a lock-out, tokens that expire and die with the password."""

from __future__ import annotations

import time

import jwt
from sqlalchemy import select

from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.identity.throttle import name_key
from tests.conftest import TEST_SECRET
from tests.integration.api.helpers import PASSWORD, TOKEN


def post_token(api, username, password=PASSWORD, **extra):
    return api.client.post(TOKEN, data={"username": username, "password": password, **extra})


def throttle(api, username, times=None):
    """Fail until *username* is blocked for several seconds (not a 1-second race)."""
    for _ in range(times or api.platform.settings.login_free_failures + 4):
        assert post_token(api, username, "wrong-password-123").status_code in (401, 429)


def test_a_user_gets_a_bearer_token_with_password_and_one_time_password(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    api.enrol(username)
    response = post_token(api, username, otp=api.code(username))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    assert body["expires_in"] == api.platform.settings.token_ttl_seconds
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == username
    assert me.json()["tenants"] == {nagai: ["registry_clerk"]}
    assert me.json()["is_operator"] is False


def test_a_user_who_never_enrolled_a_second_factor_gets_no_token_and_is_told_to_enrol(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    response = post_token(api, username)
    assert response.status_code == 403
    assert response.json()["code"] == "TOTP_NOT_ENROLLED"
    assert "画面" in response.json()["message"] and "登録" in response.json()["message"]
    assert "access_token" not in response.text


def test_only_the_right_password_learns_that_the_second_factor_is_missing(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    wrong = post_token(api, username, "wrong-password-123")
    unknown = post_token(api, "nobody-here", "wrong-password-123")
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())
    assert wrong.json()["code"] == "AUTH_FAILED"


def test_an_enrolled_user_needs_the_code_and_a_reused_code_is_refused(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    api.enrol(username)
    without = post_token(api, username)
    assert without.status_code == 401 and without.json()["code"] == "TOTP_REQUIRED"
    code = api.code(username)
    assert post_token(api, username, otp=code).status_code == 200
    again = post_token(api, username, otp=code)
    assert again.status_code == 401 and again.json()["code"] == "TOTP_INVALID"


def test_a_wrong_password_is_refused_with_401_in_japanese(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    response = post_token(api, username, "wrong-password-123")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "AUTH_FAILED"
    assert response.json()["message"] == "利用者名またはパスワードが正しくありません"


def test_repeated_failures_are_throttled_with_one_answer_for_known_and_unknown_names(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    throttle(api, username), throttle(api, "nobody-here")
    known = post_token(api, username, "wrong-password-123")
    unknown = post_token(api, "nobody-here", "wrong-password-123")
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()
    assert known.json()["code"] == "LOGIN_THROTTLED" and "AUTH_LOCKED" not in known.text
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert int(known.headers["Retry-After"]) >= 1


def test_a_throttled_user_still_gets_a_token_with_password_and_one_time_password(api, nagai):
    """Wrong passwords typed by someone else do not keep the rightful user out."""
    username = api.add_user(nagai, "registry_clerk")
    api.enrol(username)
    throttle(api, username)
    alone = post_token(api, username)  # the right password alone: the throttled answer
    assert alone.status_code == 429 and alone.json()["code"] == "LOGIN_THROTTLED"
    response = post_token(api, username, otp=api.code(username))
    assert response.status_code == 200, response.text


def test_a_token_without_an_expiry_is_refused(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    headers = api.token(username)
    claims = jwt.decode(headers["Authorization"][7:], TEST_SECRET, algorithms=["HS256"])
    del claims["exp"]
    forever = jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {forever}"})
    assert response.status_code == 401 and response.json()["code"] == "TOKEN_INVALID"
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200


def test_an_expired_token_is_refused(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    claims = jwt.decode(api.token(username)["Authorization"][7:], TEST_SECRET, algorithms=["HS256"])
    claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
    old = jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"})
    assert response.status_code == 401 and response.json()["code"] == "TOKEN_INVALID"


def test_changing_the_password_kills_every_earlier_token(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    headers = api.token(username)
    changed = api.client.post("/api/v1/me/password", headers=headers,
                              json={"current_password": PASSWORD, "new_password": "a-brand-new-pass-42"})
    assert changed.status_code == 204, changed.text
    refused = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"}, headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "TOKEN_INVALID"
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401
    assert post_token(api, username).json()["code"] == "AUTH_FAILED"  # the old password is gone
    assert api.client.get("/api/v1/me", headers=api.token(username, "a-brand-new-pass-42")).status_code == 200


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failure(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    headers = api.token(username)
    refused = api.client.post("/api/v1/me/password", headers=headers,
                              json={"current_password": "not-my-password", "new_password": "a-brand-new-pass-42"})
    assert refused.status_code == 422 and refused.json()["code"] == "PASSWORD_CURRENT_WRONG"
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200
    from municloud.kernel.identity.orm import LoginThrottle

    with api.platform.session_factory() as s:
        assert s.get(LoginThrottle, name_key(username)).failures == 1


def test_the_login_audit_records_no_password(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    post_token(api, username, "wrong-password-123")
    api.token(username)
    with api.platform.session_factory() as s:
        details = [e.detail + e.subjects for e in s.scalars(select(AuditEntry))]
    assert details and not any("wrong-password-123" in d or PASSWORD in d for d in details)


def test_a_missing_form_field_is_a_japanese_validation_error(api):
    response = api.client.post(TOKEN, data={"username": "someone"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "REQUEST_INVALID",
        "message": "入力内容に誤りがあります",
        "fields": {"password": "必須項目です"},
    }


def test_an_unknown_grant_type_is_refused(api):
    response = api.client.post(TOKEN, data={"grant_type": "implicit", "username": "a", "password": "b"})
    assert response.status_code == 400 and response.json()["code"] == "UNSUPPORTED_GRANT_TYPE"


def test_a_request_without_a_token_is_asked_to_log_in(api, nagai):
    response = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "AUTH_REQUIRED"


def test_a_forged_token_is_refused(api, nagai):
    headers = {"Authorization": "Bearer not-a-real-token"}
    response = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_INVALID"
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401
