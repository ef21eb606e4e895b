"""支援措置の画面: the requests held for review (保留した請求) and the supervisor's review of
measures ending soon or ended by expiry (支援措置の確認).

* ``GET  /t/{tenant}/support-holds`` — held requests, newest first (clerks and supervisors);
* ``GET  /t/{tenant}/support-holds/{保留番号}`` — one request as it was held; a supervisor
  (``registry:support_measure:release``) releases or refuses it with a reason; once
  released, a clerk issues the certificate from here, once;
* ``POST /t/{tenant}/support-holds/{保留番号}/decision`` (CSRF) → ``decide_hold``;
* ``POST /t/{tenant}/support-holds/{保留番号}/certificate`` (CSRF) →
  ``issue_released_certificate`` → the PDF;
* ``GET  /t/{tenant}/support-measures`` — the supervisor's daily list: measures whose end
  date is near (延長の申出を受け付ける期間, ``registry.support_measure.extension_window_days``)
  or past (期間満了), then every measure in force (実施中), each name linking to the person's
  measures page (``support_measure_screens.py``), with 「期間満了を記録する」 →
  ``POST /t/{tenant}/support-measures/expiries`` (CSRF) → ``record_expiries``.

The services check the permissions and audit every look and decision; this file translates.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import Response
from pydantic import ValidationError as PydanticError

from municloud.errors import MuniError, NotFoundError
from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.registry.catalog import P_CERTIFICATE, P_SUPPORT_MANAGE, P_SUPPORT_RELEASE
from municloud.modules.registry.certificates.schemas import REQUESTER_TYPES, TITLES
from municloud.modules.registry.certificates.services import issue_released_certificate
from municloud.modules.registry.services.holds import (
    HoldDecisionIn,
    decide_hold,
    get_hold,
    list_holds,
)
from municloud.modules.registry.services.support import (
    active_support_measures,
    record_expiries,
    review_support_measures,
)
from municloud.web.pdf import pdf_response
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

HoldNo = Annotated[int, Path(ge=1, le=SERIAL_MAX)]

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
T = "registry/support/"
KINDS = {"certificate": "証明書の交付", "third_party": "第三者・代理人からの請求（閲覧・交付）"}
LABELS = {"decision": "判断", "reason": "判断の理由"}
DECISIONS = [("release", "解除する（この請求の交付を1回だけ認める）"), ("refuse", "拒否する")]


def _hold_page(screen: Screen, hold_no: int, *, errors: FormErrors | None = None, status: int = 200,
               done: str | None = None, form: dict | None = None) -> Response:
    hold = get_hold(screen.uow(), screen.ctx, hold_no)
    return screen.render(
        T + "hold.html", title=f"保留した請求（保留番号 {hold_no}）", status=status, errors=errors, hold=hold,
        asked=hold.request, kinds=KINDS, titles=TITLES, requester_types=REQUESTER_TYPES, labels=LABELS,
        decisions=DECISIONS, done=done, form=form or {"decision": "release", "reason": ""},
        can_decide=screen.ctx.has(P_SUPPORT_RELEASE) and hold.status == "held" and hold.held_by != screen.ctx.actor,
        own=hold.held_by == screen.ctx.actor and hold.status == "held",
        can_issue=screen.ctx.has(P_CERTIFICATE) and hold.status == "released" and hold.kind == "certificate",
    )


@router.get("/t/{tenant}/support-holds", summary="保留した請求の一覧", dependencies=[requires(P_CERTIFICATE)])
def holds(screen: TenantScreen) -> Response:
    found = list_holds(screen.uow(), screen.ctx)
    return screen.render(T + "holds.html", title="保留した請求", holds=found, kinds=KINDS,
                         requester_types=REQUESTER_TYPES, can_decide=screen.ctx.has(P_SUPPORT_RELEASE))


@router.get("/t/{tenant}/support-holds/{hold_no}", summary="保留した請求",
            dependencies=[requires(P_CERTIFICATE, also=[P_SUPPORT_RELEASE])])
def hold(screen: TenantScreen, hold_no: HoldNo) -> Response:
    return _hold_page(screen, hold_no)


@router.post("/t/{tenant}/support-holds/{hold_no}/decision", summary="保留した請求の審査（解除・拒否）",
             dependencies=[requires(P_SUPPORT_RELEASE)])
def decide(screen: TenantForm, hold_no: HoldNo, decision: Annotated[str, Form()] = "",
           reason: Annotated[str, Form()] = "", version: Annotated[str, Form()] = "") -> Response:
    form = {"decision": decision, "reason": reason}
    try:
        data = HoldDecisionIn(decision=decision, reason=reason,
                              expected_version=int(version) if version.isdigit() else None)
        decided = decide_hold(screen.uow(), screen.ctx, hold_no, data)
    except PydanticError as exc:
        fields = {str(e["loc"][0]): ("判断を選んでください" if e["loc"][0] == "decision" else "理由を入力してください（500文字以内）")
                  for e in exc.errors()}
        errors = FormErrors("入力内容に誤りがあります。各項目のメッセージに従って直してください", fields, "REQUEST_INVALID")
        return _hold_page(screen, hold_no, errors=errors, status=422, form=form)
    except MuniError as exc:
        if exc.status >= 500 or isinstance(exc, NotFoundError) or exc.status == 401:
            raise
        return _hold_page(screen, hold_no, errors=FormErrors.of(exc), status=exc.status, form=form)
    done = "解除しました。窓口でこの画面から1回だけ交付できます" if decided.status == "released" else "拒否しました"
    return _hold_page(screen, hold_no, done=done)


@router.post("/t/{tenant}/support-holds/{hold_no}/certificate", summary="解除された請求の証明書の交付",
             dependencies=[requires(P_CERTIFICATE)])
def issue(screen: TenantForm, hold_no: HoldNo) -> Response:
    try:
        issued = issue_released_certificate(screen.uow(), screen.ctx, hold_no)
    except MuniError as exc:
        if exc.status >= 500 or isinstance(exc, NotFoundError) or exc.status == 401:
            raise
        return _hold_page(screen, hold_no, errors=FormErrors.of(exc), status=exc.status)
    return pdf_response(issued.pdf, issued.issue_no)


def _review_page(screen: Screen, *, done: str | None = None) -> Response:
    measures = review_support_measures(screen.uow(), screen.ctx)
    unrecorded = [m for m in measures if m.status == "expired" and m.ended_on is None]
    active = active_support_measures(screen.uow(), screen.ctx)
    return screen.render(T + "review.html", title="支援措置の一覧", measures=measures, unrecorded=unrecorded,
                         active=active, done=done)


@router.get("/t/{tenant}/support-measures", summary="支援措置の一覧（実施中・終了予定日が近いもの・期間満了）",
            dependencies=[requires(P_SUPPORT_MANAGE)])
def review(screen: TenantScreen) -> Response:
    return _review_page(screen)


@router.post("/t/{tenant}/support-measures/expiries", summary="期間満了の記録",
             dependencies=[requires(P_SUPPORT_MANAGE)])
def expiries(screen: TenantForm) -> Response:
    recorded = record_expiries(screen.uow(), screen.ctx)
    return _review_page(screen, done=f"{len(recorded)}件の支援措置を期間満了として記録しました")
