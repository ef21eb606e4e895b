"""当初賦課（一括）の画面: start the 当初賦課 of a 年度, follow it, read its summary.

* ``GET  /t/{tenant}/tax/batch`` — the 年度 to assess and the latest runs;
* ``POST /t/{tenant}/tax/batch`` (CSRF) → ``start_assessment`` (checks the permission and
  that the year is not assessed yet, then runs ``assess`` in a background thread) → 303 to
  the progress page;
* ``GET  /t/{tenant}/tax/batch/jobs/{job}`` — stage and counts, refreshed every 2 seconds
  while running (the ``Refresh`` header, no script); when done, a link to the summary;
* ``GET  /t/{tenant}/tax/runs/{実行番号}`` — ``run_report``: taxed, 非課税 by reason, total
  yen, and who could not be assessed and why.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import Response

from municloud.errors import MuniError
from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.tax.catalog import P_ASSESS, P_RESULT_VIEW
from municloud.modules.tax.rules import LAST_YEAR
from municloud.modules.tax.screens.common import T, is_refusal
from municloud.modules.tax.screens.forms import YEARS
from municloud.modules.tax.services.batch import RUNNING, job_of, start_assessment
from municloud.modules.tax.services.runs import list_runs, run_report
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]
RunNo = Annotated[int, Path(ge=1, le=SERIAL_MAX)]


def _batch_page(screen: Screen, form: dict, *, errors=None, status: int = 200) -> Response:
    # the list of runs is list_runs' (賦課の結果の照会): shown to those who hold that too
    runs = list_runs(screen.uow(), screen.ctx) if screen.ctx.has(P_RESULT_VIEW) else None
    return screen.render(T + "batch.html", title="当初賦課（一括）", status=status, errors=errors, form=form,
                         years=YEARS, runs=runs, labels={"year": "年度"}, shortcuts={"Alt+K": "当初賦課を開始する"})


@router.get("/t/{tenant}/tax/batch", summary="当初賦課（一括）",
            dependencies=[requires(P_ASSESS, also=[P_RESULT_VIEW])])
def batch(screen: TenantScreen) -> Response:
    return _batch_page(screen, {"year": str(LAST_YEAR)})


@router.post("/t/{tenant}/tax/batch", summary="当初賦課の開始",
             dependencies=[requires(P_ASSESS, also=[P_RESULT_VIEW])])
def start(screen: TenantForm, year: Annotated[str, Form(max_length=4)] = "") -> Response:
    form = {"year": year}
    try:
        job = start_assessment(screen.platform, screen.ctx, int(year) if year.isdigit() else 0)
    except MuniError as exc:
        if is_refusal(exc):
            raise
        return _batch_page(screen, form, errors=exc, status=exc.status)
    return redirect(f"{screen.base}/tax/batch/jobs/{job.job_id}")


@router.get("/t/{tenant}/tax/batch/jobs/{job_id}", summary="当初賦課の経過", dependencies=[requires(P_ASSESS)])
def job(screen: TenantScreen, job_id: JobId) -> Response:
    found = job_of(screen.ctx, job_id)
    running = found.status == RUNNING
    page = screen.render(T + "job.html", title=f"当初賦課の経過（{found.year}年度）", job=found, running=running,
                         shortcuts={"Alt+R": "集計を見る"} if found.run_no else None)
    if running:
        page.headers["Refresh"] = "2"  # the browser reloads the page: no script needed
    return page


@router.get("/t/{tenant}/tax/runs/{run_no}", summary="賦課の実行の集計", dependencies=[requires(P_RESULT_VIEW)])
def run(screen: TenantScreen, run_no: RunNo) -> Response:
    report = run_report(screen.uow(), screen.ctx, run_no)
    return screen.render(T + "run.html", title=f"賦課の集計（実行番号 {run_no}・{report.run.year}年度）", report=report)
