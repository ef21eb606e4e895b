"""住民記録 JSON API: search, view, history, households, notifications, 支援措置.

Attached by ``municloud.web.app`` (it looks for ``router`` here).  Every handler parses,
takes the tenant Context and calls one service; the services check permissions, mask the
個人番号 and write the audit log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response

from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.registry.certificates.schemas import CertificateRequest, IssuanceView
from municloud.modules.registry.certificates.services import issue_certificate, list_issuances
from municloud.modules.registry.schemas import (
    NotificationIn,
    NotificationResult,
    SupportMeasureChange,
    SupportMeasureIn,
    ThirdPartyRequestIn,
)
from municloud.modules.registry.services.notifications import register_notification
from municloud.modules.registry.services.queries import (
    SearchQuery,
    get_history,
    get_household,
    get_resident,
    search_residents,
)
from municloud.modules.registry.services.support import (
    SupportMeasureView,
    ThirdPartyDecision,
    change_support_measure,
    list_support_measures,
    start_support_measure,
    third_party_request,
)
from municloud.modules.registry.views import (
    HistoryEntry,
    HouseholdView,
    ResidentDetail,
    ResidentSummary,
)
from municloud.web.deps import PlatformDep, TenantContext

router = APIRouter(prefix="/api/v1/t/{tenant}", tags=["住民記録"])


@router.get("/residents", response_model=list[ResidentSummary], summary="住民の検索")
def search(
    platform: PlatformDep,
    ctx: TenantContext,
    q: Annotated[str | None, Query(description="氏名・フリガナ・生年月日（西暦／和暦）・住民票コードのいずれか")] = None,
    name: Annotated[str | None, Query(description="氏名（旧字・新字、IVSの有無を問わない）")] = None,
    kana: Annotated[str | None, Query(description="フリガナ（ひらがな・半角カナも可）")] = None,
    birth_date: Annotated[str | None, Query(description="生年月日（西暦または和暦）")] = None,
    address: Annotated[str | None, Query(description="住所（部分一致）")] = None,
    juminhyo_code: Annotated[str | None, Query(description="住民票コード（11桁）")] = None,
    include_removed: Annotated[bool, Query(description="除票も含める")] = False,
    limit: Annotated[int, Query(ge=1, le=SERIAL_MAX, description="最大件数（多すぎる指定は上限まで）")] = 50,
) -> list[ResidentSummary]:
    """該当者の一覧（個人番号は含みません）。検索したこと・該当した宛名番号は監査ログに記録されます。"""
    query = SearchQuery(
        q=q, name=name, kana=kana, birth_date=birth_date, address=address,
        juminhyo_code=juminhyo_code, include_removed=include_removed, limit=limit,
    )
    return search_residents(platform.uow(ctx.tenant_code), ctx, query)


@router.get("/residents/{atena_no}", response_model=ResidentDetail, summary="住民票の記載事項の表示")
def resident(
    platform: PlatformDep,
    ctx: TenantContext,
    atena_no: str,
    show_my_number: Annotated[bool, Query(description="個人番号を表示する（権限が必要、表示は記録されます）")] = False,
) -> ResidentDetail:
    """現在の記録。個人番号は伏せ字で、``show_my_number=true`` と権限があるときだけ表示します。"""
    return get_resident(platform.uow(ctx.tenant_code), ctx, atena_no, show_my_number=show_my_number)


@router.get("/residents/{atena_no}/history", response_model=list[HistoryEntry], summary="住民票の履歴")
def history(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[HistoryEntry]:
    """履歴番号1から順に、異動ごとの全項目のスナップショット（個人番号は伏せ字）。"""
    return get_history(platform.uow(ctx.tenant_code), ctx, atena_no)


@router.get("/households/{setai_no}", response_model=HouseholdView, summary="世帯の表示")
def household(platform: PlatformDep, ctx: TenantContext, setai_no: str) -> HouseholdView:
    """世帯と現在の世帯員（世帯主が先頭）。"""
    return get_household(platform.uow(ctx.tenant_code), ctx, setai_no)


@router.post(
    "/notifications", response_model=NotificationResult, status_code=201, summary="異動届の登録",
)
def notification(
    platform: PlatformDep,
    ctx: TenantContext,
    body: Annotated[NotificationIn, Body(description="異動届（kind で種類を指定）")],
) -> NotificationResult:
    """転入・転居・転出・出生・死亡・世帯変更・氏名変更・職権修正・取消しのいずれか1件。

    すべて登録されるか、何も登録されないかのどちらかです。応答は異動した宛名番号と世帯番号。
    """
    return register_notification(platform.uow(ctx.tenant_code), ctx, body)


@router.get(
    "/residents/{atena_no}/support-measures", response_model=list[SupportMeasureView],
    summary="支援措置の一覧",
)
def support_measures(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[SupportMeasureView]:
    return list_support_measures(platform.uow(ctx.tenant_code), ctx, atena_no)


@router.post(
    "/residents/{atena_no}/support-measures", response_model=SupportMeasureView, status_code=201,
    summary="支援措置の開始（仮・本）",
)
def start_support(
    platform: PlatformDep, ctx: TenantContext, atena_no: str, body: SupportMeasureIn
) -> SupportMeasureView:
    """DV・ストーカー等の被害者の支援措置を開始します（期間の既定は1年）。"""
    return start_support_measure(platform.uow(ctx.tenant_code), ctx, atena_no, body)


@router.post(
    "/residents/{atena_no}/support-measures/{measure_id}", response_model=SupportMeasureView,
    summary="支援措置の延長・本決定・終了",
)
def change_support(
    platform: PlatformDep, ctx: TenantContext, atena_no: str,
    measure_id: Annotated[int, Path(ge=1, le=SERIAL_MAX)], body: SupportMeasureChange
) -> SupportMeasureView:
    return change_support_measure(platform.uow(ctx.tenant_code), ctx, atena_no, measure_id, body)


@router.post(
    "/third-party-requests", response_model=ThirdPartyDecision, summary="第三者からの請求の受付確認",
)
def third_party(platform: PlatformDep, ctx: TenantContext, body: ThirdPartyRequestIn) -> ThirdPartyDecision:
    """写しの交付・閲覧の請求を受け付けられるか。支援措置の対象者が含まれると403で拒否し、記録します。"""
    return third_party_request(platform.uow(ctx.tenant_code), ctx, body)


@router.post(
    "/certificates", summary="証明書の交付（住民票の写し・除票の写し・記載事項証明書）",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "証明書のPDF（X-Issue-Number: 発行番号）"}},
)
def certificate(platform: PlatformDep, ctx: TenantContext, body: CertificateRequest) -> Response:
    """PDFを返します。世帯主・続柄、本籍・筆頭者、住民票コード、個人番号は求めがあるときだけ記載します。

    第三者（第三者・弁護士等・国又は地方公共団体）の請求で支援措置の対象の方が含まれると403で拒否し、記録します。
    交付はすべて交付履歴と監査ログに記録されます。
    """
    issued = issue_certificate(platform.uow(ctx.tenant_code), ctx, body)
    return Response(
        issued.pdf, media_type="application/pdf",
        headers={"X-Issue-Number": issued.issue_no, "Content-Disposition": f'inline; filename="{issued.issue_no}.pdf"',
                 "Cache-Control": "no-store"},
    )


@router.get(
    "/residents/{atena_no}/certificates", response_model=list[IssuanceView], summary="証明書の交付履歴",
)
def certificates(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[IssuanceView]:
    """この方が記載された証明書の交付履歴（新しい順。請求者・目的・通数・手数料を含む）。閲覧は記録されます。"""
    return list_issuances(platform.uow(ctx.tenant_code), ctx, atena_no)
