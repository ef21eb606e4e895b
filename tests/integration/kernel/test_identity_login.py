"""Log-in: argon2 hashes, lock-out after repeated failures, every attempt audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from municloud.errors import AuthenticationError, ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_LOGIN_FAILURE, A_LOGIN_LOCKED, A_LOGIN_SUCCESS
from municloud.kernel.clock import utcnow
from municloud.kernel.identity.orm import User
from municloud.kernel.identity.services import add_user, authenticate
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from tests.factories import context

PASSWORD = "kasumi-ga-seki-2024"


def add_clerk(platform, tenant, username="sato", password=PASSWORD, roles=("registry_clerk",)):
    admin = context(platform, tenant, "tenant_admin")
    return add_user(platform.uow(tenant), admin, username, password, list(roles))


def login(platform, username, password=PASSWORD, **kw):
    return authenticate(platform.uow(None), username, password, client_addr="192.0.2.7", **kw)


def actions(platform, tenant_code, *, actor=None):
    with platform.session_factory() as s:
        stmt = select(AuditEntry).where(AuditEntry.tenant_code == tenant_code).order_by(AuditEntry.seq)
        return [(e.action, e.outcome) for e in s.scalars(stmt) if actor is None or e.actor == actor]


def set_locked_until(platform, username, when):
    with platform.engine.begin() as conn:
        conn.execute(update(User).where(User.username == username).values(locked_until=when))


def test_the_password_is_stored_as_an_argon2id_hash_and_nowhere_in_clear(platform, nagai):
    add_clerk(platform, nagai)
    with platform.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM users WHERE username = 'sato'")).mappings().one()
        audit = conn.execute(text("SELECT detail, subjects FROM audit_entries")).all()
    assert row["password_hash"].startswith("$argon2id$")
    assert not any(PASSWORD in str(value) for value in row.values())
    assert not any(PASSWORD in detail + subjects for detail, subjects in audit)


@pytest.mark.parametrize(
    ("password", "code"),
    [("short", "PASSWORD_TOO_SHORT"), ("my-name-is-sato", "PASSWORD_CONTAINS_USERNAME")],
)
def test_a_weak_password_is_refused_and_no_user_is_added(platform, nagai, password, code):
    with pytest.raises(ValidationError) as caught:
        add_clerk(platform, nagai, password=password)
    assert caught.value.code == code
    with platform.session_factory() as s:
        assert s.scalars(select(User)).all() == []


def test_the_right_password_logs_in_and_lists_the_users_tenants_and_roles(platform, nagai):
    add_clerk(platform, nagai)
    info = login(platform, "sato")
    assert info.username == "sato"
    assert info.tenants == {nagai: ["registry_clerk"]}


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(platform, nagai):
    add_clerk(platform, nagai)
    with pytest.raises(AuthenticationError) as wrong:
        login(platform, "sato", "wrong-password-1")
    with pytest.raises(AuthenticationError) as unknown:
        login(platform, "nobody", PASSWORD)
    assert (wrong.value.code, wrong.value.message) == (unknown.value.code, unknown.value.message)
    assert wrong.value.code == "AUTH_FAILED"


def test_success_and_failure_are_audited_in_every_tenant_of_the_user(platform, nagai, hiroshima):
    add_clerk(platform, nagai)
    add_clerk(platform, hiroshima, password=None)  # the same person also works for 広島市
    login(platform, "sato")
    with pytest.raises(AuthenticationError):
        login(platform, "sato", "wrong-password-1")
    for tenant in (nagai, hiroshima):
        assert actions(platform, tenant, actor="sato") == [(A_LOGIN_SUCCESS, "success"), (A_LOGIN_FAILURE, "failure")]
    assert actions(platform, PLATFORM_SCOPE, actor="sato") == []


def test_an_unknown_user_name_is_audited_in_the_platform_chain(platform, nagai):
    with pytest.raises(AuthenticationError):
        login(platform, "mallory")
    assert actions(platform, PLATFORM_SCOPE, actor="mallory") == [(A_LOGIN_FAILURE, "failure")]
    assert actions(platform, nagai, actor="mallory") == []


def test_the_login_entry_carries_the_client_address_and_request_id(platform, nagai):
    add_clerk(platform, nagai)
    login(platform, "sato", request_id="req-42")
    with platform.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == A_LOGIN_SUCCESS)).one()
    assert (entry.client_addr, entry.request_id, entry.actor_id) == ("192.0.2.7", "req-42", 1)


def fail(platform, times, username="sato"):
    for _ in range(times):
        with pytest.raises(AuthenticationError) as caught:
            login(platform, username, "wrong-password-1")
    return caught.value


def test_repeated_failures_lock_the_account_even_for_the_right_password(platform, nagai):
    add_clerk(platform, nagai)
    limit = platform.settings.login_max_failures
    assert fail(platform, limit).code == "AUTH_FAILED"
    with pytest.raises(AuthenticationError) as caught:
        login(platform, "sato")
    assert caught.value.code == "AUTH_LOCKED"
    assert "ロック" in caught.value.message
    trail = actions(platform, nagai, actor="sato")
    assert trail[-2:] == [(A_LOGIN_LOCKED, "denied"), (A_LOGIN_LOCKED, "denied")]
    assert trail.count((A_LOGIN_FAILURE, "failure")) == limit


def test_the_lock_lasts_for_the_configured_time(platform, nagai):
    add_clerk(platform, nagai)
    before = utcnow()
    fail(platform, platform.settings.login_max_failures)
    with platform.session_factory() as s:
        locked_until = s.scalars(select(User.locked_until)).one()
    expected = before + timedelta(seconds=platform.settings.login_lock_seconds)
    assert expected <= locked_until <= expected + timedelta(seconds=30)


def test_once_the_lock_has_passed_the_right_password_logs_in_again(platform, nagai):
    add_clerk(platform, nagai)
    fail(platform, platform.settings.login_max_failures)
    set_locked_until(platform, "sato", utcnow() - timedelta(seconds=1))
    assert login(platform, "sato").username == "sato"
    with platform.session_factory() as s:
        user = s.scalars(select(User)).one()
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_success_clears_earlier_failures(platform, nagai):
    add_clerk(platform, nagai)
    limit = platform.settings.login_max_failures
    fail(platform, limit - 1)
    login(platform, "sato")
    assert fail(platform, limit - 1).code == "AUTH_FAILED"
    assert login(platform, "sato").username == "sato"


def test_failures_below_the_limit_do_not_lock(platform, nagai):
    add_clerk(platform, nagai)
    fail(platform, platform.settings.login_max_failures - 1)
    assert login(platform, "sato").username == "sato"
    assert (A_LOGIN_LOCKED, "denied") not in actions(platform, nagai)
