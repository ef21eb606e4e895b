"""Looking at assessment runs (賦課の実行): the list of runs, and one run's summary — persons
taxed, 非課税 by reason, the total in yen — with, for a 当初賦課, the persons who could not be
assessed and why (課税資料 of a person who was not a resident on the 賦課期日) and the
taxpayers assessed without 課税資料 (未申告: computed as having no income)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from municloud.errors import MuniError, NotFoundError
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry.api import persons_for_document
from municloud.modules.tax.catalog import A_RESULT_VIEW, P_RESULT_VIEW
from municloud.modules.tax.domain import ASSESSMENT, EXEMPTIONS, LABELS, WITHDRAWN
from municloud.modules.tax.orm import TaxInput, TaxResult, TaxRun

LISTED = 200  # persons listed by name on the summary (the counts are always complete)


@dataclass(frozen=True)
class RunRow:
    run_no: int
    year: int
    kind: str
    kind_label: str
    reason: str | None
    actor: str
    started_at: datetime
    finished_at: datetime
    taxpayers: int
    results: int


@dataclass(frozen=True)
class Person:
    atena_no: str
    name: str
    why: str  # 理由


@dataclass
class RunReport:
    run: RunRow
    taxed: int  # results with tax > 0
    total_tax: int  # yen, over the run's results
    withdrawn: int
    exempt: list[tuple[str, str, int]]  # (code, 非課税の理由, persons)
    not_assessed_count: int = 0
    not_assessed: list[Person] = field(default_factory=list)
    without_input_count: int = 0
    without_input: list[Person] = field(default_factory=list)


def _row(r: TaxRun) -> RunRow:
    return RunRow(r.run_no, r.year, r.kind, LABELS.get(r.kind, r.kind), r.reason, r.actor, r.started_at,
                  r.finished_at, r.taxpayers, r.results)


def list_runs(uow: UnitOfWork, ctx: Context, limit: int = 50) -> list[RunRow]:
    """The latest assessment runs of the tenant, newest first (no personal data)."""
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW)
        rows = uow.session.scalars(select(TaxRun).order_by(TaxRun.run_no.desc()).limit(limit)).all()
        return [_row(r) for r in rows]


def find_run(uow: UnitOfWork, ctx: Context, run_no: int) -> RunRow | None:
    """Run *run_no* of the tenant, or None (its figures only, no personal data)."""
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW, subjects=[f"tax_run:{run_no}"])
        run = uow.session.get(TaxRun, (uow.tenant_code, run_no))
        return _row(run) if run is not None else None


def _names(uow: UnitOfWork, atena_nos: list[str]) -> dict:
    try:
        return persons_for_document(uow, atena_nos)
    except MuniError:  # a 宛名番号 the registry does not know (cannot happen through the import)
        return {}


def _why_not(card, assessment_date: date) -> str:
    if card is None:
        return "住民記録にない宛名番号です"
    if card.is_resident:
        return f"{assessment_date:%Y年%-m月%-d日}（賦課期日）の後に住民になった人です（賦課期日の住所地で課税）"
    removed = f"{card.removed_on:%Y年%-m月%-d日}" if card.removed_on else ""
    return f"賦課期日に住民ではありません（{card.removal_reason or '消除'} {removed}）"


def run_report(uow: UnitOfWork, ctx: Context, run_no: int) -> RunReport:
    """The summary of run *run_no* (audited look: the persons listed are named)."""
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW, subjects=[f"tax_run:{run_no}"])
        run = uow.session.get(TaxRun, (uow.tenant_code, run_no))
        if run is None:
            raise NotFoundError("TAX_RUN_NOT_FOUND", f"賦課の実行 {run_no} はありません")
        r = TaxResult
        of_run = (r.run_no == run_no)
        taxed, total = uow.session.execute(select(
            func.count().filter(r.total > 0), func.coalesce(func.sum(r.total), 0)).where(of_run)).one()
        withdrawn = uow.session.scalar(select(func.count()).where(of_run, r.status == WITHDRAWN))
        exempt = [(code, EXEMPTIONS.get(code, code), n) for code, n in uow.session.execute(
            select(r.exemption, func.count()).where(of_run, r.exemption.is_not(None))
            .group_by(r.exemption).order_by(r.exemption))]
        report = RunReport(_row(run), int(taxed), int(total), int(withdrawn or 0), exempt)
        shown: list[str] = []
        if run.kind == ASSESSMENT:
            assessed = select(r.atena_no).where(of_run)
            inputs = select(TaxInput.atena_no).where(TaxInput.year == run.year)
            missing = select(TaxInput.atena_no).where(TaxInput.year == run.year, TaxInput.atena_no.not_in(assessed))
            report.not_assessed_count = uow.session.scalar(select(func.count()).select_from(missing.subquery()))
            bare = select(r.atena_no).where(of_run, r.atena_no.not_in(inputs))
            report.without_input_count = uow.session.scalar(select(func.count()).select_from(bare.subquery()))
            first = list(uow.session.scalars(missing.order_by(TaxInput.atena_no).limit(LISTED)))
            second = list(uow.session.scalars(bare.order_by(r.atena_no).limit(LISTED)))
            cards = _names(uow, first + second)
            on = date(run.year, 1, 1)
            report.not_assessed = [Person(a, cards[a].shimei if a in cards else "", _why_not(cards.get(a), on))
                                   for a in first]
            report.without_input = [Person(a, cards[a].shimei if a in cards else "",
                                           "課税資料がありません（所得なしとして計算しました。申告の確認が必要です）")
                                    for a in second]
            shown = first + second
        uow.audit.record(ctx, A_RESULT_VIEW, subjects=[f"tax_run:{run_no}"] + [f"resident:{a}" for a in shown],
                         detail={"year": run.year, "run_no": run_no, "summary": True})
        uow.commit()
        return report
