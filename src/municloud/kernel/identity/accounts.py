"""A person's account over its life: password changes, deactivation, working for several
tenants (パスワード変更・利用停止・複数団体への結び付け).

* :func:`change_password` — the user themselves, with their current password.
* :func:`reset_password` — the operator (``kernel:account:manage``), e.g. for an
  imported user who has none, or one who forgot theirs.
* Either raises the user's ``token_version`` (every API token issued before dies at once)
  and ends their screen sessions.
* :func:`deactivate_user` — in a tenant, the tenant admin ends the person's roles **in that
  tenant** (they may still work for another: a tenant admin must neither see nor cut that);
  when no role is left anywhere the account itself is switched off.  At platform level the
  operator switches the account off wherever it works.  Both raise ``token_version``
  when the account goes off.
* :func:`link_user` — the operator gives an existing person roles in another tenant; the
  act is audited in that tenant, in every tenant the person already works for, and in the
  platform chain.  A tenant admin cannot do this (``services.add_user`` refuses names
  from elsewhere).
"""

from __future__ import annotations

from sqlalchemy import select

from municloud.errors import AuthenticationError, NotFoundError, ValidationError
from municloud.kernel.catalog import (
    A_PASSWORD_CHANGE,
    A_USER_DEACTIVATE,
    A_USER_LINK,
    P_ACCOUNT_MANAGE,
    P_USER_MANAGE,
)
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context, new_request_id
from municloud.kernel.db import UnitOfWork
from municloud.kernel.identity import passwords
from municloud.kernel.identity.orm import Membership, User
from municloud.kernel.identity.services import (
    UserInfo,
    _info,
    audit_user,
    grant_roles,
    memberships_of,
    user_chains,
)
from municloud.kernel.identity.sessions import end_sessions_of
from municloud.kernel.identity.throttle import Throttle, address_key, name_key, throttled
from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

NO_SUCH_USER = "その利用者名の利用者はいません"


def _user_by_name(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalars(select(User).where(User.username == username.strip()).with_for_update()).one_or_none()
    if user is None:
        raise NotFoundError("USER_NOT_FOUND", NO_SUCH_USER)
    return user


def _set_password(uow: UnitOfWork, user: User, new_password: str, reason: str) -> None:
    passwords.check_password_rule(user.username, new_password)
    user.password_hash = uow.platform.password_hasher.hash(new_password)
    user.token_version += 1
    end_sessions_of(uow, user.id, reason)


def change_password(
    uow: UnitOfWork, user_id: int, current_password: str, new_password: str, *, token_version: int | None = None,
    client_addr: str | None = None, request_id: str | None = None,
) -> None:
    """The user changes their own password (the current one is checked, and a wrong one
    counts towards the log-in throttle).  Every token and screen session ends, this one too."""
    with uow:
        user = uow.session.scalars(select(User).where(User.id == user_id).with_for_update()).one_or_none()
        if user is None or not user.active or (token_version is not None and token_version != user.token_version):
            raise AuthenticationError("TOKEN_INVALID", "ログインし直してください")
        meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr)
        throttle = Throttle(uow.session, uow.platform.settings, utcnow())
        keys = (name_key(user.username), address_key(client_addr))
        wait = max(throttle.remaining(keys[0], lock=True), throttle.remaining(keys[1]))
        if wait:
            raise throttled(wait)
        if not passwords.verify(uow.platform.password_hasher, user.password_hash, current_password):
            throttle.record_failure(*keys)
            audit_user(uow, user, meta, A_PASSWORD_CHANGE, "failure", detail={"reason": "current_password"})
            uow.commit()
            raise ValidationError("PASSWORD_CURRENT_WRONG", "今のパスワードが正しくありません",
                                  fields={"current_password": "今のパスワードを入力してください"})
        if new_password == current_password:
            raise ValidationError("PASSWORD_UNCHANGED", "新しいパスワードは今のものと違うものにしてください",
                                  fields={"new_password": "今のパスワードと違うものにしてください"})
        _set_password(uow, user, new_password, "password")
        audit_user(uow, user, meta, A_PASSWORD_CHANGE, "success", detail={"by": "self"})
        uow.commit()


def reset_password(uow: UnitOfWork, ctx: Context, username: str, new_password: str) -> UserInfo:
    """The operator sets a user's password (platform unit of work)."""
    with uow:
        uow.require(ctx, P_ACCOUNT_MANAGE, A_PASSWORD_CHANGE)
        user = _user_by_name(uow, username)
        _set_password(uow, user, new_password, "password_reset")
        _audit_everywhere(uow, ctx, user, A_PASSWORD_CHANGE, {"by": "operator"})
        info = _info(uow, user)
        uow.commit()
        return info


def deactivate_user(uow: UnitOfWork, ctx: Context, username: str) -> None:
    """利用停止: in a tenant, the tenant admin ends the person's roles there; at platform
    level the operator switches the account off.  Unknown users and users of other tenants
    get the same ``USER_NOT_FOUND`` from a tenant admin."""
    with uow:
        if uow.tenant_code is None:
            uow.require(ctx, P_ACCOUNT_MANAGE, A_USER_DEACTIVATE)
            user = _user_by_name(uow, username)
            if user.id == ctx.actor_id:
                raise ValidationError("USER_DEACTIVATE_SELF", "自分自身の利用は停止できません")
            _switch_off(uow, user)
            _audit_everywhere(uow, ctx, user, A_USER_DEACTIVATE, {"scope": "account"})
            uow.commit()
            return
        uow.require(ctx, P_USER_MANAGE, A_USER_DEACTIVATE)
        user = uow.session.scalars(select(User).where(User.username == username.strip()).with_for_update()).one_or_none()
        roles = memberships_of(uow, user.id).get(uow.tenant_code, []) if user else []
        if not roles:
            raise NotFoundError("USER_NOT_FOUND", "この団体にその利用者名の利用者はいません")
        if user.id == ctx.actor_id:
            raise ValidationError("USER_DEACTIVATE_SELF", "自分自身の利用は停止できません")
        now = utcnow()
        for row in uow.session.scalars(select(Membership).where(Membership.user_id == user.id)):
            if row.valid_until is None or row.valid_until > now:
                row.valid_until = now
        uow.audit.record(ctx, A_USER_DEACTIVATE, subjects=[f"user:{user.id}"], detail={"roles": roles})
        if not memberships_of(uow, user.id) and not user.is_operator:
            _switch_off(uow, user)  # no role left anywhere: the account goes off too
        uow.commit()


def _switch_off(uow: UnitOfWork, user: User) -> None:
    user.active = False
    user.token_version += 1
    end_sessions_of(uow, user.id, "deactivated")


def link_user(uow: UnitOfWork, ctx: Context, username: str, roles: list[str]) -> UserInfo:
    """The operator gives an existing person *roles* in the unit of work's tenant."""
    catalog = uow.platform.catalog
    with uow:
        uow.require(ctx, P_ACCOUNT_MANAGE, A_USER_LINK, subjects=[f"tenant:{uow.tenant_code}"])
        if uow.tenant_code is None or uow.session.get(Tenant, uow.tenant_code) is None:
            raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {uow.tenant_code} は登録されていません")
        if not roles:
            raise ValidationError("ROLE_REQUIRED", "ロールを1つ以上指定してください")
        for role in roles:
            catalog.require_role(role, platform=False)
        user = _user_by_name(uow, username)
        if user.is_operator:
            raise ValidationError("OPERATOR_NO_TENANT_ROLES",
                                  f"利用者「{user.username}」は基盤の運用者のため、団体のロールは付与できません")
        if not user.active:
            raise ValidationError("USER_INACTIVE", f"利用者「{user.username}」は利用停止中です")
        before = [code for code in memberships_of(uow, user.id) if code != uow.tenant_code]
        granted = grant_roles(uow, ctx, user, roles, utcnow())
        detail = {"tenant": uow.tenant_code, "roles": granted}
        for chain in sorted({uow.tenant_code, PLATFORM_SCOPE, *before}):
            uow.audit.record(ctx, A_USER_LINK, subjects=[f"user:{user.id}"], detail=detail, tenant_code=chain)
        uow.session.flush()
        info = _info(uow, user)
        uow.commit()
        return info


def _audit_everywhere(uow: UnitOfWork, ctx: Context, user: User, action: str, detail: dict) -> None:
    for chain in sorted({PLATFORM_SCOPE, *user_chains(uow, user)}):
        uow.audit.record(ctx, action, subjects=[f"user:{user.id}"], detail=detail, tenant_code=chain)
