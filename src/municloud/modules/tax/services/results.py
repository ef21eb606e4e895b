"""Looking at assessment results: every revision of a person's 年度 with its trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from municloud.errors import NotFoundError
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.tax.catalog import A_RESULT_VIEW, P_RESULT_VIEW
from municloud.modules.tax.figures import FIGURES
from municloud.modules.tax.orm import TaxResult, TaxRun
from municloud.modules.tax.rules import KEYS


@dataclass(frozen=True)
class TraceItem:
    key: str
    label: str  # 項目名
    value: int
    parameters: list[dict]  # [{key, value, source, effective_from, reference}]


@dataclass
class Revision:
    revision: int
    run_no: int
    reason: str
    status: str
    collection: str
    employer_no: str | None
    total: int
    exemption: str | None
    instalments: list[int]
    assessed_at: datetime
    figures: dict
    trace: list[TraceItem] = field(default_factory=list)


@dataclass
class PersonResults:
    year: int
    atena_no: str
    revisions: list[Revision]
    parameters: list[dict]  # those of the latest revision's run

    @property
    def current(self) -> Revision:
        return self.revisions[-1]


def trace_of(figures: dict, parameters: list[dict]) -> list[TraceItem]:
    """Each figure with its name and the parameter values (with references) it read."""
    by_key = {p["key"]: p for p in parameters}
    items = []
    for key, label, names in FIGURES:
        used = [by_key[KEYS[n]] for n in names if KEYS[n] in by_key]
        items.append(TraceItem(key, label, int(figures.get(key, 0)), used))
    return items


def load_results(uow: UnitOfWork, year: int, atena_no: str) -> PersonResults:
    """Inside the caller's ``with uow`` (no permission check, no audit)."""
    rows = uow.session.scalars(
        select(TaxResult).where(TaxResult.year == year, TaxResult.atena_no == atena_no).order_by(TaxResult.revision)
    ).all()
    if not rows:
        raise NotFoundError("TAX_RESULT_NOT_FOUND", f"{atena_no} の {year} 年度の賦課の結果はありません")
    runs = {r.run_no: r for r in uow.session.scalars(
        select(TaxRun).where(TaxRun.run_no.in_({row.run_no for row in rows})))}
    revisions = [
        Revision(r.revision, r.run_no, r.reason, r.status, r.collection, r.employer_no, r.total, r.exemption,
                 list(r.instalments), r.assessed_at, dict(r.figures),
                 trace_of(r.figures, runs[r.run_no].parameters))
        for r in rows
    ]
    return PersonResults(year, atena_no, revisions, runs[rows[-1].run_no].parameters)


def results_of(uow: UnitOfWork, ctx: Context, year: int, atena_no: str) -> PersonResults:
    """Every revision of *atena_no*'s results for *year* (audited look)."""
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW, subjects=subjects)
        result = load_results(uow, year, atena_no)
        uow.audit.record(ctx, A_RESULT_VIEW, subjects=subjects, detail={"year": year})
        uow.commit()
        return result
