"""JSON routes of the certificate window's records (交付履歴・日計表・領収書) — translate only.

Included by ``web.py`` under ``/api/v1/t/{tenant}``; the screens (``issuance_screens.py``)
call the same services (``certificates/history.py``, ``certificates/receipt.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from municloud.kernel.clock import today_jst
from municloud.kernel.fields import DateValue
from municloud.modules.registry.catalog import P_CERTIFICATE, P_JOURNAL
from municloud.modules.registry.certificates.history import issuance_status, journal, list_day
from municloud.modules.registry.certificates.receipt import issue_receipt
from municloud.modules.registry.certificates.schemas import (
    DayIssuances,
    IssuanceStatusView,
    Journal,
)
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext
from municloud.web.pdf import pdf_response

router = APIRouter(tags=["住民記録"])
Day = Annotated[DateValue | None, Query(description="交付日（YYYY-MM-DD、日本時間。既定は今日）")]
IssueNo = Annotated[str, Path(max_length=24, pattern=r"^[0-9]{6}-[0-9]{4}-[0-9]{6}$", description="証明書の発行番号")]


@router.get("/certificates", response_model=DayIssuances, summary="証明書の交付履歴（日別）",
            dependencies=[requires(P_CERTIFICATE)])
def day_issuances(platform: PlatformDep, ctx: TenantContext, day: Day = None) -> DayIssuances:
    """その日に交付したすべての証明書（古い順）：請求者の種別・氏名、目的、本人確認書類の種類、通数、手数料・免除の理由、
    発行番号、領収書の発行番号、交付した職員。同じ窓口で受けたほかの手数料（印鑑登録証明書など、種類ごとの集計）を
    ``other_fees`` に、それを含むその日の手数料の合計（窓口の収納額）を ``takings`` に返します。閲覧は記録されます。"""
    return list_day(platform.uow(ctx.tenant_code), ctx, day or today_jst())


@router.get("/certificates/journal", response_model=Journal, summary="証明書の交付日計表",
            dependencies=[requires(P_JOURNAL)])
def day_journal(platform: PlatformDep, ctx: TenantContext, day: Day = None) -> Journal:
    """手数料の照合のための日計表：証明書の種類ごとの件数・通数・手数料（印鑑登録証明書を含む）、免除の理由ごとの
    件数・通数・免除額、合計（窓口の収納額）。
    個人の情報を含みません。責任者（registry:certificate:journal）だけが使えます。"""
    return journal(platform.uow(ctx.tenant_code), ctx, day or today_jst())


@router.get("/certificates/{issue_no}", response_model=IssuanceStatusView, summary="発行番号の交付履歴と確認の状況",
            dependencies=[requires(P_CERTIFICATE)])
def issuance(platform: PlatformDep, ctx: TenantContext, issue_no: IssueNo) -> IssuanceStatusView:
    """交付履歴の1件と、発行台帳の記録（SHA-256・ページ数）・/verify で確認された回数、領収書の状況。"""
    return issuance_status(platform.uow(ctx.tenant_code), ctx, issue_no)


@router.post(
    "/certificates/{issue_no}/receipt", summary="手数料の領収書の発行（PDF、1回だけ）", response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "領収書のPDF（X-Issue-Number: 領収書の発行番号）"}},
    dependencies=[requires(P_CERTIFICATE)],
)
def receipt(platform: PlatformDep, ctx: TenantContext, issue_no: IssueNo) -> Response:
    """手数料を受けた交付の領収書を発行します。免除（0円）の交付は409（REGISTRY_RECEIPT_NO_FEE）、
    2回目は409（REGISTRY_RECEIPT_ISSUED）。"""
    issued = issue_receipt(platform.uow(ctx.tenant_code), ctx, issue_no)
    return pdf_response(issued.pdf, issued.issue_no)

