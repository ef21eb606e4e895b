"""住民記録の画面: search, the resident page (record, household, history, 支援措置 banner,
個人番号 on request) and the household page.

Attached by ``web/screens`` (it looks for ``router`` and ``MENU`` here); templates are in
``templates/registry/``.  Every handler calls the registry services, which check the
permissions, mask the 個人番号 and write the audit log; nothing here queries the database.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from municloud.errors import NotFoundError, ValidationError
from municloud.modules.registry.catalog import (
    P_CERTIFICATE,
    P_JOURNAL,
    P_LATE,
    P_MY_NUMBER,
    P_REGISTER,
    P_SEARCH,
    P_SUPPORT_MANAGE,
    P_SUPPORT_VIEW,
    P_TOWN_VIEW,
    P_VIEW,
)
from municloud.modules.registry.domain import ITEM_NAMES, REMOVED
from municloud.modules.registry.services.queries import (
    MAX_OFFSET,
    SearchPage,
    SearchQuery,
    get_history,
    get_household,
    get_resident,
    search_residents,
)
from municloud.modules.registry.services.support import list_support_measures
from municloud.modules.registry.views import MATCH_REASONS
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.panels import resident_panels
from municloud.web.screens.rendering import FormErrors, MenuItem, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)

MENU = [
    MenuItem("住民検索", "/residents", P_SEARCH, "氏名・フリガナ・生年月日（和暦・西暦）・住所・住民票コードで探します", "s"),
    MenuItem("異動届の入力", "/notifications/new", P_REGISTER, "転入・転居・転出・出生・死亡・世帯変更・氏名変更・職権修正・取消し", "n"),
    MenuItem("証明書の交付", "/certificates/new", P_CERTIFICATE, "住民票の写し・除票の写し・記載事項証明書", "c"),
    MenuItem("本日の交付", "/certificates/issued", P_CERTIFICATE, "交付した証明書の一覧（日別）・領収書の発行・本日の手数料の合計"),
    MenuItem("交付日計表", "/certificates/journal", P_JOURNAL, "証明書の種類・通数・手数料・免除の理由ごとの集計（手数料の照合・印刷）"),
    MenuItem("届出期間経過の一覧", "/late-notifications", P_LATE, "届出期間（14日）を過ぎた届出を期間で絞り込んで表示・印刷します"),
    MenuItem("保留した請求", "/support-holds", P_CERTIFICATE, "支援措置の対象の方を含むため保留した請求（審査・解除後の交付）"),
    MenuItem("支援措置の一覧", "/support-measures", P_SUPPORT_MANAGE,
             "実施中の支援措置と、終了予定日が近いもの・期間満了で終了したもの（責任者の毎日の確認）"),
    MenuItem("住所マスター（町字）", "/towns", P_TOWN_VIEW, "町字・郵便番号・校区など（効力発生日・廃止日つき）"),
]
SEARCH_FIELDS = ("q", "name", "kana", "birth_date", "address", "juminhyo_code")
SEARCH_LABELS = {
    "q": "検索語", "name": "氏名", "kana": "フリガナ", "birth_date": "生年月日", "address": "住所",
    "juminhyo_code": "住民票コード",
}
STATUS = {"resident": "住民", REMOVED: "除票"}
LIMIT = 50


def _search_errors(exc: ValidationError, form: dict[str, str]) -> FormErrors:
    """Put an error raised without a field next to the box it came from."""
    if exc.fields:
        return FormErrors.of(exc)
    owner = {"JP_DATE_INVALID": "birth_date", "JP_JUMINHYO_CODE_INVALID": "juminhyo_code"}.get(exc.code, "q")
    if not form.get(owner):
        owner = "q"
    return FormErrors(exc.message, {owner: exc.message}, exc.code)


@router.get("/t/{tenant}/residents", summary="住民の検索", dependencies=[requires(P_SEARCH)])
def search(
    screen: TenantScreen,
    q: Annotated[str, Query()] = "",
    name: Annotated[str, Query()] = "",
    kana: Annotated[str, Query()] = "",
    birth_date: Annotated[str, Query()] = "",
    address: Annotated[str, Query()] = "",
    juminhyo_code: Annotated[str, Query()] = "",
    include_removed: Annotated[str, Query()] = "",
    page: Annotated[str, Query()] = "",
) -> Response:
    form = dict(zip(SEARCH_FIELDS, (q, name, kana, birth_date, address, juminhyo_code), strict=True))
    removed = include_removed in ("1", "on", "true")
    searched = any(v.strip() for v in form.values())
    number = int(page) if page.isdigit() and 0 < int(page) <= MAX_OFFSET // LIMIT else 1
    found, errors = None, None
    if searched:
        query = SearchQuery(**{k: (v.strip() or None) for k, v in form.items()}, include_removed=removed,
                            limit=LIMIT, offset=(number - 1) * LIMIT)
        try:
            found = search_residents(screen.uow(), screen.ctx, query)
        except ValidationError as exc:
            errors = _search_errors(exc, form)
    if found is not None and found.total and not found.rows:  # a page past the end: the last one
        pages = _pages(form, removed, found, number)
        return redirect(f"{screen.base}/residents{pages['urls'][pages['last']]}")
    return screen.render(
        "registry/search.html", title="住民検索", status=422 if errors else 200, errors=errors, form=form,
        include_removed=removed, searched=searched and errors is None, found=found,
        pages=_pages(form, removed, found, number), shortcuts=_page_keys(found, number),
        labels=SEARCH_LABELS, status_names=STATUS, reasons=MATCH_REASONS,
        details_open=any(form[k] for k in SEARCH_FIELDS[1:]) or bool(errors and set(errors.fields) - {"q"}),
    )


def _pages(form: dict[str, str], removed: bool, found: SearchPage | None, number: int) -> dict | None:
    """Page navigation (ページ送り): the URL of each page near the current one, first and last
    always, with the same conditions."""
    if found is None or not found.total or (found.total <= LIMIT and number == 1):
        return None
    last = min(-(-found.total // LIMIT), MAX_OFFSET // LIMIT)
    params = {k: v for k, v in form.items() if v} | ({"include_removed": "1"} if removed else {})
    url = lambda n: "?" + urlencode(params | {"page": str(n)})  # noqa: E731
    shown = sorted({1, last, *range(max(1, number - 2), min(last, number + 2) + 1)})
    return {"current": number, "last": last, "capped": last * LIMIT < found.total, "urls": {n: url(n) for n in shown},
            "previous": url(number - 1) if number > 1 else None, "next": url(number + 1) if number < last else None}


def _page_keys(found: SearchPage | None, number: int) -> dict[str, str]:
    if found is None or found.total <= LIMIT:
        return {}
    return {"Alt+J": "次のページ", "Alt+K": "前のページ"}


def _resident_page(screen: Screen, atena_no: str, *, show_my_number: bool = False) -> Response:
    ctx = screen.ctx
    person = get_resident(screen.uow(), ctx, atena_no, show_my_number=show_my_number)
    history = get_history(screen.uow(), ctx, atena_no)
    try:
        household = get_household(screen.uow(), ctx, person.setai_no)
    except NotFoundError:
        household = None
    measures = list_support_measures(screen.uow(), ctx, atena_no) if ctx.has(P_SUPPORT_VIEW) else []
    shortcuts = {}
    if ctx.has(P_REGISTER):
        shortcuts["Alt+N"] = "この方の異動届の入力"
    if ctx.has(P_CERTIFICATE):
        shortcuts["Alt+C"] = "この方の証明書の交付"
    return screen.render(
        "registry/resident.html", title=f"住民票：{person.shimei}", shortcuts=shortcuts, person=person,
        history=list(reversed(history)), household=household, measures=[m for m in measures if m.active],
        alerts=_alerts(measures),
        can_show_my_number=ctx.has(P_MY_NUMBER), can_register=ctx.has(P_REGISTER),
        can_issue=ctx.has(P_CERTIFICATE), items=ITEM_NAMES, status_names=STATUS,
        panels=resident_panels(screen, atena_no),
    )


def _alerts(measures: list) -> list[str]:
    """Every measure ending soon, and the latest one if it ran out (期間満了): a measure never
    ends silently (older expiries stay in the API and the supervisor's review list)."""
    alerts = [m.alert for m in measures if m.status == "ending_soon"]
    if measures and measures[-1].status == "expired":
        alerts.append(measures[-1].alert)
    return alerts


@router.get("/t/{tenant}/residents/{atena_no}", summary="住民票の記載事項・履歴・世帯", dependencies=[requires(P_VIEW, also=[P_MY_NUMBER, P_SUPPORT_VIEW])])
def resident(screen: TenantScreen, atena_no: str) -> Response:
    return _resident_page(screen, atena_no)


@router.post("/t/{tenant}/residents/{atena_no}/my-number", summary="個人番号の表示（1回）", dependencies=[requires(P_MY_NUMBER)])
def show_my_number(screen: TenantForm, atena_no: str) -> Response:
    """個人番号を一度だけ表示する (permission checked and the look audited by the service)."""
    return _resident_page(screen, atena_no, show_my_number=True)


@router.get("/t/{tenant}/households/{setai_no}", summary="世帯の表示", dependencies=[requires(P_VIEW)])
def household(screen: TenantScreen, setai_no: str) -> Response:
    view = get_household(screen.uow(), screen.ctx, setai_no)
    return screen.render("registry/household.html", title=f"世帯：{setai_no}", household=view, status_names=STATUS)


from municloud.modules.registry import (  # noqa: E402 (異動届・証明書・届出期間経過・支援措置の画面)
    certificate_screens,
    issuance_screens,
    late_notice_screens,
    notification_screens,
    support_measure_screens,
    support_screens,
    town_screens,
)

router.include_router(notification_screens.router)
router.include_router(certificate_screens.router)
router.include_router(issuance_screens.router)
router.include_router(late_notice_screens.router)
router.include_router(support_screens.router)
router.include_router(support_measure_screens.router)
router.include_router(town_screens.router)
