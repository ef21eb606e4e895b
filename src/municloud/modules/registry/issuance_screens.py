"""交付履歴 screens: the day's issuances (本日の交付) with their 領収書, a resident's 交付履歴,
one 発行番号's state, and the 日計表 the supervisor prints for the 手数料 reconciliation.

* ``GET  /t/{tenant}/certificates/issued?day=`` — every certificate issued that day (JST;
  西暦 or 和暦, default today), oldest first: time, 発行番号 (→ its state), certificate,
  通数, 手数料 or 免除 with the reason, 請求者 (type, name, purpose), 本人確認書類, who
  issued it, and 「領収書」 for a paid issue without one; the day's takings at the head —
  the other fee sources' (印鑑登録証明書 …, ``kernel.fees``) included and shown beside;
* ``POST /t/{tenant}/certificates/issued/{issue_no}/receipt`` (CSRF) — the 領収書 PDF
  (once; a 免除 or a second time: the state page with the Japanese reason);
* ``GET  /t/{tenant}/certificates/issued/{issue_no}`` — one issuance, the register's facts
  (pages, SHA-256, 確認コード printed) and how often ``/verify`` confirmed it or was shown
  another file, and its 領収書;
* ``GET  /t/{tenant}/residents/{atena_no}/certificates`` — the resident's 交付履歴;
* ``GET  /t/{tenant}/certificates/journal?day=`` — the 日計表 (``registry:certificate:journal``,
  the supervisor's): per kind 件数・通数・手数料 over every fee source (印鑑登録証明書 too), per 免除 reason 件数・通数・免除額, the
  totals and sign-off boxes; prints on A4 without the menu (``@media print``).

The services (``certificates/history.py``, ``certificates/receipt.py``) check the
permissions and audit each look; the JSON API (``issuance_api.py``) calls the same ones.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from municloud.errors import ConflictError, ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.modules.registry.catalog import P_CERTIFICATE, P_JOURNAL
from municloud.modules.registry.certificates.history import (
    issuance_status,
    journal,
    list_day,
    list_issuances,
)
from municloud.modules.registry.certificates.receipt import issue_receipt
from municloud.modules.registry.services.notifications import parse_day
from municloud.modules.registry.services.queries import get_resident
from municloud.web.pdf import pdf_response
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
T = "registry/certificates/"
LABELS = {"day": "交付日"}


def _around(day: date | None) -> dict:
    """The days before and after *day* (links 「前の日」「次の日」; none after today)."""
    if day is None:
        return {"previous": None, "next": None}
    after = day + timedelta(days=1)
    return {"previous": day - timedelta(days=1), "next": after if after <= today_jst() else None}


def _day(value: str) -> tuple[date | None, dict, FormErrors | None]:
    form = {"day": value.strip() or format_wareki(today_jst())}
    try:
        return parse_day(form["day"], "day", LABELS["day"]), form, None
    except ValidationError as exc:
        return None, form, FormErrors.of(exc)


@router.get("/t/{tenant}/certificates/issued", summary="証明書の交付履歴（日別）", dependencies=[requires(P_CERTIFICATE)])
def issued_on_day(screen: TenantScreen, day: Annotated[str, Query()] = "") -> Response:
    on, form, errors = _day(day)
    listing = list_day(screen.uow(), screen.ctx, on) if on else None
    return screen.render(T + "issued.html", title="証明書の交付履歴（日別）", status=422 if errors else 200,
                         errors=errors, form=form, labels=LABELS, day=on, listing=listing,
                         can_journal=screen.ctx.has(P_JOURNAL), around=_around(on))


@router.get("/t/{tenant}/residents/{atena_no}/certificates", summary="この方の証明書の交付履歴",
            dependencies=[requires(P_CERTIFICATE)])
def resident_issuances(screen: TenantScreen, atena_no: str) -> Response:
    person = get_resident(screen.uow(), screen.ctx, atena_no)
    rows = list_issuances(screen.uow(), screen.ctx, atena_no)
    return screen.render(T + "resident_history.html", title=f"証明書の交付履歴（{person.shimei}）", person=person,
                         rows=rows)


def _status_page(screen: Screen, issue_no: str, *, errors=None, status: int = 200) -> Response:
    state = issuance_status(screen.uow(), screen.ctx, issue_no)
    return screen.render(T + "status.html", title=f"発行番号 {issue_no}", state=state, errors=errors, status=status)


@router.get("/t/{tenant}/certificates/issued/{issue_no}", summary="発行番号の交付履歴と確認の状況",
            dependencies=[requires(P_CERTIFICATE)])
def issuance_state(screen: TenantScreen, issue_no: str) -> Response:
    return _status_page(screen, issue_no)


@router.post("/t/{tenant}/certificates/issued/{issue_no}/receipt", summary="手数料の領収書の発行（PDF）",
             dependencies=[requires(P_CERTIFICATE)])
def receipt(screen: TenantForm, issue_no: str) -> Response:
    try:
        issued = issue_receipt(screen.uow(), screen.ctx, issue_no)
    except ConflictError as exc:
        return _status_page(screen, issue_no, errors=FormErrors.of(exc), status=exc.status)
    return pdf_response(issued.pdf, issued.issue_no)


@router.get("/t/{tenant}/certificates/journal", summary="証明書の交付日計表（印刷用）", dependencies=[requires(P_JOURNAL)])
def day_journal(screen: TenantScreen, day: Annotated[str, Query()] = "") -> Response:
    on, form, errors = _day(day)
    result = journal(screen.uow(), screen.ctx, on) if on else None
    return screen.render(T + "journal.html", title="証明書の交付日計表", status=422 if errors else 200, errors=errors,
                         form=form, labels=LABELS, day=on, journal=result, around=_around(on))
