"""試算の画面: ``GET/POST /t/{tenant}/tax/calc`` — the inputs of ``municloud tax calc``
(incomes, age, spouse, dependants, flags, insurance premiums, medical expenses, 級地,
政令指定都市), computed by ``trial_calculation`` (the API's 試算) under the tenant's
parameters; every figure of the breakdown with the parameters and legal references it
read.  Reads no personal data, writes nothing; the page prints (``@media print``).  A POST
here changes nothing, so it is a form like a search (the CSRF token is still checked)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from municloud.errors import MuniError, Problems
from municloud.modules.tax.catalog import P_RESULT_VIEW
from municloud.modules.tax.domain import EXEMPTIONS
from municloud.modules.tax.rules import LAST_YEAR
from municloud.modules.tax.screens.common import T, is_refusal
from municloud.modules.tax.screens.forms import (
    CALC_AMOUNTS,
    CALC_FLAGS,
    DEPENDANT_ROWS,
    LIFE_LABELS,
    QUAKE_LABELS,
    YEARS,
    read_calc,
)
from municloud.modules.tax.screens.results import SOURCES
from municloud.modules.tax.services.results import trace_of
from municloud.modules.tax.services.trial import trial_calculation
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
GRADES = [("1", "1級地"), ("2", "2級地"), ("3", "3級地")]
CITY = [("1", "政令指定都市"), ("0", "政令指定都市でない")]
LABELS = (dict(CALC_AMOUNTS) | {"age": "本人の年齢（12月31日現在）", "year": "年度", "spouse.income": "配偶者の合計所得金額",
                                "spouse.age": "配偶者の年齢"}
          | {f"life.{k}": v for k, v in LIFE_LABELS.items()} | {f"quake.{k}": v for k, v in QUAKE_LABELS.items()}
          | {f"dependants.{i}.{k}": f"扶養親族{i + 1}の{v}" for i in range(DEPENDANT_ROWS)
             for k, v in (("income", "合計所得金額"), ("age", "年齢"))})


async def posted(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}


def _page(screen: Screen, form: dict, *, result=None, errors=None, status: int = 200) -> Response:
    return screen.render(T + "calc.html", title="住民税の試算", status=status, errors=errors, form=form,
                         result=result, years=YEARS, amounts=CALC_AMOUNTS, life=LIFE_LABELS, quake=QUAKE_LABELS,
                         flags=CALC_FLAGS, dependants=range(DEPENDANT_ROWS), grades=GRADES, city=CITY, labels=LABELS,
                         sources=SOURCES, exemptions=EXEMPTIONS, shortcuts={"Alt+K": "計算する"})


@router.get("/t/{tenant}/tax/calc", summary="住民税の試算", dependencies=[requires(P_RESULT_VIEW)])
def calc_form(screen: TenantScreen) -> Response:
    return _page(screen, {"year": str(LAST_YEAR)})


@router.post("/t/{tenant}/tax/calc", summary="住民税の試算（計算）", dependencies=[requires(P_RESULT_VIEW)])
def calc(screen: TenantForm, form: Annotated[dict, Depends(posted)]) -> Response:
    problems = Problems()
    data = read_calc(form, problems)
    year = int(form["year"]) if form.get("year", "").isdigit() else LAST_YEAR
    try:
        problems.raise_if_any()
        trial = trial_calculation(screen.uow(), screen.ctx, year, data)
    except MuniError as exc:
        if is_refusal(exc):
            raise
        return _page(screen, form, errors=FormErrors.of(exc), status=exc.status)
    result = {"year": trial.year, "figures": trial.figures, "trace": trace_of(trial.figures, trial.parameters),
              "exemption": trial.figures.get("exemption")}
    return _page(screen, form, result=result)
