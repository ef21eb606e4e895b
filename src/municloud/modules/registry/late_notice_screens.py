"""届出期間経過の一覧 (the supervisor's screen): late 届出 by 届出日, printable.

``GET /t/{tenant}/late-notifications?since=&until=`` — the period in 西暦 or 和暦 (default:
the first of this month to today).  The service checks the permission (a clerk gets the
403 page) and audits the residents shown; the page prints on A4 without the menu and form
(``@media print`` in ``screens.css``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from municloud.errors import ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.modules.registry.catalog import P_LATE
from municloud.modules.registry.services.late_notices import list_late_notifications
from municloud.modules.registry.services.notifications import parse_day
from municloud.web.screens.access import requires
from municloud.web.screens.deps import TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
LABELS = {"since": "届出日（から）", "until": "届出日（まで）"}


@router.get("/t/{tenant}/late-notifications", summary="届出期間経過の一覧（印刷用）", dependencies=[requires(P_LATE)])
def late_notifications(screen: TenantScreen, since: Annotated[str, Query()] = "",
                       until: Annotated[str, Query()] = "") -> Response:
    today = today_jst()
    form = {"since": since.strip() or format_wareki(today.replace(day=1)), "until": until.strip() or format_wareki(today)}
    rows, errors = [], None
    try:
        start = parse_day(form["since"], "since", LABELS["since"])
        end = parse_day(form["until"], "until", LABELS["until"])
        rows = list_late_notifications(screen.uow(), screen.ctx, start, end)
    except ValidationError as exc:
        errors = FormErrors.of(exc)
        start = end = None
    return screen.render(
        "registry/late_notifications.html", title="届出期間経過の一覧", status=422 if errors else 200,
        errors=errors, form=form, rows=rows, labels=LABELS, since=start, until=end,
    )
