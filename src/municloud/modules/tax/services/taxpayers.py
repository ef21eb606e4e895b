"""Finding a taxpayer (納税者の検索) by 宛名番号: the person as the registry knows them
(``registry.api``) and, for each 年度, whether there are 課税資料 and a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry.api import person_for_document
from municloud.modules.tax.catalog import A_RESULT_VIEW, P_RESULT_VIEW
from municloud.modules.tax.orm import TaxInput, TaxResult


@dataclass(frozen=True)
class YearState:
    year: int
    has_input: bool
    revisions: int  # decisions of the year (0: not assessed)
    total: int | None  # 年税額 of the current decision


@dataclass(frozen=True)
class Taxpayer:
    atena_no: str
    name: str
    kana: str
    birth_date: date
    address: str
    resident: bool
    years: list[YearState]


def find_taxpayer(uow: UnitOfWork, ctx: Context, atena_no: str) -> Taxpayer:
    """The person *atena_no* and their years (audited look); ``REGISTRY_RESIDENT_NOT_FOUND``
    for a 宛名番号 the registry does not know."""
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW, subjects=subjects)
        card = person_for_document(uow, atena_no)
        inputs = set(uow.session.scalars(select(TaxInput.year).where(TaxInput.atena_no == atena_no)))
        counts: dict[int, int] = {}
        totals: dict[int, int] = {}
        for year, revision, total in uow.session.execute(select(TaxResult.year, TaxResult.revision, TaxResult.total)
                                                         .where(TaxResult.atena_no == atena_no)
                                                         .order_by(TaxResult.year, TaxResult.revision)):
            counts[year], totals[year] = revision, total
        years = [YearState(y, y in inputs, counts.get(y, 0), totals.get(y))
                 for y in sorted(inputs | set(counts), reverse=True)]
        uow.audit.record(ctx, A_RESULT_VIEW, subjects=subjects, detail={"lookup": True})
        uow.commit()
        return Taxpayer(card.atena_no, card.shimei, card.shimei_kana, card.birth_date, card.full_address,
                        card.is_resident, years)
