"""Kernel routes: tenants, parameters, audit log, export, health (and, through
``identity_api``, tokens, who am I, users and API clients).

Each handler parses, builds a Context (``deps``), calls one service and returns its
result; permissions are checked and audit entries written by the services.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from municloud.interchange.archive import export_archive
from municloud.kernel import fields as f
from municloud.kernel.audit.chain import ChainProblem
from municloud.kernel.audit.queries import AuditRecord, search_audit, verify_audit
from municloud.kernel.catalog import (
    P_AUDIT_READ,
    P_AUDIT_VERIFY,
    P_PARAMETER_MANAGE,
    P_TENANT_EXPORT,
)
from municloud.kernel.documents.verification import VerificationCount, list_verifications
from municloud.kernel.parameters import services as parameter_services
from municloud.kernel.parameters.services import ParameterValue, set_override
from municloud.kernel.platform import Platform
from municloud.kernel.tenants.services import TENANT_KINDS, TenantInfo, add_tenant, list_tenants
from municloud.web import identity_api
from municloud.web.access import MEMBER, OPERATOR, PUBLIC, requires
from municloud.web.archive_response import ArchiveResponse
from municloud.web.deps import PlatformContext, PlatformDep, TenantContext
from municloud.web.errors import ServiceUnavailableError

router = APIRouter()
router.include_router(identity_api.router)
T = "/api/v1/t/{tenant}"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TenantIn(_In):
    code: f.TENANT_CODE.type = Field(description="全国地方公共団体コード（6桁、検査数字付き）", examples=["062090"])
    name: f.TENANT_NAME.type = Field(description="団体名", examples=["長井市"])
    kind: f.TENANT_KIND.type = Field("市", description=f"団体の種類：{'・'.join(TENANT_KINDS)}")


class ParameterIn(_In):
    effective_from: f.DateValue = Field(description="適用開始日")
    value: Any = Field(description="値（パラメータの型に合うもの）")
    reason: f.PARAMETER_REASON.type = Field(description="上書きの理由（条例改正など）")


class ChainReportOut(BaseModel):
    tenant_code: str
    entries: int
    ok: bool
    problem: ChainProblem | None = Field(None, description="最初に見つかった不整合（正常なら空）")


class HealthOut(BaseModel):
    status: str


# Small read helpers with no service yet ------------------------------------------------


def explain_parameter(platform: Platform, tenant_code: str, key: str, on: date | None) -> ParameterValue:
    return parameter_services.explain_parameter(platform.uow(tenant_code, read_only=True), key, on)


def ping_database(platform: Platform) -> None:
    """``SELECT 1`` on a raw connection (no ``BEGIN IMMEDIATE`` write lock on SQLite)."""
    try:
        connection = platform.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
    except Exception as exc:  # noqa: BLE001 — any database failure means "not healthy"
        raise ServiceUnavailableError(
            "DATABASE_UNAVAILABLE", "データベースに接続できません"
        ) from exc


def utc_naive(moment: datetime | None) -> datetime | None:
    """A time with an offset (``…+09:00``) as naive UTC, the way every table stores time."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


# Routes ---------------------------------------------------------------------------------


@router.get("/api/v1/tenants", response_model=list[TenantInfo], tags=["団体"], summary="団体の一覧（基盤運用者）",
            dependencies=[OPERATOR])
def tenants(platform: PlatformDep, ctx: PlatformContext) -> list[TenantInfo]:
    """基盤運用者のみ。利用者は自分の団体とロールを `GET /api/v1/me` で確かめます。"""
    return list_tenants(platform.uow(None, read_only=True), ctx)


@router.post(
    "/api/v1/tenants", response_model=TenantInfo, status_code=201, tags=["団体"],
    summary="団体の追加（基盤運用者）", dependencies=[OPERATOR],
)
def new_tenant(platform: PlatformDep, ctx: PlatformContext, body: TenantIn) -> TenantInfo:
    return add_tenant(platform.uow(None), ctx, body.code, body.name, body.kind)


@router.get(
    f"{T}/parameters/{{key}}", response_model=ParameterValue, tags=["パラメータ"],
    summary="パラメータの値（指定日に有効な値と出典）", dependencies=[MEMBER],
)
def parameter(
    platform: PlatformDep,
    ctx: TenantContext,
    key: str,
    on: Annotated[date | None, Query(description="基準日（既定：今日）")] = None,
) -> ParameterValue:
    return explain_parameter(platform, ctx.tenant_code, key, on)


@router.put(
    f"{T}/parameters/{{key}}", response_model=ParameterValue, tags=["パラメータ"],
    summary="団体の値で上書き（適用日・理由付き、団体管理者）", dependencies=[requires(P_PARAMETER_MANAGE)],
)
def set_parameter(platform: PlatformDep, ctx: TenantContext, key: str, body: ParameterIn) -> ParameterValue:
    return set_override(platform.uow(ctx.tenant_code), ctx, key, body.effective_from, body.value, body.reason)


@router.get(f"{T}/audit", response_model=list[AuditRecord], tags=["監査"], summary="監査ログの検索（監査担当）",
            dependencies=[requires(P_AUDIT_READ)])
def audit(
    platform: PlatformDep,
    ctx: TenantContext,
    actor: Annotated[str | None, Query(description="操作者の利用者名")] = None,
    subject: Annotated[str | None, Query(description="対象（例：resident:000000012）")] = None,
    action: Annotated[str | None, Query(description="操作（前方一致。例：registry:resident）")] = None,
    since: Annotated[datetime | None, Query(description="この日時以後（時差なしはUTC。例：2025-04-01T09:00+09:00）")] = None,
    until: Annotated[datetime | None, Query(description="この日時より前（時差なしはUTC）")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="件数")] = 100,
    offset: Annotated[int, Query(ge=0, le=f.SERIAL_MAX, description="読み飛ばす件数")] = 0,
) -> list[AuditRecord]:
    """新しい順。閲覧したこと自体も監査ログに記録されます。"""
    return search_audit(
        platform.uow(ctx.tenant_code), ctx, actor=actor, subject=subject, action=action,
        since=utc_naive(since), until=utc_naive(until), limit=limit, offset=offset,
    )


@router.get(
    f"{T}/audit/verify", response_model=ChainReportOut, tags=["監査"],
    summary="監査ログのハッシュチェーンの検証（監査担当）", dependencies=[requires(P_AUDIT_VERIFY)],
)
def audit_verify(platform: PlatformDep, ctx: TenantContext) -> ChainReportOut:
    report = verify_audit(platform.uow(ctx.tenant_code), ctx)
    return ChainReportOut(
        tenant_code=report.tenant_code,
        entries=report.entries,
        ok=report.ok,
        problem=report.problem,
    )


@router.get(
    f"{T}/document-verifications", response_model=list[VerificationCount], tags=["監査"],
    summary="証明書の確認の件数（公開の確認ページ、日ごと・証明書ごと。監査担当）",
    dependencies=[requires(P_AUDIT_READ)],
)
def document_verifications(
    platform: PlatformDep,
    ctx: TenantContext,
    since: Annotated[date | None, Query(description="この日から（日本時間。既定：30日前）")] = None,
    until: Annotated[date | None, Query(description="この日まで（その日を含む。既定：今日）")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="件数")] = 500,
    offset: Annotated[int, Query(ge=0, le=f.SERIAL_MAX, description="読み飛ばす件数")] = 0,
) -> list[VerificationCount]:
    """新しい日から。issue_no が空の行は発行台帳にない番号への照会です。閲覧は監査ログに記録されます。

    confirmed：確認コードが正しく、ファイルの提示なし／matched：提示されたファイルが一致／mismatched：一致せず／
    refused：確認コードの誤り・なし、または発行台帳にない番号。接続元のアドレスは記録していません。"""
    return list_verifications(platform.uow(ctx.tenant_code), ctx, since=since, until=until, limit=limit,
                              offset=offset)


@router.get("/health", response_model=HealthOut, tags=["運用"], summary="稼働確認（データベース接続を含む）",
            dependencies=[PUBLIC])
def health(platform: PlatformDep) -> HealthOut:
    ping_database(platform)
    return HealthOut(status="ok")


@router.get(
    f"{T}/export", tags=["団体"], summary="団体の全データの書き出し（標準レイアウトのZIP、団体管理者）",
    response_class=ArchiveResponse, status_code=200, dependencies=[requires(P_TENANT_EXPORT)],
    responses={200: {"content": {"application/zip": {}}, "description": "manifest.json と各エンティティのCSV"}},
)
def export(platform: PlatformDep, ctx: TenantContext) -> ArchiveResponse:
    """`docs/standard-layout.md` の形式の全ファイルを ZIP で返します。書き出しは監査ログに記録されます。

    ZIP は書き出しながら送ります（manifest.json が最後）。権限の確認と監査ログへの記録は送信前に行います。"""
    return ArchiveResponse(export_archive(platform.uow(ctx.tenant_code), ctx))
