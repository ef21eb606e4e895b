"""住所マスター JSON API: ``GET /api/v1/t/{tenant}/towns`` — list and search the 町字.

Included by ``registry.web``; translate only (``services.towns`` checks the permission)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from municloud.kernel.fields import DateValue
from municloud.modules.registry.catalog import P_TOWN_VIEW
from municloud.modules.registry.services.towns import MAX_TOWNS, TownView, list_towns
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext

router = APIRouter()


@router.get("/towns", response_model=list[TownView], summary="住所マスター（町字）の一覧・検索",
            dependencies=[requires(P_TOWN_VIEW)])
def towns(
    platform: PlatformDep,
    ctx: TenantContext,
    q: Annotated[str | None, Query(description="町字の名前またはフリガナの一部（ひらがな・半角カナも可）")] = None,
    on: Annotated[DateValue | None, Query(description="基準日（既定：今日）。その日に有効な町字だけ")] = None,
    include_ended: Annotated[bool, Query(description="廃止された町字・名前が変わる前の町字も含める")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_TOWNS, description="最大件数")] = 50,
) -> list[TownView]:
    """町字・郵便番号・付加情報（校区など）・効力発生日・廃止日。個人の情報は含みません。"""
    return list_towns(platform.uow(ctx.tenant_code), ctx, q, on, include_ended=include_ended,
                      limit=limit)
