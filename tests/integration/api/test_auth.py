"""Log-in through the API: tokens, wrong passwords, lock-out, and who am I."""

from __future__ import annotations

from tests.integration.api.helpers import PASSWORD

TOKEN = "/api/v1/auth/token"


def test_a_user_gets_a_bearer_token_and_sees_their_tenants_and_roles(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    response = api.client.post(TOKEN, data={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == username
    assert me.json()["tenants"] == {nagai: ["registry_clerk"]}
    assert me.json()["is_operator"] is False


def test_a_wrong_password_is_refused_with_401_in_japanese(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    response = api.client.post(TOKEN, data={"username": username, "password": "wrong-password-123"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "AUTH_FAILED"
    assert response.json()["message"] == "利用者名またはパスワードが正しくありません"


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    wrong = api.client.post(TOKEN, data={"username": username, "password": "wrong-password-123"})
    unknown = api.client.post(TOKEN, data={"username": "nobody-here", "password": "wrong-password-123"})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_repeated_failures_lock_the_account_even_for_the_right_password(api, nagai):
    username = api.add_user(nagai, "registry_clerk")
    for _ in range(api.platform.settings.login_max_failures):
        failed = api.client.post(TOKEN, data={"username": username, "password": "wrong-password-123"})
        assert failed.status_code == 401
    locked = api.client.post(TOKEN, data={"username": username, "password": PASSWORD})
    assert locked.status_code == 401
    assert locked.json()["code"] == "AUTH_LOCKED"
    assert "ロック" in locked.json()["message"]
    assert locked.headers["WWW-Authenticate"] == "Bearer"


def test_a_missing_form_field_is_a_japanese_validation_error(api):
    response = api.client.post(TOKEN, data={"username": "someone"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "REQUEST_INVALID",
        "message": "入力内容に誤りがあります",
        "fields": {"password": "必須項目です"},
    }


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


def test_a_user_with_a_second_factor_needs_the_one_time_password_for_a_token(api, nagai):
    import time

    import pyotp

    from municloud.kernel.identity.services import authenticate
    from municloud.kernel.identity.sessions import begin_enrolment, open_session, second_factor

    username = api.add_user(nagai, "registry_clerk")
    user = authenticate(api.platform.uow(None), username, PASSWORD)
    token, _ = open_session(api.platform.uow(None), user)
    secret = begin_enrolment(api.platform.uow(None), token).secret
    second_factor(api.platform.uow(None), token, pyotp.TOTP(secret).now())

    without = api.client.post(TOKEN, data={"username": username, "password": PASSWORD})
    assert without.status_code == 401 and without.json()["code"] == "TOTP_REQUIRED"
    next_code = pyotp.TOTP(secret).at(time.time() + 30)  # the enrolment used the current step
    with_otp = api.client.post(TOKEN, data={"username": username, "password": PASSWORD, "otp": next_code})
    assert with_otp.status_code == 200 and with_otp.json()["access_token"]
