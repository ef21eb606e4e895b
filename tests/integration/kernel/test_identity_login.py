"""Log-in: argon2 hashes, the same answer for every wrong name or password, throttling
instead of a lock-out anyone could trigger, every attempt audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from municloud.errors import AuthenticationError, RateLimitedError, ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_LOGIN_FAILURE, A_LOGIN_LOCKED, A_LOGIN_SUCCESS
from municloud.kernel.clock import utcnow
from municloud.kernel.identity.accounts import link_user
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.orm import LoginThrottle, User
from municloud.kernel.identity.throttle import name_key
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from tests.factories import operator_context
from tests.integration.kernel.identity_helpers import PASSWORD, add_clerk, enrol


def login(platform, username, password=PASSWORD, **kw):
    kw.setdefault("client_addr", "192.0.2.7")
    return authenticate(platform.uow(None), username, password, **kw).user


def actions(platform, tenant_code, *, actor=None):
    with platform.session_factory() as s:
        stmt = select(AuditEntry).where(AuditEntry.tenant_code == tenant_code).order_by(AuditEntry.seq)
        return [(e.action, e.outcome) for e in s.scalars(stmt) if actor is None or e.actor == actor]


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
    link_user(platform.uow(hiroshima), operator_context(platform), "sato", ["registry_clerk"])  # also 広島市
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


def fail(platform, times, username="sato", password="wrong-password-1", **kw):
    """*times* failed attempts; the last error."""
    error = None
    for _ in range(times):
        with pytest.raises((AuthenticationError, RateLimitedError)) as caught:
            login(platform, username, password, **kw)
        error = caught.value
    return error


def throttle(platform, username="sato", **kw):
    """Fail until *username* is blocked for several seconds (a 1-second block could pass
    before the next line on a slow machine)."""
    return fail(platform, platform.settings.login_free_failures + 4, username, **kw)


def failures_of(platform, key):
    with platform.session_factory() as s:
        row = s.get(LoginThrottle, key)
        return None if row is None else row.failures


def test_after_the_free_failures_a_known_and_an_unknown_name_get_the_same_throttled_answer(platform, nagai):
    add_clerk(platform, nagai)
    free = platform.settings.login_free_failures
    assert fail(platform, free + 1).code == "AUTH_FAILED"  # the last one starts the delay
    assert fail(platform, free + 1, "nobody").code == "AUTH_FAILED"
    throttle(platform), throttle(platform, "nobody")
    known, unknown = fail(platform, 1), fail(platform, 1, "nobody")
    assert isinstance(known, RateLimitedError) and known.code == "LOGIN_THROTTLED"
    assert (known.status, known.code, known.message, known.retry_after) == (
        unknown.status, unknown.code, unknown.message, unknown.retry_after)
    assert "ワンタイムパスワード" in known.message


def test_an_inactive_account_is_answered_like_an_unknown_name(platform, nagai):
    add_clerk(platform, nagai)
    with platform.engine.begin() as conn:
        conn.execute(update(User).where(User.username == "sato").values(active=False))
    inactive, unknown = fail(platform, 1), fail(platform, 1, "nobody")
    assert (inactive.code, inactive.message) == (unknown.code, unknown.message) == (
        "AUTH_FAILED", "利用者名またはパスワードが正しくありません")
    assert fail(platform, 1, password=PASSWORD).code == "AUTH_FAILED"  # even with the right password


def test_the_name_is_counted_by_a_hash_of_its_lower_case_form_existing_or_not(platform, nagai):
    fail(platform, 2, "Nobody-Here")
    fail(platform, 1, "nobody-here")
    assert failures_of(platform, name_key("NOBODY-HERE")) == 3
    with platform.session_factory() as s:
        keys = s.scalars(select(LoginThrottle.key)).all()
    assert not any("nobody" in key.lower() for key in keys)  # the name itself is not stored


def test_while_throttled_the_right_password_alone_is_refused_like_a_wrong_one(platform, nagai):
    add_clerk(platform, nagai)
    add_clerk(platform, nagai, "tanaka")
    enrol(platform, "sato"), enrol(platform, "tanaka")
    throttle(platform, "sato"), throttle(platform, "tanaka")
    right, wrong = fail(platform, 1, password=PASSWORD), fail(platform, 1, "tanaka")
    assert (right.code, right.message, right.retry_after) == (wrong.code, wrong.message, wrong.retry_after)
    assert right.code == "LOGIN_THROTTLED"
    assert failures_of(platform, name_key("sato")) == failures_of(platform, name_key("tanaka"))  # no tell-tale


def test_a_throttled_user_gets_in_at_once_with_the_password_and_the_second_factor(platform, nagai):
    """Whoever keeps typing wrong passwords cannot keep the rightful user out."""
    add_clerk(platform, nagai)
    app = enrol(platform, "sato")
    throttle(platform)
    with pytest.raises(RateLimitedError):
        login(platform, "sato", otp=app.wrong())
    result = authenticate(platform.uow(None), "sato", PASSWORD, otp=app.code(), client_addr="192.0.2.7")
    assert result.second_factor and result.user.username == "sato"
    assert failures_of(platform, name_key("sato")) is None  # both factors proved: forgiven
    assert login(platform, "sato").username == "sato"


def test_the_delay_grows_with_every_failure_after_the_free_ones(platform, nagai):
    add_clerk(platform, nagai)
    free = platform.settings.login_free_failures
    fail(platform, free)
    waits = []
    for _ in range(4):
        fail(platform, 1)
        with platform.session_factory() as s:
            row = s.get(LoginThrottle, name_key("sato"))
            waits.append((row.blocked_until - row.last_failure_at).total_seconds())
    assert waits == [1, 2, 4, 8]


def test_many_failures_from_one_address_block_it_for_every_name(platform, nagai, monkeypatch):
    monkeypatch.setattr(platform, "settings", platform.settings.with_(login_address_free_failures=4))
    add_clerk(platform, nagai)
    add_clerk(platform, nagai, "tanaka")
    for i in range(4):
        fail(platform, 1, f"guess-{i}", client_addr="198.51.100.9")
    assert fail(platform, 1, "guess-4", client_addr="198.51.100.9").code == "AUTH_FAILED"  # the 5th starts it
    with platform.engine.begin() as conn:  # (a 1-second block; made longer so a slow machine cannot miss it)
        blocked = conn.execute(update(LoginThrottle).where(LoginThrottle.key == "addr:198.51.100.9")
                               .where(LoginThrottle.blocked_until.is_not(None))
                               .values(blocked_until=utcnow() + timedelta(seconds=60)))
        assert blocked.rowcount == 1
    with pytest.raises(RateLimitedError):  # hard: even the right password of another user
        login(platform, "tanaka", client_addr="198.51.100.9")
    assert login(platform, "tanaka", client_addr="198.51.100.10").username == "tanaka"  # other addresses are not


def test_the_start_of_a_delay_is_audited_where_the_user_works_or_in_the_platform_chain(platform, nagai):
    add_clerk(platform, nagai)
    free = platform.settings.login_free_failures
    throttle(platform)
    throttle(platform, "mallory")
    assert actions(platform, nagai, actor="sato").count((A_LOGIN_LOCKED, "denied")) == 1
    assert actions(platform, PLATFORM_SCOPE, actor="mallory").count((A_LOGIN_LOCKED, "denied")) == 1
    assert actions(platform, nagai, actor="sato").count((A_LOGIN_FAILURE, "failure")) == free + 4


def test_old_failures_are_forgotten_and_their_rows_deleted(platform, nagai):
    add_clerk(platform, nagai)
    window = timedelta(seconds=platform.settings.login_failure_window_seconds + 1)
    fail(platform, platform.settings.login_free_failures + 2)
    fail(platform, 1, "someone-else")
    with platform.engine.begin() as conn:
        conn.execute(update(LoginThrottle).where(LoginThrottle.key == name_key("someone-else"))
                     .values(last_failure_at=utcnow() - window, blocked_until=None))
        conn.execute(update(LoginThrottle).where(LoginThrottle.key == name_key("sato"))
                     .values(last_failure_at=utcnow() - window, blocked_until=utcnow() - window))
    assert fail(platform, 1).code == "AUTH_FAILED"  # counting starts again
    assert failures_of(platform, name_key("sato")) == 1
    assert failures_of(platform, name_key("someone-else")) is None  # swept away


def test_failures_below_the_free_ones_do_not_delay(platform, nagai):
    add_clerk(platform, nagai)
    fail(platform, platform.settings.login_free_failures)
    assert login(platform, "sato").username == "sato"
    assert (A_LOGIN_LOCKED, "denied") not in actions(platform, nagai)
