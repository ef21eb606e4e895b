"""支援措置の入力画面 (the supervisor's): one person's measures, and the start, 延長, 本決定
and 終了 of a measure — each entry → confirmation → register, like the 届出 screens.

* ``GET  /t/{tenant}/residents/{宛名番号}/support-measures`` — the person's measures (status,
  period, the 相談機関's opinion, how each ended) with the actions each allows;
* ``GET  /t/{tenant}/residents/{宛名番号}/support-measures/new`` — the start form (the usual
  period proposed as dates the clerk sees; 段階 and 区分 never preselected);
* ``GET  /t/{tenant}/residents/{宛名番号}/support-measures/{措置番号}/{change}`` — the form
  of ``extend`` (延長), ``confirm`` (本決定) or ``end`` (終了);
* ``POST`` to either form (CSRF) with ``action``: ``confirm`` (default, Enter) → the same
  use case as the API (``start_support_measure`` / ``change_support_measure``) as a dry run
  → every problem on the form, or the read-only confirmation; ``edit`` → the form again;
  ``register`` → the use case for real, then 303 to the person's measures page.

Every route needs ``registry:support_measure:manage``; the services check it again, validate
and audit (the person's page records ``registry:support_measure:view``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from municloud.errors import MuniError, NotFoundError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.registry.catalog import P_SUPPORT_MANAGE
from municloud.modules.registry.notification_pages import DATE_HINT
from municloud.modules.registry.protection import CATEGORIES
from municloud.modules.registry.schemas import SupportMeasureChange, SupportMeasureIn
from municloud.modules.registry.services.queries import get_resident
from municloud.modules.registry.services.support import (
    change_support_measure,
    list_support_measures,
    proposed_end,
    start_support_measure,
)
from municloud.web.errors import validation_fields
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
T = "registry/support/"
MeasureId = Annotated[int, Path(ge=1, le=SERIAL_MAX)]
CHANGES = {"extend": "支援措置の延長", "confirm": "支援措置の本決定", "end": "支援措置の終了"}
STAGES = [("仮", "仮支援措置（相談機関の意見を待って審査中）"), ("本", "支援措置（相談機関の意見で支援の必要性を確認した）")]
LABELS = {
    "stage": "段階", "category": "区分", "applied_on": "申出日", "start_on": "開始日", "end_on": "終了予定日",
    "consult_agency": "相談機関の名称", "opinion_on": "相談機関の意見の日付", "opinion": "相談機関の意見",
    "note": "備考", "reason": "終了の理由",
}
END_ON_LABELS = {"extend": "延長後の終了予定日", "end": "終了日（この日から支援措置の対象でなくなる）"}
DONE = {"start": "支援措置を開始しました", "extend": "支援措置を延長しました", "confirm": "本決定を登録しました",
        "end": "支援措置を終了しました"}
ENTRY_KEYS = {"Alt+K": "入力内容を確認する"}
CONFIRM_KEYS = {"Alt+T": "登録する", "Alt+B": "修正する（入力画面に戻る）"}
START_FIELDS = ("stage", "category", "applied_on", "start_on", "end_on", "consult_agency", "opinion_on", "opinion", "note")
CHANGE_FIELDS = ("end_on", "reason", "consult_agency", "opinion_on", "opinion", "note", "version")


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


Posted = Annotated[dict, Depends(_posted)]


# The person's measures -------------------------------------------------------------------


@router.get("/t/{tenant}/residents/{atena_no}/support-measures", summary="この方の支援措置",
            dependencies=[requires(P_SUPPORT_MANAGE)])
def measures(screen: TenantScreen, atena_no: str, done: Annotated[str, Query()] = "") -> Response:
    person = get_resident(screen.uow(), screen.ctx, atena_no)
    found = list_support_measures(screen.uow(), screen.ctx, atena_no)
    current = [m for m in found if m.status in ("scheduled", "active", "ending_soon")]
    return screen.render(
        T + "measures.html", title=f"支援措置：{person.shimei}", person=person, measures=list(reversed(found)),
        current={m.measure_id for m in current}, can_start=not current and person.status == "resident",
        done=DONE.get(done), shortcuts={"Alt+N": "支援措置を開始する"} if not current else None,
    )


# Start -------------------------------------------------------------------------------------


@router.get("/t/{tenant}/residents/{atena_no}/support-measures/new", summary="支援措置の開始の入力",
            dependencies=[requires(P_SUPPORT_MANAGE)])
def new_measure(screen: TenantScreen, atena_no: str) -> Response:
    today = today_jst()
    form = {"stage": "", "category": "", "applied_on": format_wareki(today), "start_on": format_wareki(today),
            "end_on": format_wareki(proposed_end(screen.uow(read_only=True), today)), "consult_agency": "",
            "opinion_on": "", "opinion": "", "note": ""}
    return _start_page(screen, atena_no, form)


@router.post("/t/{tenant}/residents/{atena_no}/support-measures/new", summary="支援措置の開始の確認・登録",
             dependencies=[requires(P_SUPPORT_MANAGE)])
def start(screen: TenantForm, atena_no: str, form: Posted) -> Response:
    form = {k: form.get(k, "") for k in (*START_FIELDS, "action")}
    action = form.pop("action") or "confirm"
    if action == "edit":
        return _start_page(screen, atena_no, form)
    data, invalid = _model(SupportMeasureIn, form, {"stage": "仮"})
    dry_run = action != "register" or bool(invalid)
    try:
        result = start_support_measure(screen.uow(dry_run=dry_run), screen.ctx, atena_no, data)
    except MuniError as exc:
        return _start_page(screen, atena_no, form, errors=_errors(exc, invalid), status=_status(exc, invalid))
    if invalid:
        return _start_page(screen, atena_no, form, errors=_errors(None, invalid), status=422)
    if dry_run:
        return _confirm_page(screen, atena_no, "支援措置の開始の確認", "new", form, result)
    return redirect(f"{screen.base}/residents/{atena_no}/support-measures?done=start")


def _start_page(screen: Screen, atena_no: str, form: dict, *, errors=None, status: int = 200) -> Response:
    person = get_resident(screen.uow(), screen.ctx, atena_no)
    return screen.render(
        T + "start.html", title=f"支援措置の開始：{person.shimei}", status=status, errors=errors, form=form,
        person=person, stages=STAGES, categories=[(c, c) for c in CATEGORIES], labels=LABELS, date_hint=DATE_HINT,
        shortcuts=ENTRY_KEYS,
    )


# 延長・本決定・終了 ----------------------------------------------------------------------------


@router.get("/t/{tenant}/residents/{atena_no}/support-measures/{measure_id}/{change}", summary="支援措置の延長・本決定・終了の入力",
            dependencies=[requires(P_SUPPORT_MANAGE)])
def change_form(screen: TenantScreen, atena_no: str, measure_id: MeasureId, change: str) -> Response:
    measure = _measure(screen, atena_no, measure_id, change)
    form = {"end_on": format_wareki(today_jst()) if change == "end" else "", "reason": "", "consult_agency": "",
            "opinion_on": "", "opinion": "", "note": "", "version": str(measure.version)}
    return _change_page(screen, atena_no, change, measure, form)


@router.post("/t/{tenant}/residents/{atena_no}/support-measures/{measure_id}/{change}",
             summary="支援措置の延長・本決定・終了の確認・登録", dependencies=[requires(P_SUPPORT_MANAGE)])
def change_measure(screen: TenantForm, atena_no: str, measure_id: MeasureId, change: str, form: Posted) -> Response:
    measure = _measure(screen, atena_no, measure_id, change)
    form = {k: form.get(k, "") for k in (*CHANGE_FIELDS, "action")}
    action = form.pop("action") or "confirm"
    if action == "edit":
        return _change_page(screen, atena_no, change, measure, form)
    given = {k: (v if v.strip() else None) for k, v in form.items() if k != "version"}
    version = form["version"] if form["version"].isdigit() else None
    data, invalid = _model(SupportMeasureChange, {**given, "action": change, "expected_version": version}, {})
    dry_run = action != "register" or bool(invalid)
    try:
        result = change_support_measure(screen.uow(dry_run=dry_run), screen.ctx, atena_no, measure_id, data)
    except MuniError as exc:
        return _change_page(screen, atena_no, change, measure, form, errors=_errors(exc, invalid),
                            status=_status(exc, invalid))
    if invalid:
        return _change_page(screen, atena_no, change, measure, form, errors=_errors(None, invalid), status=422)
    if dry_run:
        return _confirm_page(screen, atena_no, CHANGES[change] + "の確認", f"{measure_id}/{change}", form, result,
                             change=change, before=measure)
    return redirect(f"{screen.base}/residents/{atena_no}/support-measures?done={change}")


def _measure(screen: Screen, atena_no: str, measure_id: int, change: str):
    if change not in CHANGES:
        raise NotFoundError("NOT_FOUND", "指定されたページはありません")
    found = [m for m in list_support_measures(screen.uow(), screen.ctx, atena_no) if m.measure_id == measure_id]
    if not found:
        raise NotFoundError("REGISTRY_SUPPORT_NOT_FOUND", f"支援措置 {measure_id} は見つかりません")
    return found[0]


def _change_page(screen: Screen, atena_no: str, change: str, measure, form: dict, *, errors=None,
                 status: int = 200) -> Response:
    person = get_resident(screen.uow(), screen.ctx, atena_no)
    return screen.render(
        T + "change.html", title=f"{CHANGES[change]}：{person.shimei}", status=status, errors=errors, form=form,
        person=person, measure=measure, change=change, labels={**LABELS, "end_on": END_ON_LABELS.get(change, "")},
        date_hint=DATE_HINT, shortcuts=ENTRY_KEYS,
        asks_opinion=change == "confirm", needs_opinion=change == "confirm" and measure.opinion is None,
    )


# Shared: the model from the form, the errors, the confirmation --------------------------------


def _model(cls: type[BaseModel], values: dict, fallback: dict) -> tuple[BaseModel, dict[str, str]]:
    """*cls* built from the form; an item pydantic refuses (too long, a character outside the
    policy, a 段階 not chosen) is reported and replaced by *fallback* (or emptied) so that the
    use case still runs as a dry run and the clerk sees its problems too, at once."""
    try:
        return cls(**values), {}
    except PydanticError as exc:
        invalid = {k: v for k, v in validation_fields(list(exc.errors())).items()}
        if "stage" in invalid:
            invalid["stage"] = "仮か本かを選んでください"
        cleaned = {k: (fallback.get(k, "" if cls.model_fields[k].is_required() else None) if k in invalid else v)
                   for k, v in values.items()}
        return cls(**cleaned), invalid


def _errors(exc: MuniError | None, invalid: dict[str, str]) -> FormErrors:
    if exc is not None and (exc.status >= 500 or isinstance(exc, NotFoundError) or exc.status in (401, 403)):
        raise exc
    fields = {**(exc.fields if exc else {}), **invalid}
    if exc is not None and not invalid:
        return FormErrors.of(exc)
    count = len(invalid) + (len(exc.problems) or 1 if exc else 0)
    return FormErrors(f"入力内容に{count}件の誤りがあります。各項目のメッセージに従って直してください", fields,
                      "MULTIPLE_PROBLEMS" if count > 1 else "REQUEST_INVALID")


def _status(exc: MuniError, invalid: dict) -> int:
    return 422 if invalid else exc.status


def _confirm_page(screen: Screen, atena_no: str, title: str, path: str, form: dict, result, *,
                  change: str | None = None, before=None) -> Response:
    person = get_resident(screen.uow(), screen.ctx, atena_no)
    return screen.render(
        T + "confirm.html", title=f"{title}：{person.shimei}", person=person, path=path, result=result,
        hidden=list(form.items()), change=change, before=before, shortcuts=CONFIRM_KEYS,
        given={k: v for k, v in form.items() if v and k in ("consult_agency", "opinion_on", "opinion")},
    )
