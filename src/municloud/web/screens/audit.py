"""The auditor's screens: the tenant's audit log filtered by user, resident, action and
period (和暦 or 西暦), newest first, paged, with the hash chain's status at the top; and the
counts of public certificate verifications (``/verify``, per day and document).

``verify_audit`` and ``search_audit`` check the permission (a clerk gets the 403 page) and
record the look in the audit log themselves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from municloud.errors import ValidationError
from municloud.jp.wareki import parse_date
from municloud.kernel.audit.queries import search_audit, verify_audit
from municloud.kernel.catalog import P_AUDIT_READ, P_AUDIT_VERIFY
from municloud.kernel.clock import JST
from municloud.kernel.documents.verification import list_verifications
from municloud.web.screens.access import requires
from municloud.web.screens.deps import TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
PAGE_SIZE = 50
OUTCOMES = {"success": "成功", "failure": "失敗", "denied": "拒否"}
LABELS = {"actor": "操作者", "atena_no": "宛名番号", "action": "操作", "since": "期間（から）", "until": "期間（まで）"}


def _utc(day: date) -> datetime:
    """Midnight of *day* in Japan as the naive UTC the audit table stores."""
    return datetime.combine(day, time(), JST).astimezone(UTC).replace(tzinfo=None)


def _period(since: str, until: str) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    problems: dict[str, str] = {}
    bounds: list[datetime | None] = []
    for name, text, shift in (("since", since, 0), ("until", until, 1)):
        if not text.strip():
            bounds.append(None)
            continue
        try:
            bounds.append(_utc(parse_date(text) + timedelta(days=shift)))
        except ValidationError as exc:
            problems[name] = exc.message
            bounds.append(None)
    if not problems and bounds[0] and bounds[1] and bounds[1] <= bounds[0]:
        problems["until"] = "期間の終わりが始まりより前です"
    return bounds[0], bounds[1], problems


@router.get("/t/{tenant}/audit", summary="監査ログの検索とハッシュチェーンの状態", dependencies=[requires(P_AUDIT_READ, also=[P_AUDIT_VERIFY])])
def audit_log(
    screen: TenantScreen,
    actor: Annotated[str, Query()] = "",
    atena_no: Annotated[str, Query()] = "",
    action: Annotated[str, Query()] = "",
    since: Annotated[str, Query()] = "",
    until: Annotated[str, Query()] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    form = {"actor": actor, "atena_no": atena_no, "action": action, "since": since, "until": until}
    chain = verify_audit(screen.uow(), screen.ctx)
    catalog = screen.platform.catalog.audit_actions
    actions = [(name, f"{a.description}（{name}）") for name, a in sorted(catalog.items())]
    start, end, problems = _period(since, until)
    errors = FormErrors("期間の日付を確認してください", problems) if problems else None
    records, more = [], False
    if errors is None:
        subject = f"resident:{atena_no.strip()}" if atena_no.strip() else None
        found = search_audit(
            screen.uow(), screen.ctx, actor=actor.strip() or None, subject=subject, action=action or None,
            since=start, until=end, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE,
        )
        records, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    query = {k: v for k, v in form.items() if v}
    pages = {
        "previous": f"?{urlencode({**query, 'page': page - 1})}" if page > 1 else None,
        "next": f"?{urlencode({**query, 'page': page + 1})}" if more else None,
    }
    return screen.render(
        "audit/log.html", title="監査ログ", status=422 if errors else 200, errors=errors, form=form,
        chain=chain, records=records, actions=actions, descriptions={k: a.description for k, a in catalog.items()},
        outcomes=OUTCOMES, labels=LABELS, page_no=page, page_size=PAGE_SIZE, pages=pages,
    )


@router.get("/t/{tenant}/audit/verifications", summary="証明書の確認の件数（公開の確認ページ、直近30日）",
            dependencies=[requires(P_AUDIT_READ)])
def verifications(screen: TenantScreen) -> Response:
    counts = list_verifications(screen.uow(), screen.ctx)
    return screen.render("audit/verifications.html", title="証明書の確認の件数", counts=counts)
