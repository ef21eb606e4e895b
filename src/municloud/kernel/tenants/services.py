"""Tenant use cases (operator only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from municloud.errors import ConflictError, NotFoundError, ValidationError
from municloud.jp.codes import validate_local_government_code
from municloud.kernel.catalog import A_TENANT_ADD, A_TENANT_LIST, P_TENANT_MANAGE
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import TENANT_NAME
from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

TENANT_KINDS = ("市", "町", "村", "特別区", "指定都市", "一部事務組合", "広域連合")


@dataclass(frozen=True)
class TenantInfo:
    code: str
    name: str
    kind: str
    active: bool
    created_at: datetime


def _info(t: Tenant) -> TenantInfo:
    return TenantInfo(t.code, t.name, t.kind, t.active, t.created_at)


def add_tenant(uow: UnitOfWork, ctx: Context, code: str, name: str, kind: str = "市") -> TenantInfo:
    """Register a municipality (団体の追加). Operator permission required."""
    with uow:
        uow.require(ctx, P_TENANT_MANAGE, A_TENANT_ADD, subjects=[f"tenant:{code}"])
        code = validate_local_government_code(code)
        name = name.strip()
        if not name:
            raise ValidationError("TENANT_NAME_REQUIRED", "団体名を入力してください", fields={"name": "団体名を入力してください"})
        TENANT_NAME.check(name, "name")  # the declared item (kernel.fields): `municloud tenant add` too
        if kind not in TENANT_KINDS:
            raise ValidationError(
                "TENANT_KIND_INVALID", f"団体の種類は {'・'.join(TENANT_KINDS)} のいずれかです"
            )
        if uow.session.get(Tenant, code) is not None:
            raise ConflictError("TENANT_EXISTS", f"団体コード {code} はすでに登録されています")
        tenant = Tenant(code=code, name=name, kind=kind, active=True, created_at=utcnow())
        uow.session.add(tenant)
        uow.audit.record(ctx, A_TENANT_ADD, subjects=[f"tenant:{code}"], tenant_code=PLATFORM_SCOPE)
        uow.audit.record(ctx, A_TENANT_ADD, subjects=[f"tenant:{code}"], tenant_code=code)
        uow.commit()
        return _info(tenant)


def list_tenants(uow: UnitOfWork, ctx: Context) -> list[TenantInfo]:
    """All tenants (団体一覧): the operator's (``kernel:tenant:manage``).  Which
    municipalities share the platform is not a clerk's business; a user sees their own
    tenants with their roles (``/api/v1/me``, :func:`tenants_named`)."""
    with uow:
        uow.require(ctx, P_TENANT_MANAGE, A_TENANT_LIST)
        rows = uow.session.scalars(select(Tenant).order_by(Tenant.code)).all()
        return [_info(t) for t in rows]


def tenants_named(uow: UnitOfWork, codes: list[str]) -> list[TenantInfo]:
    """The tenants of *codes* — the signed-in user's own (from their memberships)."""
    with uow:
        rows = uow.session.scalars(select(Tenant).where(Tenant.code.in_(list(codes))).order_by(Tenant.code)).all()
        return [_info(t) for t in rows]


def get_tenant(uow: UnitOfWork, code: str) -> TenantInfo:
    with uow:
        tenant = uow.session.get(Tenant, code)
        if tenant is None:
            raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {code} は登録されていません")
        return _info(tenant)
