"""Screen log-in: password, then a mandatory second factor (TOTP), idle time-out, log-out."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from municloud.errors import AuthenticationError
from municloud.kernel.identity.orm import User, WebSession
from municloud.kernel.identity.services import add_user, authenticate
from municloud.kernel.identity.sessions import (
    begin_enrolment,
    end_session,
    enrolment_status,
    open_session,
    resolve_session,
    second_factor,
)
from tests.factories import audit_entries, context


@pytest.fixture
def staff(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    add_user(platform.uow(nagai), admin, "kubota", "a-long-password-9", ["registry_clerk"])
    return authenticate(platform.uow(nagai), "kubota", "a-long-password-9")


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
    with platform.session_factory() as s:
        assert s.scalar(select(User.failed_logins).where(User.username == "kubota")) == 2
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:auth:second_factor_failed")] == ["failure"] * 2


def test_repeated_wrong_one_time_passwords_lock_the_account(platform, staff):
    _, _, secret = _enrol(platform, staff)
    token, _ = open_session(platform.uow(None), staff)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    for _ in range(platform.settings.login_max_failures):
        with pytest.raises(AuthenticationError):
            second_factor(platform.uow(None), token, wrong)
    with pytest.raises(AuthenticationError) as caught:
        authenticate(platform.uow(None), "kubota", "a-long-password-9")
    assert caught.value.code == "AUTH_LOCKED"


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


def test_an_api_token_needs_the_one_time_password_once_enrolled(platform, staff):
    from municloud.kernel.identity.sessions import check_token_second_factor

    check_token_second_factor(platform.uow(None), staff.id, None)  # not enrolled yet: password only
    _, _, secret = _enrol(platform, staff)
    with pytest.raises(AuthenticationError) as caught:
        check_token_second_factor(platform.uow(None), staff.id, None)
    assert caught.value.code == "TOTP_REQUIRED"
    with pytest.raises(AuthenticationError) as caught:
        check_token_second_factor(platform.uow(None), staff.id, pyotp.TOTP(secret).now())  # already used
    assert caught.value.code == "TOTP_INVALID"
