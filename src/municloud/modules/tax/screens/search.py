"""納税者の検索: ``GET /t/{tenant}/tax?atena_no=…&year=…`` — the person (name, address from
the registry's public API) and, per 年度, the 課税資料 and the decisions, with links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from municloud.errors import MuniError
from municloud.modules.tax.catalog import P_RESULT_VIEW
from municloud.modules.tax.rules import LAST_YEAR
from municloud.modules.tax.screens.common import T, is_refusal
from municloud.modules.tax.screens.forms import YEARS
from municloud.modules.tax.services.taxpayers import find_taxpayer
from municloud.web.screens.access import requires
from municloud.web.screens.deps import TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)


@router.get("/t/{tenant}/tax", summary="納税者の検索", dependencies=[requires(P_RESULT_VIEW)])
def search(screen: TenantScreen, atena_no: Annotated[str, Query(max_length=40)] = "",
           year: Annotated[str, Query(max_length=4)] = "") -> Response:
    atena_no = atena_no.strip()
    form = {"atena_no": atena_no, "year": year or str(LAST_YEAR)}
    found, errors, status = None, None, 200
    if atena_no:
        try:
            found = find_taxpayer(screen.uow(), screen.ctx, atena_no)
        except MuniError as exc:
            if exc.status >= 500 or exc.status in (401, 403):
                raise
            message = "その宛名番号の方は見つかりません" if is_refusal(exc) else exc.message
            errors, status = FormErrors(message, {"atena_no": message}, exc.code), 404 if is_refusal(exc) else 422
    years = {y for y, _ in YEARS}
    chosen = int(form["year"]) if form["year"].isdigit() and int(form["year"]) in years else LAST_YEAR
    return screen.render(T + "search.html", title="納税者の検索", status=status, errors=errors, form=form,
                         found=found, years=YEARS, year=chosen, labels={"atena_no": "宛名番号"},
                         shortcuts={"Alt+I": "課税資料", "Alt+R": "賦課の結果"} if found else None)
