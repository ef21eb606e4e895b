"""Screen log-in: password, then a mandatory second factor (TOTP), idle time-out, log-out."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from municloud.errors import AuthenticationError, PermissionDeniedError, RateLimitedError
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.orm import LoginThrottle, WebSession
from municloud.kernel.identity.services import add_user
from municloud.kernel.identity.sessions import (
    begin_enrolment,
    end_session,
    enrolment_status,
    open_session,
    resolve_session,
    second_factor,
)
from municloud.kernel.identity.throttle import name_key
from tests.factories import audit_entries, context


@pytest.fixture
def staff(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    add_user(platform.uow(nagai), admin, "kubota", "a-long-password-9", ["registry_clerk"])
    return authenticate(platform.uow(nagai), "kubota", "a-long-password-9").user


def name_failures(platform, name="kubota"):
    with platform.session_factory() as s:
        row = s.get(LoginThrottle, name_key(name))
        return 0 if row is None else row.failures


def _enrol(platform, staff):
    token, info = open_session(platform.uow(None), staff)
    assert info.stage == "password" and not info.enrolled
    enrolment = begin_enrolment(platform.uow(None), token)
    assert enrolment.uri.startswith("otpauth://totp/") and "kubota" in enrolment.uri
    new_token, info = second_factor(platform.uow(None), token, pyotp.TOTP(enrolment.secret).now())
    return new_token, info, enrolment.secret


def test_a_first_log_in_enrols_a_second_factor_and_completes_the_session(platform, nagai, staff):
    token, info, _ = _enrol(platform, staff)
    assert info.complete and info.enrolled
    assert resolve_session(platform.uow(None), token).username == "kubota"
    actions = [e.action for e in audit_entries(platform, nagai)]
    assert "kernel:auth:totp_enrolled" in actions and "kernel:auth:second_factor" in actions


def test_the_token_changes_when_the_second_factor_is_proved(platform, staff):
    token, _ = open_session(platform.uow(None), staff)
    enrolment = begin_enrolment(platform.uow(None), token)
    new_token, _ = second_factor(platform.uow(None), token, pyotp.TOTP(enrolment.secret).now())
    assert new_token != token
    with pytest.raises(AuthenticationError):
        resolve_session(platform.uow(None), token)


def test_a_session_before_the_second_factor_is_not_complete(platform, staff):
    token, _ = open_session(platform.uow(None), staff)
    assert not resolve_session(platform.uow(None), token).complete


def test_a_wrong_or_reused_one_time_password_is_refused_and_counted(platform, nagai, staff):
    _, _, secret = _enrol(platform, staff)
    token, _ = open_session(platform.uow(None), staff)
    with pytest.raises(AuthenticationError) as caught:
        second_factor(platform.uow(None), token, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert caught.value.code == "TOTP_INVALID"
    with pytest.raises(AuthenticationError) as caught:  # the code already used at enrolment
        second_factor(platform.uow(None), token, pyotp.TOTP(secret).now())
    assert caught.value.code == "TOTP_INVALID"
    assert name_failures(platform) == 2
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:auth:second_factor_failed")] == ["failure"] * 2


def test_repeated_wrong_one_time_passwords_throttle_the_name_and_end_the_half_open_session(platform, staff):
    _, _, secret = _enrol(platform, staff)
    token, _ = open_session(platform.uow(None), staff)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    for _ in range(platform.settings.login_free_failures + 4):
        with pytest.raises((AuthenticationError, RateLimitedError)):
            second_factor(platform.uow(None), token, wrong)
    with pytest.raises(AuthenticationError):  # the session that kept failing was ended
        resolve_session(platform.uow(None), token)
    with pytest.raises(RateLimitedError) as caught:  # the password alone no longer opens a session
        authenticate(platform.uow(None), "kubota", "a-long-password-9")
    assert caught.value.code == "LOGIN_THROTTLED"


def test_an_idle_session_expires_and_is_ended(platform, staff):
    token, _, _ = _enrol(platform, staff)
    idle = timedelta(seconds=platform.settings.session_idle_seconds + 1)
    with platform.session_factory() as s:
        for row in s.scalars(select(WebSession)):
            row.last_seen_at -= idle
        s.commit()
    with pytest.raises(AuthenticationError) as caught:
        resolve_session(platform.uow(None), token)
    assert caught.value.code == "SESSION_EXPIRED"
    with platform.session_factory() as s:
        assert s.scalar(select(WebSession.end_reason).where(WebSession.stage == "full")) == "idle"


def test_log_out_ends_the_session_and_is_audited(platform, nagai, staff):
    token, _, _ = _enrol(platform, staff)
    end_session(platform.uow(None), token)
    with pytest.raises(AuthenticationError):
        resolve_session(platform.uow(None), token)
    assert [e.action for e in audit_entries(platform, nagai, "kernel:auth:logout")] == ["kernel:auth:logout"]


def test_the_session_table_holds_no_usable_token(platform, staff):
    token, _, _ = _enrol(platform, staff)
    with platform.session_factory() as s:
        assert token not in s.scalars(select(WebSession.token_hash)).all()


def test_a_tenant_admin_sees_who_has_enrolled(platform, nagai, staff):
    admin = context(platform, nagai, "tenant_admin")
    add_user(platform.uow(nagai), admin, "hirano", "another-long-pass-1", ["auditor"])
    _enrol(platform, staff)
    status = {s.username: s.enrolled_at for s in enrolment_status(platform.uow(nagai), admin)}
    assert status["kubota"] is not None and status["hirano"] is None
    with pytest.raises(Exception) as caught:
        enrolment_status(platform.uow(nagai), context(platform, nagai, "registry_clerk"))
    assert caught.value.code == "PERMISSION_DENIED"


def test_an_api_token_needs_an_enrolled_second_factor_and_a_fresh_code(platform, staff):
    def token_login(otp=None):
        return authenticate(platform.uow(None), "kubota", "a-long-password-9", otp=otp, second_factor_required=True)

    with pytest.raises(PermissionDeniedError) as caught:  # not enrolled: the password alone gives nothing
        token_login()
    assert caught.value.code == "TOTP_NOT_ENROLLED" and "画面" in caught.value.message
    _, _, secret = _enrol(platform, staff)
    with pytest.raises(AuthenticationError) as caught:
        token_login()
    assert caught.value.code == "TOTP_REQUIRED"
    with pytest.raises(AuthenticationError) as caught:
        token_login(pyotp.TOTP(secret).now())  # already used at the enrolment
    assert caught.value.code == "TOTP_INVALID"
    assert token_login(pyotp.TOTP(secret).at(time.time() + 30)).second_factor
