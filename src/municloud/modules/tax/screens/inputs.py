"""課税資料の画面: one person's 課税資料 of a 年度 with its 修正履歴, and its entry/correction.

* ``GET  /t/{tenant}/tax/{year}/inputs/{宛名番号}`` — the 課税資料 (``get_input``) and the
  修正履歴 (``input_history``: who changed what, when, why);
* ``GET  /t/{tenant}/tax/{year}/inputs/{宛名番号}/edit`` — the entry form (filled with the
  current 課税資料 when there is one);
* ``POST /t/{tenant}/tax/{year}/inputs/{宛名番号}`` (CSRF) with ``action``: ``confirm``
  (default) → the form read with the CSV import's checks, then ``set_input`` as a dry run →
  every problem at once on the form, or the confirmation page (what changes) carrying the
  input in hidden fields (with the 修正履歴 number it was checked on, ``expected_revision``);
  ``edit`` → back to the form; ``register`` → ``set_input`` for real, then 303 to the
  課税資料 page (``?done=…``): a reload does not post again, and a second post of the same
  confirmation is refused (409 ``TAX_INPUT_CHANGED``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from municloud.errors import MuniError, NotFoundError, Problems, ValidationError
from municloud.modules.tax.catalog import P_INPUT_MANAGE, P_INPUT_VIEW
from municloud.modules.tax.domain import LABELS
from municloud.modules.tax.inputs import AMOUNT_COLUMNS, FLAG_COLUMNS, PersonInput
from municloud.modules.tax.screens.common import AtenaNo, T, Year, is_refusal
from municloud.modules.tax.screens.forms import (
    RELATIONS,
    RELATIVE_LABELS,
    RELATIVE_ROWS,
    person_form,
    read_person,
    relative_count,
)
from municloud.modules.tax.services.history import (
    changes_between,
    input_history,
    input_revision,
    snapshot,
)
from municloud.modules.tax.services.inputs import get_input, set_input
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
EXPECTED = "expected_revision"  # the confirmation's hidden field: the 修正履歴 number it was made on
LABELS_OF_FORM = (dict(AMOUNT_COLUMNS) | dict(FLAG_COLUMNS) | {
    "employer_no": "特別徴収義務者指定番号", "employer_name": "特別徴収義務者", "reason": "修正の理由",
    "relatives": "配偶者・扶養親族", "atena_no": "宛名番号"})
SERVICE_FIELDS = {"relation": "relatives", "relative_atena_no": "relatives", "name": "relatives",
                  "income": "relatives", "atena_no": "relatives"}


async def posted(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items() if k not in ("csrf_token", "action")}


Posted = Annotated[dict, Depends(posted)]


def _current(screen: Screen, year: int, atena_no: str) -> PersonInput | None:
    try:
        return get_input(screen.uow(), screen.ctx, year, atena_no)
    except NotFoundError as exc:
        if exc.code != "TAX_INPUT_NOT_FOUND":
            raise
        return None


def _labels(form: dict) -> dict[str, str]:
    labels = dict(LABELS_OF_FORM)
    for i in range(relative_count(form) + RELATIVE_ROWS):
        labels |= {f"relatives.{i}.{k}": f"親族{i + 1}の{v.removeprefix('親族の')}" for k, v in RELATIVE_LABELS.items()}
    return labels


@router.get("/t/{tenant}/tax/{year}/inputs/{atena_no}", summary="課税資料の照会と修正履歴",
            dependencies=[requires(P_INPUT_VIEW)])
def view(screen: TenantScreen, year: Year, atena_no: AtenaNo,
         done: Annotated[str, Query(max_length=10)] = "") -> Response:
    return _view_page(screen, year, atena_no, done=DONE.get(done))


DONE = {"set": "課税資料を登録しました", "replaced": "課税資料を修正しました"}  # after the 303 of a register


def _view_page(screen: Screen, year: int, atena_no: str, done: str | None = None) -> Response:
    current = _current(screen, year, atena_no)
    history = input_history(screen.uow(), screen.ctx, year, atena_no)
    return screen.render(T + "inputs/view.html", title=f"課税資料（{year}年度・宛名番号 {atena_no}）", year=year,
                         atena_no=atena_no, current=current, history=history, amounts=AMOUNT_COLUMNS,
                         flags=FLAG_COLUMNS, relation_labels=LABELS, done=done,
                         can_edit=screen.ctx.has(P_INPUT_MANAGE),
                         shortcuts={"Alt+E": "課税資料を入力・修正する"} if screen.ctx.has(P_INPUT_MANAGE) else None)


@router.get("/t/{tenant}/tax/{year}/inputs/{atena_no}/edit", summary="課税資料の入力・修正",
            dependencies=[requires(P_INPUT_MANAGE)])
def edit(screen: TenantScreen, year: Year, atena_no: AtenaNo) -> Response:
    current = _current(screen, year, atena_no)
    return _entry_page(screen, year, atena_no, person_form(current) if current else {}, current)


def _entry_page(screen: Screen, year: int, atena_no: str, form: dict, current: PersonInput | None, *,
                errors=None, status: int = 200) -> Response:
    return screen.render(T + "inputs/entry.html", title=f"課税資料の{'修正' if current else '入力'}（{year}年度・宛名番号 {atena_no}）",
                         status=status, errors=errors, form=form, year=year, atena_no=atena_no, current=current,
                         amounts=AMOUNT_COLUMNS, flags=FLAG_COLUMNS, relations=RELATIONS, labels=_labels(form),
                         rows=range(relative_count(form) + RELATIVE_ROWS), shortcuts={"Alt+K": "入力内容を確認する"})


@router.post("/t/{tenant}/tax/{year}/inputs/{atena_no}", summary="課税資料の確認・登録",
             dependencies=[requires(P_INPUT_MANAGE)])
def submit(screen: TenantForm, year: Year, atena_no: AtenaNo, form: Posted,
           action: Annotated[str, Form()] = "confirm") -> Response:
    # the revision is read before the 課税資料 the confirmation compares against: a change
    # registered in between makes the later 登録 a 409, never a silent overwrite
    revision_seen = input_revision(screen.uow(), screen.ctx, year, atena_no) if action != "register" else None
    current = _current(screen, year, atena_no)
    if action == "edit":
        return _entry_page(screen, year, atena_no, form, current)
    expected = form.pop(EXPECTED, "")
    problems = Problems()
    person = read_person(atena_no, form, problems)
    reason = form.get("reason", "")
    dry_run = action != "register" or len(problems) > 0
    try:
        try:
            replaced = set_input(screen.uow(dry_run=dry_run), screen.ctx, year, person, reason,
                                 expected_revision=None if dry_run else int(expected) if expected.isdigit() else -1)
        except ValidationError as exc:
            problems.add(exc.with_fields(lambda name: SERVICE_FIELDS.get(name, name)))
        problems.raise_if_any()
    except MuniError as exc:
        if is_refusal(exc):
            raise
        return _entry_page(screen, year, atena_no, form, current, errors=FormErrors.of(exc), status=exc.status)
    if dry_run:
        changes = changes_between(snapshot(current) if current else None, snapshot(person))
        carried = form | {EXPECTED: str(revision_seen)}
        return screen.render(T + "inputs/confirm.html", title=f"課税資料の確認（{year}年度・宛名番号 {atena_no}）",
                             year=year, atena_no=atena_no, form=carried, changes=changes, reason=reason.strip(),
                             shortcuts={"Alt+T": "登録する", "Alt+B": "修正する（入力画面に戻る）"})
    return redirect(f"{screen.base}/tax/{year}/inputs/{atena_no}?done={'replaced' if replaced else 'set'}")
