"""Log-in of people (ログイン): the password, the second factor, throttling, the audit.

One use case for both doors:

* the screens' first step (``/login``) checks the password; the second factor follows on
  its own page (``sessions.second_factor``);
* ``POST /api/v1/auth/token`` (``second_factor_required=True``) checks both at once: a
  person gets an API token only with a current one-time password.  A user who has not
  enrolled an authenticator yet is told to enrol on the screens first — only after the
  right password, so the refusal tells nothing to someone who does not know it.
* While the submitted name is throttled (``throttle.py``), both doors accept only the
  complete credentials (password + one-time password) and answer everything else with the
  same ``LOGIN_THROTTLED`` (429): nobody can keep the rightful user out with wrong
  passwords, and a password guessed right during the delay is not confirmed.

Unknown names, wrong passwords and inactive accounts get the same answer after the same
work (the password is checked against a dummy argon2 hash when there is no account).
Every attempt is audited: in each tenant chain of the user, or the platform chain for
names that do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from municloud.errors import AuthenticationError, MuniError, PermissionDeniedError
from municloud.kernel.catalog import (
    A_LOGIN_FAILURE,
    A_LOGIN_LOCKED,
    A_LOGIN_SUCCESS,
    A_SECOND_FACTOR,
    A_SECOND_FACTOR_FAILURE,
)
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context, new_request_id
from municloud.kernel.db import UnitOfWork
from municloud.kernel.identity import passwords
from municloud.kernel.identity.orm import User
from municloud.kernel.identity.services import UserInfo, _info, audit_user
from municloud.kernel.identity.throttle import Failure, Throttle, address_key, name_key, throttled
from municloud.kernel.identity.totp import INVALID_CODE, accepted_step
from municloud.kernel.tenants.orm import PLATFORM_SCOPE

BAD_CREDENTIALS = "利用者名またはパスワードが正しくありません"
NOT_ENROLLED = (
    "二要素認証がまだ登録されていません。API のトークンはワンタイムパスワードがないと発行できません。"
    "先に画面（/login）からログインして認証アプリを登録してください"
)
TOTP_REQUIRED = "ワンタイムパスワード（otp）も送ってください（二要素認証）"


@dataclass(frozen=True)
class Login:
    user: UserInfo
    second_factor: bool  # the one-time password was proved too
    token_version: int  # for the API token (``tokens.issue_token``)


def invalid_code() -> AuthenticationError:
    return AuthenticationError("TOTP_INVALID", INVALID_CODE, fields={"otp": "正しい6桁の数字を入力してください"})


class Attempt:
    """One log-in attempt: its throttle keys, who (if anyone) it is about, and its audit."""

    def __init__(self, uow: UnitOfWork, throttle: Throttle, name: str, meta: dict, client_addr: str | None) -> None:
        self.uow, self.throttle, self.name, self.meta = uow, throttle, name, meta
        self.name_key, self.address_key = name_key(name), address_key(client_addr)
        self.user: User | None = None

    def audit(self, action: str, outcome: str, detail: dict | None = None) -> None:
        if self.user is not None:
            audit_user(self.uow, self.user, self.meta, action, outcome, detail=detail)
        else:
            ctx = Context(tenant_code=None, actor=self.name[:64] or "-", **self.meta)
            self.uow.audit.record(ctx, action, outcome=outcome, detail=detail, tenant_code=PLATFORM_SCOPE)

    def fail(self, action: str, detail: dict, *, blocked: bool, answer: MuniError) -> MuniError:
        """Count and audit the failure, commit, and return what to raise: the throttled
        answer while the name was blocked, else *answer*."""
        failures = self.throttle.record_failure(self.name_key, self.address_key)
        self.audit(action, "failure", {**detail, "failures": failures[0].failures})
        for f in failures:
            if f.began:
                self._audit_block(f)
        self.uow.commit()
        return throttled(failures[0].blocked_seconds) if blocked else answer

    def _audit_block(self, f: Failure) -> None:
        detail = {"key": "address" if f.key == self.address_key else "name", "seconds": f.blocked_seconds}
        if f.key == self.address_key:
            ctx = Context(tenant_code=None, actor=self.name[:64] or "-", **self.meta)
            self.uow.audit.record(ctx, A_LOGIN_LOCKED, outcome="denied", detail=detail, tenant_code=PLATFORM_SCOPE)
        else:
            self.audit(A_LOGIN_LOCKED, "denied", detail)


def authenticate(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    otp: str | None = None,
    second_factor_required: bool = False,
    client_addr: str | None = None,
    request_id: str | None = None,
    terminal: str | None = None,
) -> Login:
    """Check a user name and password, and the one-time password when given or needed.

    The second factor is checked when *second_factor_required* (API tokens), when *otp* is
    given by an enrolled user, and always while the name is throttled.
    """
    settings = uow.platform.settings
    hasher = uow.platform.password_hasher
    with uow:
        throttle = Throttle(uow.session, settings, utcnow())
        meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr, terminal=terminal)
        attempt = Attempt(uow, throttle, username, meta, client_addr)
        wait = throttle.remaining(attempt.address_key)
        if wait:
            raise throttled(wait)  # an address block is hard: nothing is checked or written
        # Locks in one order everywhere — the user row, then the name's throttle row — or two
        # attempts on one name could each wait for the other (PostgreSQL).
        user = uow.session.scalars(select(User).where(User.username == username).with_for_update()).one_or_none()
        blocked = throttle.remaining(attempt.name_key, lock=True) > 0
        known = user is not None and user.active
        right = passwords.verify(hasher, user.password_hash if known else uow.platform.dummy_hash, password)
        if not (known and right):
            reason = "password" if known else "unknown_or_inactive"
            attempt.user = user if known else None
            raise attempt.fail(A_LOGIN_FAILURE, {"reason": reason}, blocked=blocked,
                               answer=AuthenticationError("AUTH_FAILED", BAD_CREDENTIALS))
        attempt.user = user
        enrolled = user.totp_enrolled_at is not None and bool(user.totp_secret)
        proved = False
        if blocked or second_factor_required or (otp and enrolled):
            _second_factor(attempt, user, otp, enrolled=enrolled, blocked=blocked)
            proved = True
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        attempt.audit(A_LOGIN_SUCCESS, "success")
        info = _info(uow, user)
        uow.commit()
        return Login(info, proved, user.token_version)


def _second_factor(attempt: Attempt, user: User, otp: str | None, *, enrolled: bool, blocked: bool) -> None:
    """The one-time password of a user whose password was right (raises when it fails)."""
    uow = attempt.uow
    if not enrolled:
        if blocked:
            raise attempt.fail(A_LOGIN_FAILURE, {"reason": "second_factor_not_enrolled"}, blocked=True,
                               answer=AuthenticationError("AUTH_FAILED", BAD_CREDENTIALS))
        attempt.audit(A_LOGIN_FAILURE, "denied", {"reason": "second_factor_not_enrolled"})
        uow.commit()
        raise PermissionDeniedError("TOTP_NOT_ENROLLED", NOT_ENROLLED)
    if not otp:
        if blocked:
            raise attempt.fail(A_SECOND_FACTOR_FAILURE, {"reason": "missing"}, blocked=True,
                               answer=AuthenticationError("TOTP_REQUIRED", TOTP_REQUIRED))
        raise AuthenticationError("TOTP_REQUIRED", TOTP_REQUIRED, fields={"otp": "6桁の数字を入力してください"})
    step = accepted_step(user.totp_secret, otp, user.totp_last_step)
    if step is None:
        raise attempt.fail(A_SECOND_FACTOR_FAILURE, {"reason": "wrong_or_reused"}, blocked=blocked,
                           answer=invalid_code())
    user.totp_last_step = step
    attempt.throttle.clear(attempt.name_key)
    attempt.audit(A_SECOND_FACTOR, "success")
