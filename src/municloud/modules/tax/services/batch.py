"""The 当初賦課 started from a screen (一括賦課の実行): a background thread runs
:func:`~.assessment.assess` — one transaction, as from the CLI — while the screen shows its
progress.

Design (kept simple on purpose): the job lives in this process's memory (:class:`Job`); the
assessment's ``progress`` callback updates the job's stage and counts, and the progress page
reads them.  Progress is not written to the database: on SQLite the run holds the only write
lock until it commits, so a second session could not write it anyway.  What lasts is the
run itself (``tax_runs`` and its results, committed at the end) — the summary page reads
that.  If the process stops during the run, the transaction is rolled back and nothing of
the year is written; start it again.  One job per tenant and 年度 at a time: this process
refuses a second job at once, and ``assess(initial=True)`` itself serialises the runs of a
tenant (across processes too) and refuses a second 当初賦課 with ``TAX_ALREADY_ASSESSED``.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from municloud.errors import ConflictError, MuniError, NotFoundError
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.modules.tax.catalog import A_ASSESS, P_ASSESS
from municloud.modules.tax.orm import TaxRun
from municloud.modules.tax.rules import check_year
from municloud.modules.tax.services.assessment import already_assessed, assess

log = logging.getLogger(__name__)
RUNNING, DONE, FAILED = "running", "done", "failed"
STATUS_LABELS = {RUNNING: "実行中", DONE: "完了", FAILED: "中止（何も書き込んでいません）"}
KEEP = 50  # finished jobs remembered per tenant


@dataclass
class Job:
    job_id: str
    tenant_code: str
    year: int
    actor: str
    started_at: datetime
    stage: str = "開始"
    done: int = 0
    total: int = 0
    status: str = RUNNING
    run_no: int | None = None
    error: str | None = None  # the refusal's Japanese message
    error_code: str | None = None
    finished_at: datetime | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent(self) -> int:
        return 100 if self.status == DONE else (self.done * 100 // self.total if self.total else 0)


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def start_assessment(platform, ctx: Context, year: int) -> Job:
    """Check that *ctx* may run the 当初賦課 of *year* and that it has not been run, then
    start it in the background; the :class:`Job` to follow."""
    check_year(year)
    with platform.uow(ctx.tenant_code) as uow:
        uow.require(ctx, P_ASSESS, A_ASSESS, subjects=[f"tax_year:{year}"])
        if uow.session.scalar(select(func.count()).select_from(TaxRun).where(TaxRun.year == year)):
            raise already_assessed(year)  # at once; assess() checks again under its lock
    with _lock:
        if any(j.tenant_code == ctx.tenant_code and j.year == year and j.status == RUNNING for j in _jobs.values()):
            raise ConflictError("TAX_ASSESSMENT_RUNNING", f"{year} 年度の当初賦課は実行中です。終わるまでお待ちください")
        job = Job(secrets.token_hex(8), ctx.tenant_code, year, ctx.actor, utcnow())
        _jobs[job.job_id] = job
        _forget_finished(ctx.tenant_code)
    job.thread = threading.Thread(target=_run, args=(platform, ctx, job), name=f"tax-assess-{job.job_id}",
                                  daemon=True)
    job.thread.start()
    return job


def _forget_finished(tenant_code: str) -> None:
    """Keep the last :data:`KEEP` finished jobs of *tenant_code* (caller holds ``_lock``):
    a busy tenant does not push out another's."""
    finished = [j for j in _jobs.values() if j.status != RUNNING and j.tenant_code == tenant_code]
    for old in finished[:-KEEP]:
        del _jobs[old.job_id]


def _run(platform, ctx: Context, job: Job) -> None:
    def progress(stage: str, done: int, total: int) -> None:
        job.stage, job.done, job.total = stage, done, total

    try:
        summary = assess(platform.uow(job.tenant_code), ctx, job.year, progress=progress, initial=True)
    except MuniError as exc:
        job.error, job.error_code, job.status = exc.message, exc.code, FAILED
    except Exception as exc:  # noqa: BLE001 — the page must say it stopped
        # Only the exception's type: its message and traceback may carry SQL parameters
        # (宛名番号, amounts), and personal data never goes to the ordinary log.
        log.error("tax assessment job %s of %s stopped: %s", job.job_id, job.tenant_code, type(exc).__name__)
        job.error, job.error_code, job.status = ("予期しないエラーで中止しました（システムのログを確認してください）",
                                                 "INTERNAL_ERROR", FAILED)
    else:
        job.run_no, job.stage, job.status = summary.run_no, "完了", DONE
    job.finished_at = utcnow()


def job_of(ctx: Context, job_id: str) -> Job:
    """The job *job_id* of *ctx*'s tenant (``TAX_JOB_NOT_FOUND`` otherwise, e.g. after a restart)."""
    job = _jobs.get(job_id)
    if job is None or job.tenant_code != ctx.tenant_code or not ctx.has(P_ASSESS):
        raise NotFoundError("TAX_JOB_NOT_FOUND",
                            "この一括賦課の実行は見つかりません（サーバーの再起動で経過は消えます。実行の一覧を確認してください）")
    return job
