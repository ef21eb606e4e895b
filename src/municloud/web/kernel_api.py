"""Kernel routes: log-in, who am I, tenants, users, parameters, audit log, health.

Each handler parses, builds a Context (``deps``), calls one service and returns its
result; permissions are checked and audit entries written by the services.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from pydantic import BaseModel, ConfigDict, Field

from municloud.interchange.archive import export_archive
from municloud.kernel import fields as f
from municloud.kernel.audit.chain import ChainProblem
from municloud.kernel.audit.queries import AuditRecord, search_audit, verify_audit
from municloud.kernel.identity import services as identity
from municloud.kernel.identity.services import UserInfo, add_user, authenticate, list_users
from municloud.kernel.identity.sessions import check_token_second_factor
from municloud.kernel.identity.tokens import issue_token
from municloud.kernel.parameters import services as parameter_services
from municloud.kernel.parameters.services import ParameterValue, set_override
from municloud.kernel.platform import Platform
from municloud.kernel.tenants.services import TENANT_KINDS, TenantInfo, add_tenant, list_tenants
from municloud.web.archive_response import ArchiveResponse
from municloud.web.deps import Meta, PlatformContext, PlatformDep, TenantContext, UserId
from municloud.web.errors import ServiceUnavailableError

router = APIRouter()
T = "/api/v1/t/{tenant}"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class TenantIn(_In):
    code: f.TENANT_CODE.type = Field(description="全国地方公共団体コード（6桁、検査数字付き）", examples=["062090"])
    name: f.TENANT_NAME.type = Field(description="団体名", examples=["長井市"])
    kind: f.TENANT_KIND.type = Field("市", description=f"団体の種類：{'・'.join(TENANT_KINDS)}")


class UserIn(_In):
    username: f.USERNAME.type = Field(description="利用者名（半角英数字）")
    password: f.PASSWORD.type | None = Field(None, description="パスワード（10文字以上。既存の利用者なら不要）")
    roles: list[f.ROLE.type] = Field(description="この団体で付与するロール（registry_clerk など）")
    display_name: f.DISPLAY_NAME.type | None = Field(None, description="表示名（職員の氏名など）")


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


def describe_user(platform: Platform, user_id: int) -> UserInfo:
    return identity.describe_user(platform.uow(None, read_only=True), user_id)


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


@router.post("/api/v1/auth/token", response_model=TokenOut, tags=["認証"], summary="ログイン（トークンの発行）")
def issue(
    platform: PlatformDep,
    meta: Meta,
    username: Annotated[f.USERNAME.type, Form(description="利用者名")],
    password: Annotated[f.PASSWORD.type, Form(description="パスワード")],
    otp: Annotated[f.OTP.type | None, Form(description="ワンタイムパスワード（二要素認証を登録済みの利用者は必須）")] = None,
) -> TokenOut:
    """利用者名とパスワード（二要素認証を登録済みならワンタイムパスワードも）を確かめ、Bearer トークンを返します。

    続けて失敗するとロックされます。"""
    info = authenticate(
        platform.uow(None),
        username,
        password,
        client_addr=meta.client_addr,
        request_id=meta.request_id,
        terminal=meta.terminal,
    )
    check_token_second_factor(
        platform.uow(None), info.id, otp, client_addr=meta.client_addr, request_id=meta.request_id
    )
    return TokenOut(access_token=issue_token(platform.settings, info.id, info.username))


@router.get("/api/v1/me", response_model=UserInfo, tags=["認証"], summary="ログイン中の利用者と団体・ロール")
def me(platform: PlatformDep, user_id: UserId) -> UserInfo:
    return describe_user(platform, user_id)


@router.get("/api/v1/tenants", response_model=list[TenantInfo], tags=["団体"], summary="団体の一覧")
def tenants(platform: PlatformDep, user_id: UserId) -> list[TenantInfo]:
    describe_user(platform, user_id)  # a valid, active user; the list holds no personal data
    return list_tenants(platform.uow(None))


@router.post(
    "/api/v1/tenants", response_model=TenantInfo, status_code=201, tags=["団体"],
    summary="団体の追加（基盤運用者）",
)
def new_tenant(platform: PlatformDep, ctx: PlatformContext, body: TenantIn) -> TenantInfo:
    return add_tenant(platform.uow(None), ctx, body.code, body.name, body.kind)


@router.get(f"{T}/users", response_model=list[UserInfo], tags=["利用者"], summary="団体の利用者の一覧（団体管理者）")
def users(platform: PlatformDep, ctx: TenantContext) -> list[UserInfo]:
    return list_users(platform.uow(ctx.tenant_code), ctx)


@router.post(
    f"{T}/users", response_model=UserInfo, status_code=201, tags=["利用者"],
    summary="利用者の追加・ロールの付与（団体管理者）",
)
def new_user(platform: PlatformDep, ctx: TenantContext, body: UserIn) -> UserInfo:
    return add_user(
        platform.uow(ctx.tenant_code), ctx, body.username, body.password, body.roles, body.display_name
    )


@router.get(
    f"{T}/parameters/{{key}}", response_model=ParameterValue, tags=["パラメータ"],
    summary="パラメータの値（指定日に有効な値と出典）",
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
    summary="団体の値で上書き（適用日・理由付き、団体管理者）",
)
def set_parameter(platform: PlatformDep, ctx: TenantContext, key: str, body: ParameterIn) -> ParameterValue:
    return set_override(platform.uow(ctx.tenant_code), ctx, key, body.effective_from, body.value, body.reason)


@router.get(f"{T}/audit", response_model=list[AuditRecord], tags=["監査"], summary="監査ログの検索（監査担当）")
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
    summary="監査ログのハッシュチェーンの検証（監査担当）",
)
def audit_verify(platform: PlatformDep, ctx: TenantContext) -> ChainReportOut:
    report = verify_audit(platform.uow(ctx.tenant_code), ctx)
    return ChainReportOut(
        tenant_code=report.tenant_code,
        entries=report.entries,
        ok=report.ok,
        problem=report.problem,
    )


@router.get("/health", response_model=HealthOut, tags=["運用"], summary="稼働確認（データベース接続を含む）")
def health(platform: PlatformDep) -> HealthOut:
    ping_database(platform)
    return HealthOut(status="ok")


@router.get(
    f"{T}/export", tags=["団体"], summary="団体の全データの書き出し（標準レイアウトのZIP、団体管理者）",
    response_class=ArchiveResponse, status_code=200,
    responses={200: {"content": {"application/zip": {}}, "description": "manifest.json と各エンティティのCSV"}},
)
def export(platform: PlatformDep, ctx: TenantContext) -> ArchiveResponse:
    """`docs/standard-layout.md` の形式の全ファイルを ZIP で返します。書き出しは監査ログに記録されます。

    ZIP は書き出しながら送ります（manifest.json が最後）。権限の確認と監査ログへの記録は送信前に行います。"""
    return ArchiveResponse(export_archive(platform.uow(ctx.tenant_code), ctx))
