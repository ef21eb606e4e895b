"""賦課の結果・更正・税額決定通知書の画面.

* ``GET  /t/{tenant}/tax/{year}/results/{宛名番号}`` — every decision (当初・更正) with its
  reason and trace (each figure, the parameters it read and their legal references);
* ``POST /t/{tenant}/tax/{year}/results/{宛名番号}/notice`` (CSRF) → ``issue_notice`` → the
  税額決定通知書 PDF (numbered, verifiable, audited);
* ``GET  /t/{tenant}/tax/{year}/reassess/{宛名番号}`` — 更正: the reason;
* ``POST /t/{tenant}/tax/{year}/reassess/{宛名番号}`` (CSRF) with ``action``: ``confirm``
  (default) → ``assess(atena_nos=[…])`` as a dry run → what would change; ``edit``;
  ``register`` → ``assess`` for real (``expected_run_no``: the run number the confirmation
  showed, so a second post of it is refused with 409 ``TAX_RUN_CHANGED``) → 303 to the
  results page (``?run=…``: the run's own figures say what was registered; a reload posts nothing).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError

from municloud.errors import ConflictError, MuniError, NotFoundError
from municloud.kernel.db import is_lock_timeout
from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.tax.catalog import P_ASSESS, P_NOTICE, P_RESULT_VIEW
from municloud.modules.tax.domain import EXEMPTIONS, LABELS, REASSESSMENT
from municloud.modules.tax.screens.common import AtenaNo, T, Year, is_refusal
from municloud.modules.tax.services.assessment import assess
from municloud.modules.tax.services.notices import issue_notice
from municloud.modules.tax.services.results import PersonResults, results_of
from municloud.modules.tax.services.runs import find_run
from municloud.web.pdf import pdf_response
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
SOURCES = {"national": "国の既定値", "tenant": "団体の設定", "input": "試算の入力", "standard": "標準（1級地）"}


def _results(screen: Screen, year: int, atena_no: str) -> PersonResults | None:
    """The person's decisions of *year*, or None when not assessed yet."""
    try:
        return results_of(screen.uow(), screen.ctx, year, atena_no)
    except NotFoundError as exc:
        if exc.code != "TAX_RESULT_NOT_FOUND":
            raise
        return None


def _results_page(screen: Screen, year: int, atena_no: str, *, done: str | None = None, errors=None,
                  status: int = 200) -> Response:
    found = _results(screen, year, atena_no)
    return screen.render(T + "results.html", title=f"賦課の結果（{year}年度・宛名番号 {atena_no}）", status=status,
                         errors=errors, year=year, atena_no=atena_no,
                         revisions=list(reversed(found.revisions)) if found else [], labels=LABELS, exemptions=EXEMPTIONS,
                         sources=SOURCES, done=done, can_reassess=screen.ctx.has(P_ASSESS),
                         can_print=screen.ctx.has(P_NOTICE), shortcuts=_keys(screen) if found else None)


def _keys(screen: Screen) -> dict[str, str]:
    keys = {"Alt+P": "税額決定通知書を印刷（PDF）"} if screen.ctx.has(P_NOTICE) else {}
    return keys | ({"Alt+U": "更正する"} if screen.ctx.has(P_ASSESS) else {})


@router.get("/t/{tenant}/tax/{year}/results/{atena_no}", summary="賦課の結果と計算過程",
            dependencies=[requires(P_RESULT_VIEW)])
def results(screen: TenantScreen, year: Year, atena_no: AtenaNo,
            run: Annotated[int | None, Query(ge=1, le=SERIAL_MAX)] = None) -> Response:
    return _results_page(screen, year, atena_no, done=_reassessed(screen, year, run) if run else None)


def _reassessed(screen: Screen, year: int, run_no: int) -> str | None:
    """What the 303 after a registered 更正 says — read from the run itself, so a link made
    up by hand (``?run=…``) announces nothing that was not registered."""
    run = find_run(screen.uow(), screen.ctx, run_no)
    if run is None or run.year != year or run.kind != REASSESSMENT:
        return None
    return (f"更正を登録しました（実行番号 {run_no}、変わった決定 {run.results}件）" if run.results
            else f"更正を記録しました（実行番号 {run_no}）。計算結果は変わらなかったため、決定は増えていません")


@router.post("/t/{tenant}/tax/{year}/results/{atena_no}/notice", summary="税額決定通知書の発行",
             dependencies=[requires(P_NOTICE)])
def notice(screen: TenantForm, year: Year, atena_no: AtenaNo,
           revision: Annotated[str, Form(max_length=6)] = "") -> Response:
    issued = issue_notice(screen.uow(), screen.ctx, year, atena_no, int(revision) if revision.isdigit() else None)
    return pdf_response(issued.pdf, issued.issue_no, prefix="zeigaku-")


def _reassess_page(screen: Screen, year: int, atena_no: str, form: dict, *, errors=None,
                   status: int = 200) -> Response:
    return screen.render(T + "reassess.html", title=f"更正（{year}年度・宛名番号 {atena_no}）", status=status,
                         errors=errors, form=form, year=year, atena_no=atena_no, labels={"reason": "更正の理由"},
                         shortcuts={"Alt+K": "入力内容を確認する"})


#: How long a 更正 (confirmation or registration) waits for the tenant's runs: a 当初賦課
#: holds them for minutes, and a clerk's request must not hold a worker that long.
REASSESS_WAIT_MS = 3000


def _reassess_waiting_briefly(screen: Screen, dry_run: bool, year: int, reason: str, atena_no: str,
                              expected: int | None):
    try:
        return assess(screen.uow(dry_run=dry_run, lock_wait_ms=REASSESS_WAIT_MS), screen.ctx, year, reason=reason,
                      atena_nos=[atena_no], expected_run_no=expected)
    except OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        raise ConflictError("TAX_ASSESSMENT_RUNNING", "当初賦課（一括）などの賦課を実行中のため、更正できません。"
                                                      "終わってから、もう一度お試しください") from exc


@router.get("/t/{tenant}/tax/{year}/reassess/{atena_no}", summary="更正の入力", dependencies=[requires(P_ASSESS)])
def reassess_form(screen: TenantScreen, year: Year, atena_no: AtenaNo) -> Response:
    return _reassess_page(screen, year, atena_no, {})


@router.post("/t/{tenant}/tax/{year}/reassess/{atena_no}", summary="更正の確認・登録",
             dependencies=[requires(P_ASSESS)])
def reassess(screen: TenantForm, year: Year, atena_no: AtenaNo, reason: Annotated[str, Form()] = "",
             action: Annotated[str, Form()] = "confirm",
             expected_run_no: Annotated[str, Form(max_length=12)] = "") -> Response:
    form = {"reason": reason}
    if action == "edit":
        return _reassess_page(screen, year, atena_no, form)
    dry_run = action != "register"
    try:
        expected = None if dry_run else int(expected_run_no) if expected_run_no.isdigit() else -1
        summary = _reassess_waiting_briefly(screen, dry_run, year, reason, atena_no, expected)
    except MuniError as exc:
        if is_refusal(exc) and exc.code != "TAX_NOT_A_TAXPAYER":
            raise
        return _reassess_page(screen, year, atena_no, form, errors=exc, status=422 if exc.status == 404 else exc.status)
    if dry_run:
        before = _results(screen, year, atena_no)
        return screen.render(T + "reassess_confirm.html", title=f"更正の確認（{year}年度・宛名番号 {atena_no}）",
                             form=form, year=year, atena_no=atena_no, summary=summary,
                             before=before.current if before else None,
                             shortcuts={"Alt+T": "更正を登録する", "Alt+B": "修正する（入力画面に戻る）"})
    return redirect(f"{screen.base}/tax/{year}/results/{atena_no}?run={summary.run_no}")
