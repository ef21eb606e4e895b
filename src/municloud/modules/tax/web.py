"""個人住民税 JSON API: 課税資料 (one person, or the CSV import), the assessment run, the
results with their trace, the 税額決定通知書 PDF and the 試算.

Attached by ``municloud.web.app`` (it looks for ``router`` here).  Handlers parse, take
the tenant Context and call one service; permissions, audit and rules live in services.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, UploadFile
from fastapi import Path as UrlPath
from fastapi.responses import JSONResponse, Response

from municloud.kernel.fields import SERIAL_MAX, YEAR_MAX, YEAR_MIN
from municloud.modules.tax.catalog import (
    P_ASSESS,
    P_INPUT_MANAGE,
    P_INPUT_VIEW,
    P_NOTICE,
    P_RESULT_VIEW,
)
from municloud.modules.tax.domain import EXEMPTIONS
from municloud.modules.tax.schemas import (
    CALC_EXAMPLE,
    AssessIn,
    CalcOut,
    ImportResult,
    InputBody,
    InputView,
    ParameterOut,
    ProblemOut,
    ResultsOut,
    RunSummaryOut,
)
from municloud.modules.tax.services.assessment import assess
from municloud.modules.tax.services.inputs import (
    InputImportRefused,
    get_input,
    import_inputs,
    set_input,
)
from municloud.modules.tax.services.notices import issue_notice
from municloud.modules.tax.services.results import results_of
from municloud.modules.tax.services.trial import trial_calculation
from municloud.web.access import requires
from municloud.web.deps import PlatformDep, TenantContext
from municloud.web.errors import error_body

router = APIRouter(prefix="/api/v1/t/{tenant}", tags=["個人住民税"])
#: 年度 in a URL: bounded like every year (``kernel.fields``), so 10**20 is a 422, not a crash.
YearPath = Annotated[int, UrlPath(ge=YEAR_MIN, le=YEAR_MAX, description="年度（2026＝令和8年度）")]


@router.put("/tax/{year}/inputs/{atena_no}", response_model=InputView, summary="課税資料の登録・修正（1人分）",
            dependencies=[requires(P_INPUT_MANAGE)])
def put_input(platform: PlatformDep, ctx: TenantContext, year: YearPath, atena_no: str, body: InputBody) -> InputView:
    """その年度の課税資料（前年中の収入・控除・配偶者・扶養親族）を登録し、既にあれば置き換えます。"""
    person = body.to_person(atena_no)
    set_input(platform.uow(ctx.tenant_code), ctx, year, person, body.reason)
    return InputView.of(year, person)


@router.get("/tax/{year}/inputs/{atena_no}", response_model=InputView, summary="課税資料の照会（1人分）",
            dependencies=[requires(P_INPUT_VIEW)])
def read_input(platform: PlatformDep, ctx: TenantContext, year: YearPath, atena_no: str) -> InputView:
    """照会は監査ログに記録されます。"""
    return InputView.of(year, get_input(platform.uow(ctx.tenant_code), ctx, year, atena_no))


@router.post(
    "/tax/{year}/inputs:import", response_model=ImportResult, summary="課税資料の一括取込み（CSV）",
    responses={422: {"description": "ファイルに問題がありました（何も取り込んでいません）。problems に一覧"}},
    dependencies=[requires(P_INPUT_MANAGE)],
)
def import_files(
    platform: PlatformDep, ctx: TenantContext, year: YearPath,
    inputs: Annotated[UploadFile, File(description="課税資料ファイル（UTF-8 CSV、見出し行つき）")],
    relatives: Annotated[UploadFile | None, File(description="親族ファイル（配偶者・扶養親族、任意）")] = None,
) -> Any:
    """全件を検査してから取り込みます。問題が1件でもあれば何も取り込まず、422 と問題の一覧
    （file・row・column・reason・code）を返します。"""
    with tempfile.TemporaryDirectory(prefix="municloud-tax-") as tmp:
        inputs_path = _save(inputs, Path(tmp) / "inputs", "kazei.csv")
        relatives_path = _save(relatives, Path(tmp) / "relatives", "shinzoku.csv") if relatives else None
        try:
            summary = import_inputs(platform.uow(ctx.tenant_code), ctx, year, inputs_path, relatives_path)
        except InputImportRefused as exc:
            body = error_body(exc.code, exc.message, exc.fields)
            body["problems"] = [ProblemOut(**vars(p)).model_dump() for p in exc.problems]
            return JSONResponse(body, status_code=422)
    return ImportResult(year=summary.year, persons=summary.persons, relatives=summary.relatives,
                        replaced=summary.replaced)


def _save(upload: UploadFile, folder: Path, default: str) -> Path:
    """The upload in *folder* under its own base name (problems name the file as sent)."""
    folder.mkdir()
    name = Path((upload.filename or "").replace("\\", "/")).name or default
    path = folder / name
    with path.open("wb") as f:
        shutil.copyfileobj(upload.file, f, 1 << 20)
    return path


@router.post("/tax/{year}/assessments", response_model=RunSummaryOut, status_code=201,
             summary="一括賦課・更正", dependencies=[requires(P_ASSESS)])
def run_assessment(platform: PlatformDep, ctx: TenantContext, year: YearPath,
                   body: AssessIn | None = None) -> RunSummaryOut:
    """賦課期日（1月1日）の住民全員を1回で賦課します。2回目以降は更正で、理由が必要です。
    atena_nos を指定するとその人だけを更正します。結果は上書きされず、新しい決定として追加されます。"""
    body = body or AssessIn()
    summary = assess(platform.uow(ctx.tenant_code), ctx, year, reason=body.reason, atena_nos=body.atena_nos)
    return RunSummaryOut(**vars(summary))


@router.get("/tax/{year}/results/{atena_no}", response_model=ResultsOut, summary="賦課の結果と計算過程",
            dependencies=[requires(P_RESULT_VIEW)])
def results(platform: PlatformDep, ctx: TenantContext, year: YearPath, atena_no: str) -> ResultsOut:
    """すべての決定（当初・更正）を、計算過程（各数字と使ったパラメータ・根拠）とともに返します。"""
    return ResultsOut.of(results_of(platform.uow(ctx.tenant_code), ctx, year, atena_no))


@router.get(
    "/tax/{year}/results/{atena_no}/notice.pdf", summary="税額決定通知書の発行", response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "税額決定通知書（PDF）"}},
    dependencies=[requires(P_NOTICE)],
)
def notice(platform: PlatformDep, ctx: TenantContext, year: YearPath, atena_no: str,
           revision: Annotated[int | None, Query(ge=1, le=SERIAL_MAX, description="決定の回（省略：現在の決定）")] = None) -> Response:
    """発行番号と確認コードをつけて発行します（/verify/{発行番号}?code={確認コード} で確認できます）。発行は監査ログに記録されます。"""
    issued = issue_notice(platform.uow(ctx.tenant_code), ctx, year, atena_no, revision)
    return Response(
        issued.pdf,
        media_type="application/pdf",
        headers={
            "X-Issue-Number": issued.issue_no,
            "X-Revision": str(issued.revision),
            "Content-Disposition": f'inline; filename="zeigaku-{issued.issue_no}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/tax/calc", response_model=CalcOut, summary="試算（1人分、データを使わない）",
             dependencies=[requires(P_RESULT_VIEW)])
def trial(
    platform: PlatformDep, ctx: TenantContext,
    year: Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX, description="年度（2026＝令和8年度）")],
    body: Annotated[dict[str, Any], Body(examples=[CALC_EXAMPLE],
                                         description="`municloud tax calc` と同じ JSON（docs/tax.md）")],
) -> CalcOut:
    """この団体のパラメータ（超過課税・級地・政令指定都市）で1人分を計算します。grade・designated_city
    を入力するとそれを使います。住民のデータは読まず、何も記録しません。"""
    result = trial_calculation(platform.uow(ctx.tenant_code), ctx, year, body)
    f = result.figures
    return CalcOut(year=result.year, total=f["total"],
                   exemption_label=EXEMPTIONS.get(f["exemption"]) if f.get("exemption") else None,
                   figures=f, parameters=[ParameterOut(**p) for p in result.parameters])
