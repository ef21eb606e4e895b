"""試算 (a tax officer's trial calculation): one case under national or a tenant's
parameters, touching no data — the ``tax calc`` command and ``POST …/tax/calc``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.tax.calc import compute
from municloud.modules.tax.case import case_from_json
from municloud.modules.tax.catalog import A_RESULT_VIEW, P_RESULT_VIEW
from municloud.modules.tax.rules import Rules, rules_for


def calculate(platform, year: int, data: Any, *, uow: UnitOfWork | None = None) -> tuple[dict[str, Any], Rules]:
    """Every figure of the 試算 JSON *data* for *year* (年度): standard rates without *uow*,
    else the tenant's parameters (call inside its ``with``); ``grade`` / ``designated_city``
    in the input win over both."""
    case = case_from_json(data)
    choices = {"grade": data.get("grade"), "designated_city": data.get("designated_city")}
    rules = rules_for(platform, year, uow=uow, choices=choices)
    return compute(case, rules), rules


@dataclass(frozen=True)
class Trial:
    year: int
    figures: dict[str, Any]  # exactly ``calc.compute``'s answer
    parameters: list[dict]  # the values used, with their source and reference


def trial_calculation(uow: UnitOfWork, ctx: Context, year: int, data: Any) -> Trial:
    """試算: one case (the ``tax calc`` JSON) under the tenant's parameters of *year*, with
    ``grade`` / ``designated_city`` from the input when given.  Reads no personal data and
    writes nothing, so only a refusal is audited (by ``uow.require``)."""
    with uow:
        uow.require(ctx, P_RESULT_VIEW, A_RESULT_VIEW, subjects=[f"tax_year:{year}"])
        figures, rules = calculate(uow.platform, year, data, uow=uow)
        return Trial(year, figures, rules.trace_parameters())
