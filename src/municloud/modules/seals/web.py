"""印鑑登録 JSON API: register, look, end (亡失・廃止), and issue the 印鑑登録証明書.

Attached by ``municloud.web.app`` (it looks for ``router`` here).  Handlers parse, take
the tenant Context and call one service; permissions, audit and rules live in services.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, File, Form, Path, Query, UploadFile
from fastapi.responses import Response

from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.registry.api import ATENA_NO
from municloud.modules.seals.catalog import P_CERTIFICATE, P_MANAGE, P_VIEW
from municloud.modules.seals.fields import INQUIRY_SENT_ON, SIZE_MM
from municloud.modules.seals.schemas import (
    CertificateIn,
    EndIn,
    RegistrationResult,
    RegistrationView,
    ResidentSeals,
    SealRegistrationIn,
)
from municloud.modules.seals.services.certificates import issue_certificate
from municloud.modules.seals.services.registrations import (
    end_registration,
    get_impression,
    get_registrations,
    register_seal,
)
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext

router = APIRouter(prefix="/api/v1/t/{tenant}", tags=["印鑑登録"])

#: Bytes read from an upload at most; the service refuses anything over the tenant's
#: ``seals.impression.max_bytes`` (reading one byte more than this is enough to know).
UPLOAD_CAP = 8 * 1024 * 1024


@router.post("/seal-registrations", response_model=RegistrationResult, status_code=201, summary="印鑑の登録",
             dependencies=[requires(P_MANAGE)])
def register(
    platform: PlatformDep,
    ctx: TenantContext,
    atena_no: Annotated[ATENA_NO.type, Form(description="宛名番号")],
    size_mm: Annotated[SIZE_MM.type, Form(description="印影の一辺の長さ（ミリメートル、小数点以下1桁まで）")],
    image: Annotated[UploadFile, File(description="印影の画像（PNG または JPEG。印影の外接正方形に切り抜いたもの）")],
    requester: Annotated[Literal["本人", "代理人"], Form(description="申請者：本人／代理人")] = "本人",
    identity_method: Annotated[Literal["document", "guarantor", "inquiry"], Form(
        description="本人確認の方法：document＝顔写真付きの書類、guarantor＝保証人、inquiry＝照会書への回答書（代理人はこれのみ）")] = "document",
    guarantor_atena_no: Annotated[ATENA_NO.type | None, Form(description="保証人の宛名番号（guarantor のとき）")] = None,
    inquiry_sent_on: Annotated[INQUIRY_SENT_ON.type | None, Form(description="照会書の送付日（inquiry のとき。西暦・和暦）")] = None,
    answer_received: Annotated[bool, Form(description="回答書の提出を受けた（inquiry のとき必須）")] = False,
    adult_ward: Annotated[bool, Form(description="成年被後見人である（登録できません）")] = False,
    dry_run: Annotated[bool, Query(description="true：登録せずに確認だけする（何も書き込みません）")] = False,
) -> RegistrationResult:
    """印鑑を登録し、登録番号と印鑑登録証の番号を返します。

    画像の種類はファイル名ではなく中身で判定します。登録中の印鑑があれば廃止してから登録します（再登録）。
    年齢・成年被後見人・本人確認の方法・印影の大きさと画像の誤りはまとめて返します（MULTIPLE_PROBLEMS）。
    """
    data = image.file.read(UPLOAD_CAP + 1)
    request = SealRegistrationIn(atena_no, size_mm, data, requester=requester, identity_method=identity_method,
                                 guarantor_atena_no=guarantor_atena_no, inquiry_sent_on=inquiry_sent_on,
                                 answer_received=answer_received, adult_ward=adult_ward)
    return register_seal(platform.uow(ctx.tenant_code, dry_run=dry_run), ctx, request)


@router.get("/residents/{atena_no}/seal-registration", response_model=ResidentSeals, summary="印鑑登録の照会",
            dependencies=[requires(P_VIEW)])
def registrations(platform: PlatformDep, ctx: TenantContext, atena_no: str) -> ResidentSeals:
    """登録中の印鑑（なければ null）と過去の登録。印鑑登録証の番号は下2桁だけ示します。"""
    return get_registrations(platform.uow(ctx.tenant_code), ctx, atena_no)


@router.get(
    "/seal-registrations/{registration_no}/impression", summary="印影の画像",
    response_class=Response, responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}},
    dependencies=[requires(P_VIEW)],
)
def impression(platform: PlatformDep, ctx: TenantContext, registration_no: Annotated[int, Path(ge=1, le=SERIAL_MAX)]) -> Response:
    """登録された印影の画像（登録時のファイルそのもの）。表示は監査ログに記録されます。"""
    found = get_impression(platform.uow(ctx.tenant_code), ctx, registration_no)
    return Response(found.data, media_type=found.mime, headers={"Cache-Control": "no-store"})


@router.post(
    "/seal-registrations/{registration_no}/end", response_model=RegistrationView, summary="印鑑登録の亡失・廃止",
    dependencies=[requires(P_MANAGE)],
)
def end(
    platform: PlatformDep, ctx: TenantContext, registration_no: Annotated[int, Path(ge=1, le=SERIAL_MAX)],
    body: Annotated[EndIn, Body(description="reason: lost（亡失）／withdrawn（廃止）")],
) -> RegistrationView:
    """印鑑登録証の亡失の届出、または登録の廃止の申請を受け付け、登録を終了します。"""
    return end_registration(platform.uow(ctx.tenant_code), ctx, registration_no, body.reason)


@router.post(
    "/seal-certificates", summary="印鑑登録証明書の交付", response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "印鑑登録証明書（PDF）"}},
    dependencies=[requires(P_CERTIFICATE)],
)
def certificate(platform: PlatformDep, ctx: TenantContext, body: CertificateIn) -> Response:
    """提示された印鑑登録証の番号が登録と一致するときだけ交付します（不一致・亡失は422、記録されます）。

    支援措置の対象の方については、本人確認書類で確認した本人（``identity_checked``）にだけ交付し、
    代理人には印鑑登録証があっても交付しません（403、記録されます）。"""
    issued = issue_certificate(platform.uow(ctx.tenant_code), ctx, body)
    return Response(
        issued.pdf,
        media_type="application/pdf",
        headers={
            "X-Issue-Number": issued.issue_no,
            "X-Fee-Total": str(issued.fee_total),
            "Content-Disposition": f'inline; filename="inkan-{issued.issue_no}.pdf"',
            "Cache-Control": "no-store",
        },
    )
