"""住所マスター JSON API: ``GET /api/v1/t/{tenant}/towns`` — list and search the 町字;
``POST /api/v1/t/{tenant}/towns:load`` — replace the master with a file (``?dry_run=true``
checks it and writes nothing).

Included by ``registry.web``; translate only (``services.towns`` checks the permission)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from municloud.kernel.fields import DateValue
from municloud.modules.registry.catalog import P_TOWN_LOAD, P_TOWN_VIEW
from municloud.modules.registry.services.towns import (
    MAX_TOWNS,
    TownView,
    list_towns,
    load_towns,
    read_upload,
)
from municloud.modules.registry.towns.layout import TownsRefused
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext
from municloud.web.errors import error_body

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


class TownLoadOut(BaseModel):
    rows: int
    in_force: int
    replaced: int
    sha256: str
    dry_run: bool


@router.post("/towns:load", response_model=TownLoadOut, summary="住所マスター（町字）の取込み（CSV、全件置き換え）",
             responses={422: {"description": "ファイルに問題がありました（何も取り込んでいません）。problems に一覧"}},
             dependencies=[requires(P_TOWN_LOAD)])
def load(
    platform: PlatformDep,
    ctx: TenantContext,
    file: Annotated[UploadFile, File(description="町字のファイル（UTF-8 CSV、アドレス・ベース・レジストリの町字の列名）")],
    dry_run: Annotated[bool, Query(description="検査だけして何も書き込まない")] = False,
) -> Any:
    """全件を検査してから、住所マスターをファイルの内容で置き換えます。問題が1件でもあれば何も
    変えず、422 と問題の一覧（file・row（ファイルの行番号）・column・reason・code）を返します。"""
    data, name = read_upload(file.file, file.filename)
    try:
        done = load_towns(platform.uow(ctx.tenant_code, dry_run=dry_run), ctx, data, name)
    except TownsRefused as exc:
        body = error_body(exc.code, exc.message, exc.fields)
        body["problems"] = [vars(p) for p in exc.problems]
        return JSONResponse(body, status_code=422)
    return TownLoadOut(rows=done.rows, in_force=done.in_force, replaced=done.replaced, sha256=done.sha256,
                       dry_run=dry_run)
