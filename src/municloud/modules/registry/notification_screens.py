"""異動届の入力画面: one entry screen per kind, a confirmation step, then the result.

* ``GET  /t/{tenant}/notifications/new`` — the nine kinds (``?atena_no=`` / ``?setai_no=``
  carried into each link, the person or household shown);
* ``GET  /t/{tenant}/notifications/new/{kind}`` — the entry form (household members with
  checkboxes, 続柄 inputs and radio buttons for the new head; the 履歴番号 shown kept in
  hidden ``expected_rireki.*`` fields);
* ``POST /t/{tenant}/notifications/new/{kind}`` (CSRF) with ``action``:
  ``add_person`` / ``remove_person`` (転入: one block more or less, no JavaScript),
  ``confirm`` (default, Enter) → the form's own checks, then ``register_notification`` —
  the very use case 登録する runs — as a dry run (rolled back: nothing written, no number
  consumed) → every problem of both at once on the form, or the read-only confirmation
  page carrying the input in hidden fields; ``edit`` → back to the form;
  ``register`` → ``register_notification`` for real — the only write — then 303 to the
  result; the service's errors (409 included) go back on the form with the input kept;
* ``GET  /t/{tenant}/notifications/registered?r=…`` — the result (異動番号, 異動事由, links).
  The result travels signed in the URL (post/redirect/get: reloading the page cannot
  register twice, and no query is needed to show it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from municloud.errors import MuniError, NotFoundError
from municloud.jp.wareki import parse_date
from municloud.kernel.clock import today_jst
from municloud.modules.registry.catalog import P_REGISTER, P_VIEW
from municloud.modules.registry.domain import CORRECTABLE, ITEM_NAMES
from municloud.modules.registry.notification_checks import check, merged
from municloud.modules.registry.notification_forms import (
    PERSON_FIELDS,
    mapping,
    new_address_of,
    person_count,
    read_form,
    refusal,
    service_errors,
)
from municloud.modules.registry.notification_forms import Form as FormValues
from municloud.modules.registry.notification_pages import (
    DATE_HINT,
    KINDS,
    SETAI_TYPES,
    STAGES,
    Kind,
    labels_for,
    summary,
)
from municloud.modules.registry.notification_subjects import (
    Subject,
    address_attributes,
    initial_form,
    load,
)
from municloud.modules.registry.schemas import NewAddress, NotificationResult
from municloud.modules.registry.services.notifications import register_notification
from municloud.modules.registry.services.queries import get_residents
from municloud.modules.registry.services.towns import attributes_not_given, master_prefix
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
T = "registry/notifications/"
ENTRY_KEYS = {"Alt+K": "入力内容を確認する"}
CONFIRM_KEYS = {"Alt+T": "登録する", "Alt+B": "修正する（入力画面に戻る）"}


async def posted(request: Request) -> FormValues:
    return read_form(await request.form())


Posted = Annotated[FormValues, Depends(posted)]


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise NotFoundError("REGISTRY_NOTIFICATION_KIND_UNKNOWN", "指定された届出の種類はありません")
    return KINDS[key]


@router.get("/t/{tenant}/notifications/new", summary="異動届の種類の選択", dependencies=[requires(P_REGISTER)])
def menu(screen: TenantScreen, atena_no: Annotated[str, Query()] = "",
         setai_no: Annotated[str, Query()] = "") -> Response:
    atena_no, setai_no = atena_no.strip(), setai_no.strip()
    subject = load(screen, KINDS["tenkyo"], atena_no or None, setai_no or None) or Subject()
    query = f"?atena_no={atena_no}" if atena_no else (f"?setai_no={setai_no}" if setai_no else "")
    return screen.render(T + "menu.html", title="異動届の入力", kinds=list(KINDS.values()), query=query,
                         subject=subject)


@router.get("/t/{tenant}/notifications/new/{kind}", summary="異動届の入力", dependencies=[requires(P_REGISTER)])
def entry(screen: TenantScreen, kind: str, atena_no: Annotated[str, Query()] = "",
          setai_no: Annotated[str, Query()] = "") -> Response:
    k = _kind(kind)
    atena_no, setai_no = atena_no.strip(), setai_no.strip()
    subject = load(screen, k, atena_no or None, setai_no or None)
    if subject is None:
        return screen.render(T + "choose.html", title=f"{k.label}の入力", kind=k)
    return _entry_page(screen, k, initial_form(k, subject, atena_no, setai_no), subject)


@router.post("/t/{tenant}/notifications/new/{kind}", summary="異動届の確認・登録", dependencies=[requires(P_REGISTER)])
def submit(screen: TenantForm, kind: str, form: Posted, action: Annotated[str, Form()] = "confirm") -> Response:
    k = _kind(kind)
    subject = load(screen, k, form.get("for_atena_no") or None, form.get("for_setai_no") or None)
    if subject is None:
        return screen.render(T + "choose.html", title=f"{k.label}の入力", kind=k)
    if action in ("add_person", "remove_person") and k.key == "tennyu":
        form = _resize(form, 1 if action == "add_person" else -1)
        # 人を追加: the focus goes to the new person's 氏名 (人目の欄を削除: back to the last one's)
        return _entry_page(screen, k, form, subject, focus=f"persons.{person_count(form) - 1}.shimei")
    if action == "edit":
        return _entry_page(screen, k, form, subject)
    notification, errors = check(k.key, form)
    if notification is None:
        return _entry_page(screen, k, form, subject, errors=errors, status=422)
    # 入力内容を確認する — and 登録する while the form itself has problems — run the same use
    # case as a dry run, so the clerk sees the service's problems with the form's, at once.
    dry_run = action != "register" or errors is not None
    try:
        result = register_notification(screen.uow(dry_run=dry_run), screen.ctx, notification)
    except MuniError as exc:
        if refusal(exc):
            raise
        status = 422 if errors is not None else exc.status
        errors = merged(errors, service_errors(k.key, exc, form))
        return _entry_page(screen, k, form, subject, errors=errors, status=status)
    if errors is not None:
        return _entry_page(screen, k, form, subject, errors=errors, status=422)
    if dry_run:
        return _confirm_page(screen, k, form, subject, notification, result)
    return redirect(f"{screen.base}/notifications/registered?r={_sign(screen, result)}")


@router.get("/t/{tenant}/notifications/registered", summary="異動届の登録結果", dependencies=[requires(P_REGISTER, also=[P_VIEW])])
def registered(screen: TenantScreen, r: Annotated[str, Query()] = "") -> Response:
    result = _unsign(screen, r)
    # names, not only numbers: read (and audited) now, never carried in the URL
    people = get_residents(screen.uow(), screen.ctx, result.atena_nos) if screen.ctx.has(P_VIEW) else []
    return screen.render(T + "result.html", title="異動届を登録しました", result=result,
                         people={p.atena_no: p for p in people},
                         kind=KINDS.get(result.kind), shortcuts={"Alt+N": "続けて異動届を入力"})


def _resize(form: FormValues, step: int) -> FormValues:
    count = person_count(form)
    new = max(1, min(count + step, 20))
    if new < count:
        form = {k: v for k, v in form.items() if not k.startswith(f"persons.{count - 1}.")}
    elif new > count:
        form = {**form, f"persons.{count}.resident_kind": "日本人"}
    form["person_count"] = str(new)
    return form


def _entry_page(screen: Screen, k: Kind, form: FormValues, subject: Subject, *, errors=None,
                status: int = 200, focus: str | None = None) -> Response:
    if k.key == "tennyu":
        form.setdefault("person_count", "1")
    prefix = master_prefix(screen.uow(read_only=True)) if k.key in ("tennyu", "tenkyo") else None
    return screen.render(
        T + "entry.html", title=f"{k.label}の入力", status=status, errors=errors, form=form, kind=k,
        subject=subject, labels=labels_for(form, subject.names),
        shortcuts={**ENTRY_KEYS, "Alt+P": "人を追加"} if k.key == "tennyu" else ENTRY_KEYS, date_hint=DATE_HINT,
        attributes=address_attributes(screen) if k.key in ("tennyu", "tenkyo", "shokken_shusei") else [],
        town_prefix=prefix, town_attributes=_town_attributes(screen, form) if prefix else [],
        persons=range(person_count(form)), person_fields=PERSON_FIELDS, items=ITEM_NAMES,
        correctable=[c for c in CORRECTABLE if c != "address_attributes"], stages=STAGES, setai_types=SETAI_TYPES,
        reopen=_reopen_url(screen, k, form), focus=focus,
    )


def _town_attributes(screen: Screen, form: FormValues) -> list[str]:
    """住所マスター: the 付加情報 the chosen 町字 leaves blank, one input each on the form."""
    address = new_address_of(form)
    if not address:
        return []
    try:
        on = parse_date(form.get("ido_date") or "")
    except MuniError:
        on = today_jst()
    try:
        return attributes_not_given(screen.uow(read_only=True), address, on)
    except MuniError:  # e.g. a 異動日 before the rules are in force: the dry run says so on the form
        return []


def _confirm_page(screen: Screen, k: Kind, form: FormValues, subject: Subject, notification,
                  result: NotificationResult) -> Response:
    # One key per confirmation: pressing 登録する again (browser back, double click) finds the
    # notification already registered instead of registering it twice.
    form = {**form, "request_key": form.get("request_key") or secrets.token_urlsafe(24)}
    shown = {item[4:]: v for item, v in form.items() if item.startswith("was.") and isinstance(v, str)}
    was_attributes = mapping(form, "was.address_attributes")
    if was_attributes:
        shown["address_attributes"] = "、".join(f"{a}：{v}" for a, v in was_attributes.items())
    hidden = [(name, v) for name, value in form.items()
              for v in (value if isinstance(value, list) else [value])]
    if result.address is not None:
        notification = _with_recorded_address(notification, result.address)
    return screen.render(
        T + "confirm.html", title=f"{k.label}の確認", kind=k, form=form, hidden=hidden,
        sections=summary(k.key, notification, subject.names, shown), shortcuts=CONFIRM_KEYS,
    )


def _with_recorded_address(notification, address: NewAddress):
    """The notification as the confirmation shows it: its new address as the dry run has
    derived it — 郵便番号 and 付加情報 from the 住所マスター, the household joined or the
    町字 table — so the page shows exactly what 登録する records."""
    shown = notification.address.model_copy(update={
        "katagaki": address.katagaki, "postal_code": address.postal_code, "attributes": address.address_attributes})
    return notification.model_copy(update={"address": shown})


def _reopen_url(screen: Screen, k: Kind, form: FormValues) -> str:
    """The same form opened again with the records as they are now (after a 409)."""
    query = (f"?atena_no={form['for_atena_no']}" if form.get("for_atena_no")
             else f"?setai_no={form['for_setai_no']}" if form.get("for_setai_no") else "")
    return f"{screen.base}/notifications/new/{k.key}{query}"


# The result, signed into its URL ---------------------------------------------------------


def _key(screen: Screen) -> bytes:
    secret = screen.platform.settings.secret_key
    return hashlib.sha256(f"notification-result|{secret}|{screen.session.user_id}".encode()).digest()


def _sign(screen: Screen, result: NotificationResult) -> str:
    # the new address stays out of the URL (personal data would reach access logs)
    payload = base64.urlsafe_b64encode(result.model_dump_json(exclude={"address"}).encode()).decode().rstrip("=")
    mac = hmac.new(_key(screen), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{payload}.{mac}"


def _unsign(screen: Screen, token: str) -> NotificationResult:
    payload, _, mac = token.partition(".")
    expected = hmac.new(_key(screen), payload.encode(), hashlib.sha256).hexdigest()[:32]
    if not payload or not hmac.compare_digest(mac, expected):
        raise NotFoundError("NOT_FOUND", "指定されたページはありません")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return NotificationResult(**data)
