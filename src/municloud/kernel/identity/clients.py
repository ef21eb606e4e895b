"""API clients (APIクライアント): credentials of machines — batch jobs, other systems.

People get API tokens only with their second factor (``login.py``); a machine has none,
so it gets credentials of its own instead of borrowing a person's:

* created by the tenant admin (``kernel:api_client:manage``) for **one tenant**, with a
  name, the permissions it may use (``scopes``: chosen from those the tenant's roles
  carry, never user/role/client management nor the whole-tenant export —
  permissions registered ``for_clients=False``) and an expiry date at most a year ahead;
* its id (``<団体コード>-<12 hex>``) and a random secret (256 bits) are shown once; only
  the secret's argon2 hash is kept;
* it asks ``POST /api/v1/auth/token`` with ``grant_type=client_credentials`` for a token
  that lives ``client_token_ttl_seconds`` (never past the client's expiry), acting as
  ``client:<id>`` with exactly its scopes in its tenant;
* revoking it (or its expiry) refuses its tokens on the very next request: every request
  reads the client row (:func:`client_context`).

Every creation, revocation, token and failed attempt is audited in the tenant's chain
(a failure for an unknown client id in the platform chain).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from municloud.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from municloud.kernel.catalog import (
    A_API_CLIENT_ADD,
    A_API_CLIENT_LIST,
    A_API_CLIENT_REVOKE,
    A_CLIENT_TOKEN,
    A_CLIENT_TOKEN_FAILURE,
    P_API_CLIENT_MANAGE,
    Catalog,
)
from municloud.kernel.clock import JST, today_jst, utcnow
from municloud.kernel.context import Context, new_request_id
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import CLIENT_NAME
from municloud.kernel.identity import passwords
from municloud.kernel.identity.orm import ApiClient
from municloud.kernel.identity.services import refuse_tenant
from municloud.kernel.identity.throttle import Throttle, address_key, name_key, throttled
from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

CLIENT_ID = re.compile(r"^(?P<tenant>[0-9]{6})-[0-9a-f]{12}$")
MAX_DAYS = 366
MIN_SECRET = 32
BAD_CLIENT = "クライアントIDまたはクライアントシークレットが正しくありません"
CLIENT_GONE = "この API クライアントは失効したか有効期限が切れています。団体管理者に新しいクライアントの登録を依頼してください"


@dataclass(frozen=True)
class ApiClientInfo:
    client_id: str
    name: str
    scopes: list[str]
    expires_at: datetime  # naive UTC: the end of the expiry day in Japan
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


@dataclass(frozen=True)
class NewClient:
    info: ApiClientInfo
    secret: str  # shown once, kept nowhere


def _info(row: ApiClient) -> ApiClientInfo:
    return ApiClientInfo(row.client_id, row.name, sorted(row.scopes), row.expires_at, row.created_at,
                         row.created_by, row.revoked_at, row.last_used_at)


def allowed_scopes(catalog: Catalog) -> list[str]:
    """Permissions an API client may be given (:meth:`Catalog.client_scopes`)."""
    return catalog.client_scopes()


def end_of_day_utc(day: date) -> datetime:
    """The end of *day* in Japan (the next midnight JST) as naive UTC."""
    return datetime.combine(day + timedelta(days=1), time(), JST).astimezone(UTC).replace(tzinfo=None)


def create_api_client(
    uow: UnitOfWork, ctx: Context, name: str, scopes: list[str], expires_on: date,
    *, credentials: tuple[str, str] | None = None,
) -> NewClient:
    """Register an API client of the unit of work's tenant (tenant admin).

    *credentials* (id, secret) are for the demo only, which prints fixed ones like its
    passwords; they must have the shape and length of generated ones."""
    catalog = uow.platform.catalog
    with uow:
        uow.require(ctx, P_API_CLIENT_MANAGE, A_API_CLIENT_ADD)
        name = (name or "").strip()
        if not name:
            raise ValidationError("CLIENT_NAME_INVALID", "クライアントの名前を入力してください",
                                  fields={"name": "入力してください"})
        CLIENT_NAME.check(name, "name")  # the declared item: the screen's door refuses what the API's does
        allowed = allowed_scopes(catalog)
        chosen = sorted(set(scopes or []))
        wrong = [s for s in chosen if s not in allowed]
        if not chosen or wrong:
            raise ValidationError(
                "CLIENT_SCOPE_INVALID",
                "権限の範囲を1つ以上、次から選んでください：" + "、".join(allowed)
                + (f"（使えない権限：{'、'.join(wrong)}）" if wrong else ""),
                fields={"scopes": "一覧にある権限を1つ以上選んでください"},
            )
        today = today_jst()
        if not (today < expires_on <= today + timedelta(days=MAX_DAYS)):
            raise ValidationError(
                "CLIENT_EXPIRY_INVALID", f"有効期限は明日から{MAX_DAYS}日後までの日付にしてください",
                fields={"expires_on": f"明日から{MAX_DAYS}日後までの日付にしてください"},
            )
        if uow.session.get(Tenant, uow.tenant_code) is None:
            raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {uow.tenant_code} は登録されていません")
        client_id, secret = credentials or (f"{uow.tenant_code}-{secrets.token_hex(6)}", secrets.token_urlsafe(32))
        match = CLIENT_ID.fullmatch(client_id)
        if match is None or match["tenant"] != uow.tenant_code or len(secret) < MIN_SECRET:
            raise ValidationError("CLIENT_CREDENTIALS_INVALID", "クライアントIDまたはシークレットの形式が正しくありません")
        if uow.session.get(ApiClient, (uow.tenant_code, client_id)) is not None:
            raise ConflictError("CLIENT_EXISTS", f"クライアントID {client_id} はすでに使われています")
        row = ApiClient(
            tenant_code=uow.tenant_code, client_id=client_id, name=name,
            secret_hash=uow.platform.password_hasher.hash(secret), scopes=chosen,
            expires_at=end_of_day_utc(expires_on), created_at=utcnow(), created_by=ctx.actor,
        )
        uow.session.add(row)
        uow.audit.record(ctx, A_API_CLIENT_ADD, subjects=[f"api_client:{client_id}"],
                         detail={"scopes": chosen, "expires_on": expires_on.isoformat()})
        info = _info(row)
        uow.commit()
        return NewClient(info, secret)


def list_api_clients(uow: UnitOfWork, ctx: Context) -> list[ApiClientInfo]:
    """The tenant's API clients, newest first (tenant admin; secrets are never shown again)."""
    with uow:
        uow.require(ctx, P_API_CLIENT_MANAGE, A_API_CLIENT_LIST)
        rows = uow.session.scalars(select(ApiClient).order_by(ApiClient.created_at.desc(), ApiClient.client_id))
        return [_info(r) for r in rows]


def revoke_api_client(uow: UnitOfWork, ctx: Context, client_id: str) -> ApiClientInfo:
    """Revoke a client (tenant admin): its tokens are refused from the next request on."""
    with uow:
        uow.require(ctx, P_API_CLIENT_MANAGE, A_API_CLIENT_REVOKE, subjects=[f"api_client:{client_id}"])
        row = uow.session.get(ApiClient, (uow.tenant_code, client_id))
        if row is None:
            raise NotFoundError("CLIENT_NOT_FOUND", f"この団体に API クライアント {client_id} はありません")
        if row.revoked_at is not None:
            raise ConflictError("CLIENT_ALREADY_REVOKED", f"API クライアント {client_id} はすでに失効しています")
        row.revoked_at, row.revoked_by = utcnow(), ctx.actor
        uow.audit.record(ctx, A_API_CLIENT_REVOKE, subjects=[f"api_client:{client_id}"])
        info = _info(row)
        uow.commit()
        return info


def authenticate_client(
    platform, client_id: str, secret: str, *, client_addr: str | None = None, request_id: str | None = None,
    terminal: str | None = None,
) -> ApiClientInfo:
    """The client credentials grant: check id and secret (throttled like people's log-ins).

    An unknown id, a wrong secret: one answer after the same work (the dummy hash).  Only
    the holder of the right secret learns that the client is revoked or expired."""
    match = CLIENT_ID.fullmatch(client_id or "")
    tenant = match["tenant"] if match else None
    uow = platform.uow(tenant)
    with uow:
        now = utcnow()
        throttle = Throttle(uow.session, platform.settings, now)
        keys = (name_key(f"client:{client_id}"), address_key(client_addr))
        wait = throttle.remaining(keys[1])
        if wait:
            raise throttled(wait)
        blocked = throttle.remaining(keys[0], lock=True) > 0
        row = uow.session.get(ApiClient, (tenant, client_id)) if tenant else None
        right = passwords.verify(platform.password_hasher, row.secret_hash if row else platform.dummy_hash,
                                 secret or "")
        ctx = Context(tenant if row else None, f"client:{client_id}"[:64], client_addr=client_addr,
                      request_id=request_id or new_request_id(), terminal=terminal, place="api")
        chain = tenant if row else PLATFORM_SCOPE
        if not (row and right):
            failures = throttle.record_failure(*keys)
            uow.audit.record(ctx, A_CLIENT_TOKEN_FAILURE, outcome="failure", tenant_code=chain,
                             detail={"reason": "secret" if row else "unknown", "failures": failures[0].failures})
            uow.commit()
            if blocked:
                raise throttled(failures[0].blocked_seconds)
            raise AuthenticationError("CLIENT_AUTH_FAILED", BAD_CLIENT)
        if row.revoked_at is not None or row.expires_at <= now:
            reason = "revoked" if row.revoked_at is not None else "expired"
            uow.audit.record(ctx, A_CLIENT_TOKEN_FAILURE, outcome="denied", tenant_code=chain, detail={"reason": reason})
            uow.commit()
            raise AuthenticationError("CLIENT_INACTIVE", CLIENT_GONE)
        throttle.clear(keys[0])
        row.last_used_at = now
        uow.audit.record(ctx, A_CLIENT_TOKEN, subjects=[f"api_client:{client_id}"], tenant_code=chain)
        info = _info(row)
        uow.commit()
        return info


def client_context(
    uow: UnitOfWork, client_id: str, token_tenant: str | None, *, request_id: str | None = None,
    client_addr: str | None = None, terminal: str | None = None, place: str | None = None,
) -> Context:
    """The Context of an API client's token in the unit of work's tenant: exactly the
    client's scopes (those still allowed), in its own tenant only."""
    meta = dict(request_id=request_id or new_request_id(), client_addr=client_addr, terminal=terminal, place=place)
    actor = f"client:{client_id}"[:64]
    with uow:
        if uow.tenant_code is None:
            raise PermissionDeniedError("PLATFORM_ACCESS_DENIED", "基盤の管理権限がありません")
        row = uow.session.get(ApiClient, (token_tenant, client_id)) if token_tenant == uow.tenant_code else None
        if token_tenant != uow.tenant_code:
            refuse_tenant(uow, Context(uow.tenant_code, actor, **meta))
        if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
            raise AuthenticationError("TOKEN_INVALID", CLIENT_GONE)
        permissions = frozenset(row.scopes) & frozenset(allowed_scopes(uow.platform.catalog))
        return Context(uow.tenant_code, actor, None, frozenset(), permissions, **meta)
