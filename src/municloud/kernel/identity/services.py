"""Identity use cases: adding users and roles, reading who a user is, building a Context.

Log-in is in :mod:`.login`, screen sessions in :mod:`.sessions`, API clients in
:mod:`.clients`, password changes, deactivation and linking in :mod:`.accounts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from municloud.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from municloud.kernel.catalog import (
    A_ACCESS_DENIED,
    A_ROLE_GRANT,
    A_USER_ADD,
    A_USER_LIST,
    P_TENANT_MANAGE,
    P_USER_MANAGE,
)
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context, new_request_id
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import DISPLAY_NAME, USERNAME
from municloud.kernel.identity import passwords
from municloud.kernel.identity.orm import Membership, User
from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

RELOGIN = "ログインし直してください"
TOKEN_INVALID = "認証の有効期限が切れたか、認証情報が正しくありません"
#: User names: ASCII letters, digits and ``. _ @ -``; no ``:`` (``cli:…``, ``client:…`` are
#: the audit log's names for the command line and API clients, and must not be impersonated).
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
#: Names of the system's own actors (and the usual impersonation targets): never a person's.
RESERVED_NAMES = frozenset({"system", "public", "anonymous", "demo-setup", "operator", "root", "admin"})
UNAVAILABLE = "この利用者名は使えません。別の利用者名にしてください"


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


def user_chains(uow: UnitOfWork, user: User) -> list[str]:
    """The audit chains a user's own events go to: each of their tenants (operators: the
    platform chain too; a user of no tenant: the platform chain)."""
    scopes = list(memberships_of(uow, user.id)) or [PLATFORM_SCOPE]
    if user.is_operator and PLATFORM_SCOPE not in scopes:
        scopes.append(PLATFORM_SCOPE)
    return scopes


def audit_user(uow: UnitOfWork, user: User, meta: dict, action: str, outcome: str = "success", **kw) -> None:
    """Record *action* by *user* themselves in every chain of :func:`user_chains`."""
    ctx = Context(tenant_code=None, actor=user.username, actor_id=user.id, **meta)
    for scope in user_chains(uow, user):
        uow.audit.record(ctx, action, outcome=outcome, tenant_code=scope, **kw)


def check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.fullmatch(username):
        raise ValidationError(
            "USERNAME_INVALID",
            "利用者名は半角英数字（記号は . _ @ - のみ、64文字まで）で入力してください",
            fields={"username": "半角英数字で入力してください"},
        )
    return username


def add_user(
    uow: UnitOfWork,
    ctx: Context,
    username: str,
    password: str | None,
    roles: list[str],
    display_name: str | None = None,
) -> UserInfo:
    """Add a user to the unit of work's tenant with *roles* (利用者登録・ロール付与).

    In a tenant, a tenant admin creates **new** users, or grants more roles to a user who
    is already a member of this tenant (their password is kept).  Any other name — a
    reserved one, or one that belongs to someone outside this tenant — is refused with the
    one answer ``USERNAME_UNAVAILABLE``, which does not tell which it was, and the refusal
    is audited in this tenant's chain (so probing for names shows).  Giving an existing
    person a role in another tenant is the operator's act (``accounts.link_user``).
    Residual: that a well-formed, unreserved name is unavailable still tells that it is
    taken somewhere on the platform (user names are unique platform-wide).

    With the unit of work bound to no tenant, only the platform role ``operator`` can be
    given, and only to a new user (or again to an operator).  An operator account never
    receives a tenant role: the operator must not read residents' data (R15).
    """
    catalog = uow.platform.catalog
    with uow:
        platform_scope = uow.tenant_code is None
        uow.require(ctx, P_TENANT_MANAGE if platform_scope else P_USER_MANAGE, A_USER_ADD)
        # the declared item first (kernel.fields: length, characters — the CLI's door too), then
        # the narrower pattern of a user name
        USERNAME.check(username.strip(), "username")
        username = check_username(username)
        if display_name:
            DISPLAY_NAME.check(display_name, "display_name")
        if not roles:
            raise ValidationError("ROLE_REQUIRED", "ロールを1つ以上指定してください")
        for role in roles:
            catalog.require_role(role, platform=platform_scope)
        if not platform_scope and uow.session.get(Tenant, uow.tenant_code) is None:
            raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {uow.tenant_code} は登録されていません")
        user = uow.session.scalars(
            select(User).where(func.lower(User.username) == username.lower())
        ).one_or_none()
        now = utcnow()
        if not platform_scope and (
            username.lower() in RESERVED_NAMES
            or (user is not None and (user.username != username or uow.tenant_code not in memberships_of(uow, user.id)))
        ):
            uow.audit.record(ctx, A_USER_ADD, outcome="denied", detail={"reason": "username_unavailable"},
                             always=True)
            raise ValidationError("USERNAME_UNAVAILABLE", UNAVAILABLE, fields={"username": "使えない利用者名です"})
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
                token_version=0,
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
        if not platform_scope:
            grant_roles(uow, ctx, user, roles, now)
        uow.session.flush()
        info = _info(uow, user, only=uow.tenant_code)
        uow.commit()
        return info


def grant_roles(uow: UnitOfWork, ctx: Context, user: User, roles: list[str], now) -> list[str]:
    """Add the memberships of *roles* the user lacks in the unit of work's tenant (audited)."""
    held = set(memberships_of(uow, user.id).get(uow.tenant_code, []))
    added = []
    for role in roles:
        if role in held or role in added:
            continue
        ended = uow.session.get(Membership, (uow.tenant_code, user.id, role))
        if ended is not None:  # a role held before and ended: granted again
            ended.granted_at, ended.granted_by, ended.valid_until = now, ctx.actor, None
        else:
            uow.session.add(Membership(tenant_code=uow.tenant_code, user_id=user.id, role=role,
                                       granted_at=now, granted_by=ctx.actor))
        uow.audit.record(ctx, A_ROLE_GRANT, subjects=[f"user:{user.id}"], detail={"role": role})
        added.append(role)
    return added


def _live_user(uow: UnitOfWork, user_id: int, token_version: int | None) -> User:
    """The active user of a request; with *token_version* (API tokens), the token must be
    of the user's current version (else it died with a password change or deactivation)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.active:
        raise AuthenticationError("AUTH_FAILED", RELOGIN)
    if token_version is not None and token_version != user.token_version:
        raise AuthenticationError("TOKEN_INVALID", TOKEN_INVALID)
    return user


def describe_user(uow: UnitOfWork, user_id: int, *, token_version: int | None = None) -> UserInfo:
    """The signed-in user with their tenants and roles (no residents' data; not audited)."""
    with uow:
        return _info(uow, _live_user(uow, user_id, token_version))


def list_users(uow: UnitOfWork, ctx: Context) -> list[UserInfo]:
    """Users holding a role in this tenant (tenant admin)."""
    with uow:
        uow.require(ctx, P_USER_MANAGE, A_USER_LIST)
        now = utcnow()
        ids = uow.session.scalars(
            select(Membership.user_id).where((Membership.valid_until.is_(None)) | (Membership.valid_until > now))
            .distinct()
        ).all()
        users = uow.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.username))
        return [_info(uow, u, only=uow.tenant_code) for u in users]


def context_for(
    uow: UnitOfWork,
    user_id: int,
    *,
    token_version: int | None = None,
    request_id: str | None = None,
    client_addr: str | None = None,
    terminal: str | None = None,
    place: str | None = None,
) -> Context:
    """The Context of *user_id* acting in the unit of work's tenant.

    *token_version*: the version an API token carries (screens pass none: their sessions
    are ended directly).  A user without a valid role there is refused with the same
    answer whether or not the tenant exists, and the refusal is audited (in that tenant's
    chain when it exists).
    """
    catalog = uow.platform.catalog
    with uow:
        user = _live_user(uow, user_id, token_version)
        meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr, terminal=terminal, place=place)
        if uow.tenant_code is None:
            if not user.is_operator:
                raise PermissionDeniedError("PLATFORM_ACCESS_DENIED", "基盤の管理権限がありません")
            roles = frozenset({"operator"})
            return Context(None, user.username, user.id, roles, catalog.permissions_of(roles), **meta)
        roles = frozenset(memberships_of(uow, user.id).get(uow.tenant_code, []))
        if not roles:
            refuse_tenant(uow, Context(uow.tenant_code, user.username, user.id, **meta))
        return Context(uow.tenant_code, user.username, user.id, roles, catalog.permissions_of(roles), **meta)


def refuse_tenant(uow: UnitOfWork, ctx: Context) -> None:
    """Refuse (and audit) an actor with no standing in the unit of work's tenant — the same
    answer whether or not the tenant exists."""
    exists = uow.session.get(Tenant, uow.tenant_code) is not None
    uow.audit.record(
        ctx,
        A_ACCESS_DENIED,
        outcome="denied",
        detail={"reason": "no_membership"},
        tenant_code=uow.tenant_code if exists else PLATFORM_SCOPE,
        always=True,
    )
    raise PermissionDeniedError("TENANT_ACCESS_DENIED", "この団体の業務を行う権限がありません")
