"""The checks of a 異動届 form that need no database, run at the confirmation step.

:func:`check` builds the notification (pydantic errors → Japanese per field, as
``web/errors.py`` maps them) and checks dates (和暦・西暦) via ``jp.wareki``, フリガナ via
``jp.kana``, check digits via ``jp.codes`` and required items — every problem at once, each
on its field.  Whenever the notification could be built, the screen then runs the
registration use case itself as a dry run (rolled back) and shows its problems beside
these; 登録する runs it for real.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from municloud.errors import MuniError
from municloud.jp.codes import validate_postal_code
from municloud.jp.kana import to_furigana
from municloud.jp.wareki import parse_date
from municloud.modules.registry import fields as f
from municloud.modules.registry.domain import ITEM_NAMES, RESIDENT_KINDS, SEX_INPUT
from municloud.modules.registry.notification_forms import (
    CODE_CHECKS,
    DATE_FIELDS,
    KANA_FIELDS,
    MODELS,
    Form,
    body,
    chosen,
    person_count,
    text,
)
from municloud.web.errors import validation_fields
from municloud.web.screens.rendering import FormErrors

INVALID = "入力内容に誤りがあります。各項目のメッセージに従って直してください"


class _Problems(dict):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, message)

    def date(self, form: Form, name: str, label: str, *, required: bool = False) -> date | None:
        value = text(form, name)
        if value is None:
            if required:
                self.add(name, f"{label}を入力してください")
            return None
        try:
            return parse_date(value)
        except MuniError as exc:
            self.add(name, exc.message)
            return None

    def required(self, form: Form, name: str, label: str) -> None:
        if text(form, name) is None:
            self.add(name, f"{label}を入力してください")

    def kana(self, form: Form, name: str, label: str, *, required: bool = False) -> None:
        value = text(form, name)
        if value is None:
            if required:
                self.add(name, f"{label}を入力してください")
            return
        try:
            to_furigana(value)
        except MuniError as exc:
            self.add(name, exc.message)

    def code(self, form: Form, name: str, check: Callable[[str], str]) -> None:
        value = text(form, name)
        if value is not None:
            try:
                check(value)
            except MuniError as exc:
                self.add(name, exc.message)


def _check_person(p: _Problems, form: Form, prefix: str, *, birth_required: bool, zokugara_required: bool) -> None:
    p.required(form, f"{prefix}.shimei", "氏名")
    p.kana(form, f"{prefix}.shimei_kana", "フリガナ", required=True)
    p.date(form, f"{prefix}.birth_date", "生年月日", required=birth_required)
    if SEX_INPUT.get(text(form, f"{prefix}.sex") or "") is None:
        p.add(f"{prefix}.sex", "性別を選んでください")
    if text(form, f"{prefix}.resident_kind") not in RESIDENT_KINDS:  # never assumed (schemas.PersonIn)
        p.add(f"{prefix}.resident_kind", "住民種別（日本人・外国人）を選んでください")
    if zokugara_required:
        p.required(form, f"{prefix}.zokugara", "続柄")
    for name in ("kyu_uji_kana", "tsusho_kana"):
        p.kana(form, f"{prefix}.{name}", ITEM_NAMES[name])
    for name in ("zairyu_kikan_end", "became_resident_on"):
        p.date(form, f"{prefix}.{name}", ITEM_NAMES[name])
    for name in ("juminhyo_code", "my_number"):
        p.code(form, f"{prefix}.{name}", CODE_CHECKS[name])


def _cheap_checks(kind: str, form: Form, data: dict) -> _Problems:
    p = _Problems()
    p.date(form, "ido_date", "異動日", required=kind != "torikeshi")
    p.date(form, "todoke_date", "届出日")
    if kind == "tennyu":
        p.required(form, "previous_address", "転入前住所")
    if kind in ("tennyu", "tenkyo") and "address.town" in form:  # picked from the 住所マスター
        p.required(form, "address.town", "町字")
        p.required(form, "address.banchi", "番地・号")
        for name, item in (("address.town", f.TOWN_NAME), ("address.banchi", f.BANCHI)):
            p.code(form, name, item.check)
    elif kind in ("tennyu", "tenkyo"):
        p.required(form, "address.address", "住所")
        p.code(form, "address.postal_code", validate_postal_code)
    if kind == "tennyu":
        count = person_count(form)
        for i in range(count):
            _check_person(p, form, f"persons.{i}", birth_required=True,
                          zokugara_required=count > 1 or bool(text(form, "join_setai_no")))
    elif kind in ("tenkyo", "tenshutsu") and not chosen(form):
        p.add("atena_nos", "対象の方を1人以上選んでください")
    if kind == "tenshutsu":
        p.required(form, "destination", "転出先住所")
        p.date(form, "notified_on", "転入通知年月日", required=data.get("stage") == "kakutei")
    elif kind == "shussei":
        _check_person(p, form, "person", birth_required=False, zokugara_required=True)
    elif kind == "shibou" and not text(form, "atena_no"):
        p.add("atena_no", "亡くなった方を選んでください")
    elif kind == "setai_henko":
        _check_setai_henko(p, form, data)
    elif kind == "shimei_henko":
        p.required(form, "shimei", "新しい氏名")
        p.kana(form, "shimei_kana", "新しい氏名のフリガナ", required=True)
    elif kind == "shokken_shusei":
        _check_changes(p, form, data)
    elif kind == "torikeshi":
        p.required(form, "note", "取消しの理由（備考）")
        value = text(form, "notification_id")
        if value is None or not value.strip().isdigit():
            p.add("notification_id", "取り消す異動を選ぶか、異動番号（数字）を入力してください")
    return p


def _check_setai_henko(p: _Problems, form: Form, data: dict) -> None:
    kind = data.get("type")
    if kind not in ("head_change", "split", "merge"):
        p.add("type", "世帯変更の種類を選んでください")
    elif kind == "head_change" and not data.get("new_head"):
        p.add("new_head", "新しい世帯主を選んでください")
    elif kind == "split" and not data.get("atena_nos"):
        p.add("atena_nos", "新しい世帯に移る方を選んでください")
    elif kind == "split" and not data.get("new_head"):
        p.add("new_head", "新しい世帯の世帯主を選んでください")
    elif kind == "merge" and not data.get("into_setai_no"):
        p.add("into_setai_no", "合併先の世帯番号を入力してください")


def _check_changes(p: _Problems, form: Form, data: dict) -> None:
    p.required(form, "note", "職権修正の理由（備考）")
    if not data.get("changes"):
        p.add("changes", "修正する項目の値を書き換えてください（変更がありません）")
    for item, value in (data.get("changes") or {}).items():
        name = f"changes.{item}"
        if item in KANA_FIELDS:
            p.kana(form, name, ITEM_NAMES[item], required=item == "shimei_kana")
        elif item in DATE_FIELDS:
            p.date(form, name, ITEM_NAMES[item], required=item != "zairyu_kikan_end")
        elif item in CODE_CHECKS:
            p.code(form, name, CODE_CHECKS[item])
        elif item == "sex" and SEX_INPUT.get(value or "") is None:
            p.add(name, "性別を選んでください")
        elif item in ("shimei", "zokugara") and not value:
            p.add(name, f"{ITEM_NAMES[item]}を入力してください")


def check(kind: str, form: Form) -> tuple[BaseModel | None, FormErrors | None]:
    """The notification of *form* (None when its shape is wrong), and the errors of every
    field that can be judged without the database (None when there are none) — both may
    be given: the screen still runs the service's dry run to show its problems too."""
    data = body(kind, form)
    problems = _cheap_checks(kind, form, data)
    model = None
    try:
        model = MODELS[kind].model_validate(data)
    except PydanticError as exc:
        for name, message in validation_fields(list(exc.errors())).items():
            problems.add(name, message)
        model = _without(MODELS[kind], data, [e["loc"] for e in exc.errors()])
    if problems:
        return model, FormErrors(INVALID, dict(problems), "SCREEN_INPUT_INVALID")
    return model, None


def _without(model_class, data: dict, locations: list[tuple]) -> BaseModel | None:
    """The notification without the optional items the form refused (an over-long 方書 …),
    so that the service's dry run still judges the rest and the clerk sees every problem at
    once; None when a required item is wrong (the form's message comes first then)."""
    trimmed = copy.deepcopy(data)
    for loc in locations:
        node = trimmed
        for key in loc[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(node, dict) or loc[-1] not in node:
            return None
        node[loc[-1]] = None
    try:
        return model_class.model_validate(trimmed)
    except PydanticError:
        return None


def merged(form_errors: FormErrors | None, service: FormErrors) -> FormErrors:
    """The form's own problems and the service's, on one page (each field's first message)."""
    if form_errors is None:
        return service
    fields = dict(form_errors.fields)
    for name, message in service.fields.items():
        fields.setdefault(name, message)
    message = form_errors.message if service.fields else f"{form_errors.message}（{service.message}）"
    return FormErrors(message, fields, service.code)


__all__ = ["INVALID", "check", "merged"]
