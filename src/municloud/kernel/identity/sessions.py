"""Screen log-in sessions with a mandatory second factor (TOTP, RFC 6238).

Flow: the password is checked by :func:`identity.login.authenticate`; then
:func:`open_session` gives a token whose session is at stage ``password``.  The user
either proves a one-time password (:func:`second_factor`) or, on first log-in, enrols
one through a QR code (:func:`begin_enrolment`, then :func:`second_factor` confirms it).
Only then is the session ``full`` — and the token is replaced (no session fixation).
(While the name is throttled, ``authenticate`` checks both factors at once and the
session opens ``full`` directly.)  Sessions end on log-out, after ``session_idle_seconds``
without a request, after ``session_max_seconds``, and when the password changes.  Wrong
one-time passwords count towards the same throttle as wrong passwords (``throttle.py``).
The cookie carries the token; the table only its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from municloud.errors import AuthenticationError, ValidationError
from municloud.kernel.catalog import (
    A_ENROLLMENT_VIEW,
    A_LOGOUT,
    A_SECOND_FACTOR,
    A_SECOND_FACTOR_FAILURE,
    A_TOTP_ENROLL,
    P_USER_MANAGE,
)
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context, new_request_id
from municloud.kernel.db import UnitOfWork
from municloud.kernel.identity.login import Attempt
from municloud.kernel.identity.orm import Membership, User, WebSession
from municloud.kernel.identity.services import UserInfo, audit_user, memberships_of
from municloud.kernel.identity.throttle import Throttle, throttled
from municloud.kernel.identity.totp import INVALID_CODE, ISSUER, accepted_step

PASSWORD, FULL = "password", "full"
TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often
EXPIRED = "ログインの有効期限が切れました。もう一度ログインしてください"


@dataclass(frozen=True)
class SessionInfo:
    user_id: int
    username: str
    display_name: str
    stage: str
    csrf_token: str
    enrolled: bool
    tenants: dict[str, list[str]]
    is_operator: bool

    @property
    def complete(self) -> bool:
        return self.stage == FULL


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str  # otpauth:// URI shown as a QR code


@dataclass(frozen=True)
class EnrolmentStatus:
    username: str
    display_name: str
    roles: list[str]
    enrolled_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _info(uow: UnitOfWork, row: WebSession, user: User) -> SessionInfo:
    return SessionInfo(
        user.id, user.username, user.display_name, row.stage, row.csrf_token,
        user.totp_enrolled_at is not None, memberships_of(uow, user.id), user.is_operator,
    )




def open_session(
    uow: UnitOfWork, user: UserInfo, *, client_addr: str | None = None, complete: bool = False
) -> tuple[str, SessionInfo]:
    """After a correct password: a session waiting for the second factor (``complete``:
    both factors were proved at once, the session is ``full`` from the start)."""
    token = secrets.token_urlsafe(32)
    with uow:
        now = utcnow()
        row = WebSession(
            token_hash=_hash(token), user_id=user.id, stage=FULL if complete else PASSWORD,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now, last_seen_at=now, client_addr=client_addr,
        )
        uow.session.add(row)
        db_user = uow.session.get(User, user.id)
        info = _info(uow, row, db_user)
        uow.commit()
        return token, info


def _live(uow: UnitOfWork, token: str | None, *, for_update: bool = False) -> tuple[WebSession, User]:
    if not token:
        raise AuthenticationError("SESSION_REQUIRED", "ログインしてください")
    stmt = select(WebSession).where(WebSession.token_hash == _hash(token))
    row = uow.session.scalars(stmt.with_for_update() if for_update else stmt).one_or_none()
    if row is None or row.ended_at is not None or row.token_hash in _unwritten_ends:
        raise AuthenticationError("SESSION_REQUIRED", "ログインしてください")
    settings = uow.platform.settings
    now = utcnow()
    user = uow.session.get(User, row.user_id)
    if (
        user is None
        or not user.active
        or now - _seen(row) > timedelta(seconds=settings.session_idle_seconds)
        or now - row.created_at > timedelta(seconds=settings.session_max_seconds)
    ):
        raise AuthenticationError("SESSION_EXPIRED", EXPIRED)
    return row, user


def resolve_session(uow: UnitOfWork, token: str | None) -> SessionInfo:
    """The session behind a cookie, read in *uow* — a read-only unit of work, so that a
    screen request never queues behind a long write (the 当初賦課 holds SQLite's only write
    lock for minutes).  Refreshing the idle clock (at most every 30 s) and recording an
    expiry are short writes of their own, skipped when the database is busy: the session's
    checks (expiry, idle time, log-out, password change) are all made by the read."""
    try:
        with uow:
            row, user = _live(uow, token)
            info = _info(uow, row, user)
            touch = utcnow() - _seen(row) > TOUCH_EVERY
    except AuthenticationError as exc:
        if exc.code == "SESSION_EXPIRED":
            _write_if_free(uow.platform, token, "idle")
        raise
    if touch:
        _write_if_free(uow.platform, token, None)
    return info


TOUCH_WAIT_MS = 200  # how long the idle clock's refresh waits for a busy database
LOGOUT_WAIT_MS = 2000  # how long a log-out waits before it is kept in memory (``end_session``)
# Refreshes skipped while the database was busy (token hash → when), written by a later one:
# a clerk watching a long 当初賦課 is not signed out for idleness meanwhile.  Only a request
# that passed every check puts its time here, as a written refresh would.
_unwritten: dict[str, datetime] = {}
_unwritten_lock = threading.Lock()
# Log-outs that could not be written while the database was busy (token hash → the request's
# meta): the session is refused at once (``_live``) and the end is written, with its audit
# entry, by the next write that gets the lock.
_unwritten_ends: dict[str, dict] = {}


def _remember_refresh(token_hash: str, now: datetime, idle_seconds: int) -> None:
    """Keep a skipped refresh; entries older than the idle time are dropped (their sessions
    have expired anyway), so sessions that never come back leave nothing behind."""
    horizon = now - timedelta(seconds=idle_seconds)
    with _unwritten_lock:
        for stale in [h for h, seen in _unwritten.items() if seen < horizon]:
            del _unwritten[stale]
        _unwritten[token_hash] = now


def _seen(row: WebSession) -> datetime:
    """When the session last made a request (its row, or a refresh not written yet)."""
    return max(row.last_seen_at, _unwritten.get(row.token_hash, row.last_seen_at))


def _write_if_free(platform, token: str | None, end_reason: str | None) -> None:
    """Refresh the session's ``last_seen_at`` (``end_reason`` None) or end it — unless
    another transaction holds the lock longer than :data:`TOUCH_WAIT_MS`.  A skipped
    refresh is kept in memory and written by a later one; a skipped end is harmless, the
    session stays expired by its times."""
    from municloud.kernel.db import is_lock_timeout

    token_hash, now = _hash(token or ""), utcnow()
    with _unwritten_lock:
        ends = list(_unwritten_ends)
    try:
        with platform.uow(None, lock_wait_ms=TOUCH_WAIT_MS) as uow:
            _write_unwritten_ends(uow)
            if end_reason is not None:
                _end(uow, token, end_reason)
            else:
                row = uow.session.scalars(select(WebSession).where(
                    WebSession.token_hash == token_hash, WebSession.ended_at.is_(None))).one_or_none()
                if row is not None:
                    row.last_seen_at = now
            uow.commit()
    except OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        if end_reason is None:
            _remember_refresh(token_hash, now, platform.settings.session_idle_seconds)
        return
    _forget_written_ends(ends)
    with _unwritten_lock:
        _unwritten.pop(token_hash, None)


def _end(uow: UnitOfWork, token: str | None, reason: str) -> None:
    _end_hashed(uow, _hash(token or ""), reason)


def _end_hashed(uow: UnitOfWork, token_hash: str, reason: str) -> WebSession | None:
    """End the session (if open) and forget its unwritten refresh; the row when it was open."""
    row = uow.session.scalars(select(WebSession).where(WebSession.token_hash == token_hash)).one_or_none()
    with _unwritten_lock:
        _unwritten.pop(token_hash, None)
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason
        return row
    return None


def _log_out(uow: UnitOfWork, token_hash: str, meta: dict) -> None:
    """End the session with reason ``logout`` and audit it (in *uow*, not committed)."""
    row = _end_hashed(uow, token_hash, "logout")
    if row is not None:
        audit_user(uow, uow.session.get(User, row.user_id), meta, A_LOGOUT, "success")


def _write_unwritten_ends(uow: UnitOfWork) -> None:
    """Write the log-outs kept in memory while the database was busy (in *uow*)."""
    with _unwritten_lock:
        pending = list(_unwritten_ends.items())
    for token_hash, meta in pending:
        _log_out(uow, token_hash, meta)


def _forget_written_ends(hashes: list[str]) -> None:
    with _unwritten_lock:
        for token_hash in hashes:
            _unwritten_ends.pop(token_hash, None)


def begin_enrolment(uow: UnitOfWork, token: str) -> Enrolment:
    """First log-in: a new TOTP secret for the authenticator app (shown as a QR code)."""
    with uow:
        row, user = _live(uow, token, for_update=True)
        if user.totp_enrolled_at is not None:
            raise ValidationError("TOTP_ALREADY_ENROLLED", "二要素認証はすでに登録されています")
        row.pending_totp_secret = row.pending_totp_secret or pyotp.random_base32()
        enrolment = Enrolment(
            row.pending_totp_secret,
            pyotp.TOTP(row.pending_totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER),
        )
        uow.commit()
        return enrolment


def second_factor(
    uow: UnitOfWork, token: str, code: str, *, client_addr: str | None = None, request_id: str | None = None
) -> tuple[str, SessionInfo]:
    """Check a one-time password (or confirm the enrolment); returns the NEW token.

    A wrong code counts towards the throttle of the user's name and of the address.  While
    the address is throttled nothing is checked; while the name is, a wrong code ends this
    half-open session and gets the throttled answer (the log-in page then takes password
    and code together) — a right one still gets in."""
    with uow:
        row, user = _live(uow, token, for_update=True)
        user = uow.session.scalars(select(User).where(User.id == user.id).with_for_update()).one()
        meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr)
        now = utcnow()
        throttle = Throttle(uow.session, uow.platform.settings, now)
        attempt = Attempt(uow, throttle, user.username, meta, client_addr)
        attempt.user = user
        wait = throttle.remaining(attempt.address_key)
        if wait:
            raise throttled(wait)
        blocked = throttle.remaining(attempt.name_key, lock=True) > 0
        secret = user.totp_secret if user.totp_enrolled_at else row.pending_totp_secret
        if secret is None:
            raise ValidationError("TOTP_NOT_ENROLLED", "先に二要素認証を登録してください")
        step = accepted_step(secret, code, user.totp_last_step)
        if step is None:
            if blocked:
                _end(uow, token, "throttled")
            raise attempt.fail(A_SECOND_FACTOR_FAILURE, {"reason": "wrong_or_reused"}, blocked=blocked,
                               answer=_invalid_code())
        user.totp_last_step = step
        throttle.clear(attempt.name_key)
        if user.totp_enrolled_at is None:
            user.totp_secret, user.totp_enrolled_at = secret, now
            audit_user(uow, user, meta, A_TOTP_ENROLL, "success")
        audit_user(uow, user, meta, A_SECOND_FACTOR, "success")
        _end(uow, token, "rotated")
        new_token = secrets.token_urlsafe(32)
        fresh = WebSession(
            token_hash=_hash(new_token), user_id=user.id, stage=FULL, csrf_token=secrets.token_urlsafe(32),
            created_at=row.created_at, last_seen_at=now, client_addr=client_addr,
        )
        uow.session.add(fresh)
        uow.flush()
        info = _info(uow, fresh, user)
        uow.commit()
        return new_token, info


def _invalid_code() -> AuthenticationError:
    return AuthenticationError("TOTP_INVALID", INVALID_CODE, fields={"code": "正しい6桁の数字を入力してください"})


def end_sessions_of(uow: UnitOfWork, user_id: int, reason: str) -> None:
    """End every open screen session of a user (password changed, account deactivated)."""
    now = utcnow()
    for row in uow.session.scalars(
        select(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
    ):
        row.ended_at, row.end_reason = now, reason


def end_session(uow: UnitOfWork, token: str | None, *, request_id: str | None = None,
                client_addr: str | None = None) -> None:
    """ログアウト.  *uow* should wait briefly for the lock (``lock_wait_ms``): when another
    transaction holds it longer (the 当初賦課 on SQLite), the log-out is kept in memory — the
    session is refused from this moment — and written with its audit entry by the next
    write that gets the lock.  The clerk is logged out either way."""
    from municloud.kernel.db import is_lock_timeout

    token_hash = _hash(token or "")
    meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr)
    with _unwritten_lock:
        pending = list(_unwritten_ends)
    try:
        with uow:
            _write_unwritten_ends(uow)
            _log_out(uow, token_hash, meta)
            uow.commit()
    except OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        with _unwritten_lock:
            _unwritten_ends[token_hash] = meta
        return
    _forget_written_ends(pending + [token_hash])


def enrolment_status(uow: UnitOfWork, ctx: Context) -> list[EnrolmentStatus]:
    """Who in this tenant has enrolled a second factor (tenant admin)."""
    with uow:
        uow.require(ctx, P_USER_MANAGE, A_ENROLLMENT_VIEW)
        now = utcnow()
        current = Membership.valid_until.is_(None) | (Membership.valid_until > now)
        rows = uow.session.execute(
            select(User, Membership.role).join(Membership, Membership.user_id == User.id).where(current)
            .order_by(User.username)
        ).all()
        by_user: dict[int, tuple[User, list[str]]] = {}
        for user, role in rows:
            by_user.setdefault(user.id, (user, []))[1].append(role)
        result = [EnrolmentStatus(u.username, u.display_name, sorted(r), u.totp_enrolled_at) for u, r in by_user.values()]
        uow.audit.record(ctx, A_ENROLLMENT_VIEW, detail={"users": len(result)})
        uow.commit()
        return result
