"""住民記録 JSON API: search, view, history, households, notifications, 支援措置.

Attached by ``municloud.web.app`` (it looks for ``router`` here).  Every handler parses,
takes the tenant Context and calls one service; the services check permissions, mask the
個人番号 and write the audit log.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.registry.catalog import (
    P_CERTIFICATE,
    P_JUMINHYO_CODE,
    P_LATE,
    P_MY_NUMBER,
    P_REGISTER,
    P_SEARCH,
    P_SUPPORT_MANAGE,
    P_SUPPORT_RELEASE,
    P_SUPPORT_VIEW,
    P_THIRD_PARTY,
    P_VIEW,
)
from municloud.modules.registry.certificates.schemas import (
    CertificateQuote,
    CertificateRequest,
    IssuanceView,
)
from municloud.modules.registry.certificates.services import (
    IssuedCertificate,
    issue_certificate,
    issue_released_certificate,
    list_issuances,
)
from municloud.modules.registry.issuance_api import router as issuance_router
from municloud.modules.registry.schemas import (
    NotificationIn,
    NotificationResult,
    SupportMeasureChange,
    SupportMeasureIn,
    ThirdPartyRequestIn,
)
from municloud.modules.registry.services.holds import (
    HeldRequest,
    HoldDecisionIn,
    HoldView,
    decide_hold,
    get_hold,
    list_holds,
)
from municloud.modules.registry.services.late_notices import (
    LateNotification,
    list_late_notifications,
)
from municloud.modules.registry.services.notifications import parse_day, register_notification
from municloud.modules.registry.services.queries import (
    MAX_OFFSET,
    SearchQuery,
    get_history,
    get_household,
    get_resident,
    search_residents,
)
from municloud.modules.registry.services.support import (
    MeasureToReview,
    SupportMeasureView,
    ThirdPartyDecision,
    active_support_measures,
    change_support_measure,
    list_support_measures,
    record_expiries,
    review_support_measures,
    start_support_measure,
    third_party_request,
)
from municloud.modules.registry.views import (
    HistoryEntry,
    HouseholdView,
    ResidentDetail,
    SearchHit,
)
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext
from municloud.web.pdf import pdf_response

HoldNo = Annotated[int, Path(ge=1, le=SERIAL_MAX, description="保留番号")]

router = APIRouter(prefix="/api/v1/t/{tenant}", tags=["住民記録"])


@router.get("/residents", response_model=list[SearchHit], summary="住民の検索", dependencies=[requires(P_SEARCH)])
def search(
    platform: PlatformDep,
    ctx: TenantContext,
    request: Request,
    response: Response,
    q: Annotated[str | None, Query(description="氏名・フリガナ・生年月日（西暦／和暦）・住民票コード・住所マスターの町字のいずれか")] = None,
    name: Annotated[str | None, Query(description="氏名（旧字・新字、IVSの有無を問わない）")] = None,
    kana: Annotated[str | None, Query(description="フリガナ（ひらがな・半角カナも可）")] = None,
    birth_date: Annotated[str | None, Query(description="生年月日（西暦または和暦）")] = None,
    address: Annotated[str | None, Query(description="住所（部分一致）")] = None,
    juminhyo_code: Annotated[str | None, Query(description="住民票コード（11桁）")] = None,
    include_removed: Annotated[bool, Query(description="除票も含める")] = False,
    limit: Annotated[int, Query(ge=1, le=SERIAL_MAX, description="1ページの件数（多すぎる指定は上限200件まで）")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="読み飛ばす件数（2ページ目は offset=limit。100,000件目まで）")] = 0,
) -> list[SearchHit]:
    """該当者の一覧（フリガナ順の1ページ分。個人番号は含みません）。

    該当した全件数は応答ヘッダー ``X-Total-Count``、続きがあるときは ``Link: <…>; rel="next"``。
    各行の ``matched_by`` は一致した項目（``kyu_uji`` は旧氏で一致）。検索したこと・該当した
    宛名番号は監査ログに記録されます。"""
    query = SearchQuery(
        q=q, name=name, kana=kana, birth_date=birth_date, address=address,
        juminhyo_code=juminhyo_code, include_removed=include_removed, limit=limit, offset=offset,
    )
    page = search_residents(platform.uow(ctx.tenant_code), ctx, query)
    response.headers["X-Total-Count"] = str(page.total)
    if page.last < page.total:
        response.headers["Link"] = f'<{request.url.include_query_params(offset=page.last, limit=page.limit)}>; rel="next"'
    return page.rows


@router.get("/residents/{atena_no}", response_model=ResidentDetail, summary="住民票の記載事項の表示",
            dependencies=[requires(P_VIEW, also=[P_MY_NUMBER])])
def resident(
    platform: PlatformDep,
    ctx: TenantContext,
    atena_no: str,
    show_my_number: Annotated[bool, Query(description="個人番号を表示する（権限が必要、表示は記録されます）")] = False,
) -> ResidentDetail:
    """現在の記録。個人番号は伏せ字で、``show_my_number=true`` と権限があるときだけ表示します。"""
    return get_resident(platform.uow(ctx.tenant_code), ctx, atena_no, show_my_number=show_my_number)


@router.get("/residents/{atena_no}/history", response_model=list[HistoryEntry], summary="住民票の履歴",
            dependencies=[requires(P_VIEW)])
def history(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[HistoryEntry]:
    """履歴番号1から順に、異動ごとの全項目のスナップショット（個人番号は伏せ字）。"""
    return get_history(platform.uow(ctx.tenant_code), ctx, atena_no)


@router.get("/households/{setai_no}", response_model=HouseholdView, summary="世帯の表示", dependencies=[requires(P_VIEW)])
def household(platform: PlatformDep, ctx: TenantContext, setai_no: str) -> HouseholdView:
    """世帯と現在の世帯員（世帯主が先頭）。"""
    return get_household(platform.uow(ctx.tenant_code), ctx, setai_no)


@router.post(
    "/notifications", response_model=NotificationResult, status_code=201, summary="異動届の登録",
    dependencies=[requires(P_REGISTER)],
)
def notification(
    platform: PlatformDep,
    ctx: TenantContext,
    body: Annotated[NotificationIn, Body(description="異動届（kind で種類を指定）")],
    response: Response,
    dry_run: Annotated[bool, Query(description="true：登録と同じ検査をすべて行い、何も書き込まずに取り消す（確認用。200で応答）")] = False,
) -> NotificationResult:
    """転入・転居・転出・出生・死亡・世帯変更・氏名変更・職権修正・取消しのいずれか1件。

    すべて登録されるか、何も登録されないかのどちらかです。応答は異動した宛名番号と世帯番号。
    誤りが複数あるときは ``MULTIPLE_PROBLEMS``（422）で、``problems`` にすべての誤りを返します。
    ``dry_run=true`` は画面の「入力内容を確認する」と同じ試行です（同じ処理を実行して取り消します。
    番号は消費せず、監査ログには ``registry:notification:check`` が1件残ります）。
    """
    result = register_notification(platform.uow(ctx.tenant_code, dry_run=dry_run), ctx, body)
    if dry_run:
        response.status_code = 200
    return result


@router.get("/late-notifications", response_model=list[LateNotification], summary="届出期間経過の一覧",
            dependencies=[requires(P_LATE)])
def late_notifications(
    platform: PlatformDep,
    ctx: TenantContext,
    since: Annotated[str, Query(description="届出日の期間の始まり（西暦または和暦）")],
    until: Annotated[str, Query(description="届出日の期間の終わり（その日を含む）")],
) -> list[LateNotification]:
    """届出期間（住民基本台帳法第22条〜第25条：14日）を過ぎてされた届出の一覧（届出日の順）。

    取り消された届出は含みません。責任者の権限が必要で、表示した住民は監査ログに記録されます。
    """
    start = parse_day(since, "since", "期間の始まり")
    end = parse_day(until, "until", "期間の終わり")
    return list_late_notifications(platform.uow(ctx.tenant_code), ctx, start, end)


@router.get(
    "/residents/{atena_no}/support-measures", response_model=list[SupportMeasureView],
    summary="支援措置の一覧", dependencies=[requires(P_SUPPORT_VIEW)],
)
def support_measures(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[SupportMeasureView]:
    return list_support_measures(platform.uow(ctx.tenant_code), ctx, atena_no)


@router.post(
    "/residents/{atena_no}/support-measures", response_model=SupportMeasureView, status_code=201,
    summary="支援措置の開始（仮・本）", dependencies=[requires(P_SUPPORT_MANAGE)],
)
def start_support(
    platform: PlatformDep, ctx: TenantContext, atena_no: str, body: SupportMeasureIn
) -> SupportMeasureView:
    """DV・ストーカー等の被害者の支援措置を開始します。申出日・開始日・終了予定日はすべて指定します（期間は最長1年。`registry.support_measure.period_months`）。"""
    return start_support_measure(platform.uow(ctx.tenant_code), ctx, atena_no, body)


@router.post(
    "/residents/{atena_no}/support-measures/{measure_id}", response_model=SupportMeasureView,
    summary="支援措置の延長・本決定・終了", dependencies=[requires(P_SUPPORT_MANAGE)],
)
def change_support(
    platform: PlatformDep, ctx: TenantContext, atena_no: str,
    measure_id: Annotated[int, Path(ge=1, le=SERIAL_MAX)], body: SupportMeasureChange
) -> SupportMeasureView:
    return change_support_measure(platform.uow(ctx.tenant_code), ctx, atena_no, measure_id, body)


@router.get(
    "/support-measures", response_model=list[MeasureToReview], summary="支援措置の確認（終了予定日が近いもの・期間満了）",
    dependencies=[requires(P_SUPPORT_MANAGE)],
)
def review_support(platform: PlatformDep, ctx: TenantContext) -> list[MeasureToReview]:
    """責任者の確認リスト：延長の申出を受け付ける期間（終了予定日の1か月前から）に入ったもの、期間満了を
    まだ記録していないもの、この1年に期間満了で終了したもの。終了予定日の近い順。閲覧は記録されます。"""
    return review_support_measures(platform.uow(ctx.tenant_code), ctx)


@router.get(
    "/support-measures/active", response_model=list[MeasureToReview], summary="実施中の支援措置の一覧",
    dependencies=[requires(P_SUPPORT_MANAGE)],
)
def active_support(platform: PlatformDep, ctx: TenantContext) -> list[MeasureToReview]:
    """今日実施中の支援措置（終了予定日が近いものを含む）を終了予定日の近い順に。責任者の毎日の確認用。閲覧は記録されます。"""
    return active_support_measures(platform.uow(ctx.tenant_code), ctx)


@router.post(
    "/support-measures/expiries", response_model=list[SupportMeasureView], summary="期間満了の記録",
    dependencies=[requires(P_SUPPORT_MANAGE)],
)
def expire_support(platform: PlatformDep, ctx: TenantContext) -> list[SupportMeasureView]:
    """終了予定日を過ぎ、延長も終了もされていない支援措置を「期間満了」として記録します（1件ずつ監査ログに記録）。"""
    return record_expiries(platform.uow(ctx.tenant_code), ctx)


_HELD = {202: {"description": "支援措置の対象の方を含むため保留（責任者の審査待ち。hold_no＝保留番号。"
                             "dry_run=true のときは保留せず status=would_hold・hold_no なし）"}}


def _held(held: HeldRequest) -> JSONResponse:
    return JSONResponse(held.model_dump(), status_code=202)


@router.post(
    "/third-party-requests", response_model=ThirdPartyDecision, summary="第三者・代理人からの請求の受付確認",
    responses=_HELD, dependencies=[requires(P_THIRD_PARTY)],
)
def third_party(platform: PlatformDep, ctx: TenantContext, body: ThirdPartyRequestIn) -> ThirdPartyDecision | JSONResponse:
    """写しの交付・閲覧の請求を受け付けられるか。支援措置の対象の方が含まれると、代理人は403で拒否、
    第三者・弁護士等・国又は地方公共団体は202で保留（責任者の審査待ち）し、記録します。解除された保留番号を
    ``hold_no`` に付けた同じ請求は1回だけ受け付けます。"""
    decision = third_party_request(platform.uow(ctx.tenant_code), ctx, body)
    if decision.held:
        return JSONResponse(decision.model_dump(), status_code=202)
    return decision


def _pdf(issued: IssuedCertificate) -> Response:
    return pdf_response(issued.pdf, issued.issue_no)


@router.post(
    "/certificates", summary="証明書の交付（住民票の写し・除票の写し・記載事項証明書）",
    response_class=Response,
    responses={200: {"model": CertificateQuote, "content": {"application/pdf": {}},
                     "description": "証明書のPDF（X-Issue-Number: 発行番号）。dry_run=true のときは手数料の見積り（JSON）"},
               **_HELD},
    dependencies=[requires(P_CERTIFICATE, also=[P_THIRD_PARTY, P_JUMINHYO_CODE, P_MY_NUMBER])],
)
def certificate(
    platform: PlatformDep, ctx: TenantContext, body: CertificateRequest,
    dry_run: Annotated[bool, Query(description="true：交付と同じ検査を行い、手数料（1通の手数料×通数、免除）を"
                                               "JSONで返す。交付・記録はしない（窓口の確認画面と同じ）。保留になる請求は202で"
                                               "そう答えるが、保留はしない（hold_no は仮の番号）")] = False,
) -> Response:
    """PDFを返します。世帯主・続柄、本籍・筆頭者、住民票コード、個人番号は求めがあるときだけ記載します。

    手数料は交付日に定めのある1通の手数料×通数です。``fee_exemption``（免除の理由のコード）を付けると0円で、
    理由を交付履歴に記録します。``identity_document`` は窓口で確認した本人確認書類の種類のコードで、
    書類の番号は受け付けず記録もしません。コードの一覧はパラメータ ``registry.certificate.fee_exemptions`` と
    ``registry.certificate.identity_documents`` です。

    支援措置の対象の方が含まれるときは、本人（``identity_checked``：本人確認書類で確認済み）の請求だけを
    交付します。代理人は403で拒否、同一世帯員・第三者・弁護士等・国又は地方公共団体は202で保留し
    （``hold_no``）、責任者が解除した後に ``POST /support-holds/{hold_no}/certificate`` で1回だけ交付します。
    交付・拒否・保留はすべて記録されます。
    """
    issued = issue_certificate(platform.uow(ctx.tenant_code, dry_run=dry_run), ctx, body)
    if isinstance(issued, HeldRequest):
        return _held(issued)
    if isinstance(issued, CertificateQuote):
        return JSONResponse(issued.model_dump(mode="json"))
    return _pdf(issued)


@router.get("/support-holds", response_model=list[HoldView], summary="保留した請求の一覧",
            dependencies=[requires(P_CERTIFICATE)])
def holds(
    platform: PlatformDep, ctx: TenantContext,
    status: Annotated[Literal["held", "released", "refused", "used"] | None,
                      Query(description="held（審査待ち）／released（解除済み）／refused（拒否）／used（交付済み）")] = None,
) -> list[HoldView]:
    return list_holds(platform.uow(ctx.tenant_code), ctx, status=status)


@router.get("/support-holds/{hold_no}", response_model=HoldView, summary="保留した請求",
            dependencies=[requires(P_CERTIFICATE)])
def hold(platform: PlatformDep, ctx: TenantContext, hold_no: HoldNo) -> HoldView:
    return get_hold(platform.uow(ctx.tenant_code), ctx, hold_no)


@router.post("/support-holds/{hold_no}/decision", response_model=HoldView, summary="保留した請求の審査（解除・拒否）",
             dependencies=[requires(P_SUPPORT_RELEASE)])
def decide(platform: PlatformDep, ctx: TenantContext, hold_no: HoldNo, body: HoldDecisionIn) -> HoldView:
    """責任者（registry:support_measure:release）が理由を付けて解除または拒否します。保留した本人は審査できません。"""
    return decide_hold(platform.uow(ctx.tenant_code), ctx, hold_no, body)


@router.post(
    "/support-holds/{hold_no}/certificate", summary="解除された請求の証明書の交付（1回だけ）", response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "証明書のPDF（X-Issue-Number: 発行番号）"}},
    dependencies=[requires(P_CERTIFICATE)],
)
def released_certificate(platform: PlatformDep, ctx: TenantContext, hold_no: HoldNo) -> Response:
    """保留したときの請求のとおりに交付します。2回目は409（REGISTRY_SUPPORT_HOLD_USED）。"""
    return _pdf(issue_released_certificate(platform.uow(ctx.tenant_code), ctx, hold_no))


@router.get(
    "/residents/{atena_no}/certificates", response_model=list[IssuanceView], summary="証明書の交付履歴",
    dependencies=[requires(P_CERTIFICATE)],
)
def certificates(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> list[IssuanceView]:
    """この方が記載された証明書の交付履歴（新しい順。請求者・目的・通数・手数料を含む）。閲覧は記録されます。"""
    return list_issuances(platform.uow(ctx.tenant_code), ctx, atena_no)


router.include_router(issuance_router)  # 交付履歴（日別）・日計表・領収書 (issuance_api.py)
from municloud.modules.registry.towns import web as towns_web  # noqa: E402 (住所マスター)

router.include_router(towns_web.router)
