"""Identity use cases: adding users and roles, log-in with lock-out, building a Context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from municloud.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from municloud.kernel.catalog import (
    A_ACCESS_DENIED,
    A_LOGIN_FAILURE,
    A_LOGIN_LOCKED,
    A_LOGIN_SUCCESS,
    A_ROLE_GRANT,
    A_USER_ADD,
    A_USER_LIST,
    P_TENANT_MANAGE,
    P_USER_MANAGE,
)
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import DISPLAY_NAME, USERNAME
from municloud.kernel.identity import passwords
from municloud.kernel.identity.orm import Membership, User
from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

BAD_CREDENTIALS = "利用者名またはパスワードが正しくありません"
LOCKED = "ログインに続けて失敗したため、アカウントを一時的にロックしています。しばらくしてからやり直してください"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    is_operator: bool
    tenants: dict[str, list[str]]  # tenant code → roles


def memberships_of(uow: UnitOfWork, user_id: int) -> dict[str, list[str]]:
    now = utcnow()
    rows = uow.session.scalars(
        select(Membership)
        .where(Membership.user_id == user_id)
        .execution_options(all_tenants=True)
    )
    out: dict[str, list[str]] = {}
    for m in rows:
        if m.valid_until is None or m.valid_until > now:
            out.setdefault(m.tenant_code, []).append(m.role)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _info(uow: UnitOfWork, user: User, *, only: str | None = None) -> UserInfo:
    """The user's details; with *only*, their roles in that one tenant and no other.

    A tenant admin must not learn where else a person works, so tenant-scoped use cases
    pass ``only=uow.tenant_code``; the user's own log-in sees every tenant.
    """
    tenants = memberships_of(uow, user.id)
    if only is not None:
        tenants = {code: roles for code, roles in tenants.items() if code == only}
    return UserInfo(user.id, user.username, user.display_name, user.is_operator, tenants)


def add_user(
    uow: UnitOfWork,
    ctx: Context,
    username: str,
    password: str | None,
    roles: list[str],
    display_name: str | None = None,
) -> UserInfo:
    """Add a user to the unit of work's tenant with *roles* (利用者登録・ロール付与).

    An existing user (same user name) keeps its password and gains the roles.  With the
    unit of work bound to no tenant, only the platform role ``operator`` can be given, and
    only to a new user (or again to an operator).  An operator account never receives a
    tenant role: the operator must not read residents' data (R15).
    """
    catalog = uow.platform.catalog
    with uow:
        platform_scope = uow.tenant_code is None
        uow.require(ctx, P_TENANT_MANAGE if platform_scope else P_USER_MANAGE, A_USER_ADD)
        username = username.strip()
        if not username or not username.isascii() or " " in username:
            raise ValidationError(
                "USERNAME_INVALID",
                "利用者名は空白を含まない半角英数字で入力してください",
                fields={"username": "半角英数字で入力してください"},
            )
        USERNAME.check(username, "username")  # the declared item (kernel.fields): the CLI's door too
        if display_name:
            DISPLAY_NAME.check(display_name, "display_name")
        if not roles:
            raise ValidationError("ROLE_REQUIRED", "ロールを1つ以上指定してください")
        for role in roles:
            catalog.require_role(role, platform=platform_scope)
        if not platform_scope and uow.session.get(Tenant, uow.tenant_code) is None:
            raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {uow.tenant_code} は登録されていません")
        user = uow.session.scalars(select(User).where(User.username == username)).one_or_none()
        now = utcnow()
        if user is None:
            if password is None:
                raise ValidationError("PASSWORD_REQUIRED", "新しい利用者にはパスワードが必要です")
            passwords.check_password_rule(username, password)
            user = User(
                username=username,
                display_name=(display_name or username).strip(),
                password_hash=uow.platform.password_hasher.hash(password),
                is_operator=platform_scope,
                active=True,
                failed_logins=0,
                created_at=now,
            )
            uow.session.add(user)
            uow.session.flush()
            uow.audit.record(ctx, A_USER_ADD, subjects=[f"user:{user.id}"])
        elif platform_scope and not user.is_operator:
            raise ValidationError(
                "USER_IS_NOT_OPERATOR",
                f"利用者「{username}」は団体の職員として登録済みのため、運用者にはできません。別の利用者名で登録してください",
            )
        elif not platform_scope and user.is_operator:
            raise ValidationError(
                "OPERATOR_NO_TENANT_ROLES",
                f"利用者「{username}」は基盤の運用者のため、団体のロールは付与できません",
            )
        if not platform_scope:
            held = set(memberships_of(uow, user.id).get(uow.tenant_code, []))
            for role in roles:
                if role not in held:
                    uow.session.add(
                        Membership(
                            tenant_code=uow.tenant_code,
                            user_id=user.id,
                            role=role,
                            granted_at=now,
                            granted_by=ctx.actor,
                        )
                    )
                    uow.audit.record(ctx, A_ROLE_GRANT, subjects=[f"user:{user.id}"], detail={"role": role})
        uow.session.flush()
        info = _info(uow, user, only=uow.tenant_code)
        uow.commit()
        return info


def describe_user(uow: UnitOfWork, user_id: int) -> UserInfo:
    """The signed-in user with their tenants and roles (no residents' data; not audited)."""
    with uow:
        user = uow.session.get(User, user_id)
        if user is None or not user.active:
            raise AuthenticationError("AUTH_FAILED", "ログインし直してください")
        return _info(uow, user)


def list_users(uow: UnitOfWork, ctx: Context) -> list[UserInfo]:
    """Users holding a role in this tenant (tenant admin)."""
    with uow:
        uow.require(ctx, P_USER_MANAGE, A_USER_LIST)
        ids = uow.session.scalars(select(Membership.user_id).distinct()).all()
        users = uow.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.username))
        return [_info(uow, u, only=uow.tenant_code) for u in users]


def authenticate(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    client_addr: str | None = None,
    request_id: str | None = None,
    terminal: str | None = None,
) -> UserInfo:
    """Check a user name and password (ログイン), with lock-out after repeated failures.

    Every success and failure is audited in the chain of each tenant the user belongs to
    (or the platform chain for operators and unknown names).
    """
    settings = uow.platform.settings
    hasher = uow.platform.password_hasher
    with uow:
        # Lock the user row: concurrent wrong passwords must each count towards the lock
        # (without it, PostgreSQL READ COMMITTED loses increments and parallel guessing
        # never locks the account).
        user = uow.session.scalars(
            select(User).where(User.username == username).with_for_update()
        ).one_or_none()
        meta = dict(request_id=request_id or "", client_addr=client_addr, terminal=terminal)
        if user is None or not user.active:
            passwords.verify(hasher, uow.platform.dummy_hash, password)  # same work either way
            ctx = Context(tenant_code=None, actor=username[:64] or "-", **meta)
            uow.audit.record(ctx, A_LOGIN_FAILURE, outcome="failure", detail={"reason": "unknown_or_inactive"})
            uow.commit()
            raise AuthenticationError("AUTH_FAILED", BAD_CREDENTIALS)
        ctx = Context(tenant_code=None, actor=user.username, actor_id=user.id, **meta)
        scopes = list(memberships_of(uow, user.id)) or [PLATFORM_SCOPE]
        if user.is_operator and PLATFORM_SCOPE not in scopes:
            scopes.append(PLATFORM_SCOPE)
        now = utcnow()

        def audit_all(action: str, outcome: str, detail: dict | None = None) -> None:
            for scope in scopes:
                uow.audit.record(ctx, action, outcome=outcome, detail=detail, tenant_code=scope)

        if user.locked_until is not None and user.locked_until > now:
            audit_all(A_LOGIN_LOCKED, "denied", {"locked_until": user.locked_until.isoformat()})
            uow.commit()
            raise AuthenticationError("AUTH_LOCKED", LOCKED)
        if not passwords.verify(hasher, user.password_hash, password):
            user.failed_logins += 1
            audit_all(A_LOGIN_FAILURE, "failure", {"failed_logins": user.failed_logins})
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(seconds=settings.login_lock_seconds)
                user.failed_logins = 0
                audit_all(A_LOGIN_LOCKED, "denied", {"locked_until": user.locked_until.isoformat()})
            uow.commit()
            raise AuthenticationError("AUTH_FAILED", BAD_CREDENTIALS)
        user.failed_logins = 0
        user.locked_until = None
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        audit_all(A_LOGIN_SUCCESS, "success")
        info = _info(uow, user)
        uow.commit()
        return info


def context_for(
    uow: UnitOfWork,
    user_id: int,
    *,
    request_id: str | None = None,
    client_addr: str | None = None,
    terminal: str | None = None,
    place: str | None = None,
) -> Context:
    """The Context of *user_id* acting in the unit of work's tenant.

    A user without a valid role there is refused with the same answer whether or not the
    tenant exists, and the refusal is audited (in that tenant's chain when it exists).
    """
    catalog = uow.platform.catalog
    with uow:
        user = uow.session.get(User, user_id)
        if user is None or not user.active:
            raise AuthenticationError("AUTH_FAILED", "ログインし直してください")
        meta = dict(request_id=request_id or "", client_addr=client_addr, terminal=terminal, place=place)
        if uow.tenant_code is None:
            if not user.is_operator:
                raise PermissionDeniedError("PLATFORM_ACCESS_DENIED", "基盤の管理権限がありません")
            roles = frozenset({"operator"})
            return Context(None, user.username, user.id, roles, catalog.permissions_of(roles), **meta)
        roles = frozenset(memberships_of(uow, user.id).get(uow.tenant_code, []))
        if not roles:
            exists = uow.session.get(Tenant, uow.tenant_code) is not None
            ctx = Context(uow.tenant_code, user.username, user.id, **meta)
            uow.audit.record(
                ctx,
                A_ACCESS_DENIED,
                outcome="denied",
                detail={"reason": "no_membership"},
                tenant_code=uow.tenant_code if exists else PLATFORM_SCOPE,
                always=True,
            )
            raise PermissionDeniedError("TENANT_ACCESS_DENIED", "この団体の業務を行う権限がありません")
        return Context(uow.tenant_code, user.username, user.id, roles, catalog.permissions_of(roles), **meta)
