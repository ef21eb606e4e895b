"""Users (platform-wide identities), memberships (roles held in one tenant), screen
sessions, the log-in throttle, and API clients (per-tenant machine credentials)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class User(Base):
    """A person who signs in (職員・運用者). Passwords are argon2 hashes."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Carried in every API token and compared when its Context is built: raised when the
    # password changes or the account is deactivated, so every earlier token dies at once.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # 二要素認証 (RFC 6238) secret
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # last accepted time step (no replay)


class Membership(TenantOwned, Base):
    """A role a user holds in one tenant (所属・ロール), optionally until a date."""

    __tablename__ = "memberships"

    tenant_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("tenants.code"), primary_key=True, sort_order=-100
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime)
    granted_by: Mapped[str] = mapped_column(String(64))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in browser (画面のログインセッション); the cookie holds a token whose
    SHA-256 is the key here, so a leaked table does not let anyone sign in."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))  # password (second factor pending) / full
    csrf_token: Mapped[str] = mapped_column(String(64))
    pending_totp_secret: Mapped[str | None] = mapped_column(String(64))  # during enrolment
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    client_addr: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed log-ins per client address or per submitted user name (ログイン試行の抑止).

    ``key`` is ``addr:<address>`` or ``name:<SHA-256 of the lower-cased name>`` — a name
    that exists nowhere gets a row exactly like one that does.  A table (not memory) so
    every server process sees the same counts; rows are deleted once their failures are
    older than ``login_failure_window_seconds`` (``kernel/identity/throttle.py``)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)


class ApiClient(TenantOwned, Base):
    """A machine client of one tenant (APIクライアント: batch jobs, other systems).

    Its own credentials (``client_id`` + a generated secret, kept as an argon2 hash and
    shown once), a fixed set of permissions (``scopes``) in this tenant only, an expiry,
    and a revocation that takes effect on the next request."""

    __tablename__ = "api_clients"

    tenant_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("tenants.code"), primary_key=True, sort_order=-100
    )
    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


__all__ = ["ApiClient", "LoginThrottle", "Membership", "User", "WebSession", "tenant_code_column"]
