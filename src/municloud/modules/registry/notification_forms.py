"""The 異動届 entry forms as data: form fields → the pydantic notification, and the checks
that need no database.

Field names are the notification's own paths, dotted (``persons.1.shimei_kana``,
``address.postal_code``, ``zokugara.0000000002``, ``expected_rireki.0000000002``), so the
service's ``MuniError.fields`` point at the inputs without translation, except where the
service names a field more loosely (:func:`service_errors`).  The checks before the
confirmation step are in ``notification_checks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from municloud.errors import MuniError
from municloud.jp.codes import validate_juminhyo_code, validate_my_number, validate_postal_code
from municloud.jp.wareki import parse_date
from municloud.modules.registry.domain import CORRECTABLE, HEAD
from municloud.modules.registry.schemas import (
    SetaiHenko,
    Shibou,
    ShimeiHenko,
    ShokkenShusei,
    Shussei,
    Tenkyo,
    Tennyu,
    Tenshutsu,
    Torikeshi,
)
from municloud.web.screens.rendering import FormErrors

Form = dict[str, Any]  # field name → str (or list[str] for MULTI)

MODELS: dict[str, type[BaseModel]] = {
    "tennyu": Tennyu, "tenkyo": Tenkyo, "tenshutsu": Tenshutsu, "shussei": Shussei, "shibou": Shibou,
    "setai_henko": SetaiHenko, "shimei_henko": ShimeiHenko, "shokken_shusei": ShokkenShusei,
    "torikeshi": Torikeshi,
}
MULTI = ("atena_nos",)
MAX_PERSONS = 20
PERSON_FIELDS = (
    "shimei", "shimei_kana", "birth_date", "sex", "zokugara", "resident_kind", "kyu_uji", "kyu_uji_kana",
    "tsusho", "tsusho_kana", "honseki", "hittosha", "nationality", "zairyu_shikaku", "zairyu_kikan",
    "zairyu_kikan_end", "zairyu_card_no", "juminhyo_code", "my_number", "became_resident_on",
)
DATE_FIELDS = {"birth_date", "zairyu_kikan_end", "became_resident_on", "address_fixed_on"}
KANA_FIELDS = {"shimei_kana", "kyu_uji_kana", "tsusho_kana"}
CODE_CHECKS: dict[str, Callable[[str], str]] = {
    "juminhyo_code": validate_juminhyo_code, "my_number": validate_my_number, "postal_code": validate_postal_code,
}
COMMON_LABELS = {
    "ido_date": "異動日", "todoke_date": "届出日", "note": "備考", "previous_address": "転入前住所",
    "from_abroad": "国外からの転入", "address.address": "住所", "address.katagaki": "方書",
    "address.postal_code": "郵便番号", "address.attributes": "住所の付加情報", "address.town": "町字",
    "address.banchi": "番地・号", "join_setai_no": "入る世帯の世帯番号",
    "atena_nos": "対象の方", "new_household": "新しい世帯", "new_head": "新しい世帯主", "zokugara": "続柄",
    "remaining_head": "残る世帯の世帯主", "remaining_zokugara": "残る方の続柄", "stage": "転出の段階",
    "destination": "転出先住所", "abroad": "国外への転出", "notified_on": "転入通知年月日", "setai_no": "世帯番号",
    "atena_no": "対象の方", "type": "世帯変更の種類", "into_setai_no": "合併先の世帯番号",
    "shimei": "新しい氏名", "shimei_kana": "新しい氏名のフリガナ", "kyu_uji": "旧氏",
    "changes": "修正する項目", "notification_id": "取り消す異動（異動番号）", "persons": "転入する方",
    "person": "生まれた方", "expected_rireki": "表示した履歴番号",
}


def read_form(items: Mapping | Any) -> Form:
    """Starlette's FormData → plain values (lists only for :data:`MULTI`); files ignored."""
    form: Form = {}
    for key, value in items.multi_items():
        if not isinstance(value, str) or key in ("csrf_token", "action"):
            continue
        if key in MULTI:
            form.setdefault(key, []).append(value)
        else:
            form[key] = value
    return form


def text(form: Form, name: str) -> str | None:
    """The value as typed (never stripped: names are stored exactly as entered), or None when blank."""
    value = form.get(name)
    return value if isinstance(value, str) and value.strip() else None


def flag(form: Form, name: str) -> bool:
    return form.get(name) in ("1", "on", "true")


def chosen(form: Form, name: str = "atena_nos") -> list[str]:
    value = form.get(name) or []
    return [v for v in ([value] if isinstance(value, str) else value) if v.strip()]


def mapping(form: Form, prefix: str, keep: Callable[[str], bool] = lambda _: True) -> dict[str, str]:
    """``zokugara.0000000002`` → ``{"0000000002": …}``: the non-blank entries of *prefix*."""
    start = prefix + "."
    return {k[len(start):]: v for k, v in form.items()
            if k.startswith(start) and isinstance(v, str) and v.strip() and keep(k[len(start):])}


def person_count(form: Form) -> int:
    try:
        return max(1, min(MAX_PERSONS, int(form.get("person_count") or 1)))
    except ValueError:
        return 1


def _person(form: Form, prefix: str) -> dict:
    data: dict[str, Any] = {name: text(form, f"{prefix}.{name}") for name in PERSON_FIELDS}
    data["shimei"] = data["shimei"] or ""
    data["shimei_kana"] = data["shimei_kana"] or ""
    data["sex"] = data["sex"] or ""
    data["resident_kind"] = data["resident_kind"] or ""  # chosen on the form (preselected there), never assumed
    return {k: v for k, v in data.items() if v is not None}


def new_address_of(form: Form) -> str:
    """住所マスター: 住所 = 団体名 + 町字 + 番地・号 ("" without a 町字)."""
    town = text(form, "address.town")
    return (form.get("address.prefix") or "") + town + (text(form, "address.banchi") or "") if town else ""


def _address(form: Form) -> dict:
    if "address.town" in form:  # 住所マスター: 郵便番号 derived; 付加情報 the 町字 leaves blank entered
        return {"address": new_address_of(form), "katagaki": text(form, "address.katagaki"),
                "attributes": mapping(form, "address.attributes")}
    return {"address": text(form, "address.address") or "", "katagaki": text(form, "address.katagaki"),
            "postal_code": text(form, "address.postal_code"), "attributes": mapping(form, "address.attributes")}


def _changes(form: Form) -> dict[str, Any]:
    """職権修正: the items whose value differs from the record shown (``was.{item}``)."""
    changes: dict[str, Any] = {}
    for item in CORRECTABLE:
        if item == "address_attributes":
            now, was = mapping(form, "changes.address_attributes"), mapping(form, "was.address_attributes")
            if now != was:
                changes[item] = now
            continue
        name = f"changes.{item}"
        if name not in form:
            continue
        now, was = text(form, name), text(form, f"was.{item}")
        if item == "my_number" and now is None:
            continue  # shown masked: blank means "unchanged"
        if now != was and not (item in DATE_FIELDS and now and was and _same_day(now, was)):
            changes[item] = now
    return changes


def _same_day(a: str, b: str) -> bool:
    try:
        return parse_date(a) == parse_date(b)
    except MuniError:
        return False


def body(kind: str, form: Form) -> dict:
    """The notification's JSON body from the form (what the API would receive)."""
    data: dict[str, Any] = {
        "kind": kind, "ido_date": text(form, "ido_date") or "", "todoke_date": text(form, "todoke_date"),
        "note": text(form, "note"), "request_key": text(form, "request_key"),
        "expected_rireki": {k: v for k, v in mapping(form, "expected_rireki").items()},
    }
    movers = set(chosen(form))
    if kind == "tennyu":
        data.update(from_abroad=flag(form, "from_abroad"), previous_address=text(form, "previous_address") or "",
                    address=_address(form), join_setai_no=text(form, "join_setai_no"),
                    persons=[_person(form, f"persons.{i}") for i in range(person_count(form))])
    elif kind == "tenkyo":
        data.update(atena_nos=chosen(form), address=_address(form), join_setai_no=text(form, "join_setai_no"),
                    new_household=flag(form, "new_household"), new_head=text(form, "new_head"),
                    zokugara=mapping(form, "zokugara", lambda a: a in movers),
                    remaining_head=text(form, "remaining_head"),
                    remaining_zokugara=mapping(form, "remaining_zokugara", lambda a: a not in movers))
    elif kind == "tenshutsu":
        data.update(stage=text(form, "stage") or "", atena_nos=chosen(form),
                    destination=text(form, "destination") or "", abroad=flag(form, "abroad"),
                    notified_on=text(form, "notified_on"), new_head=text(form, "new_head"),
                    zokugara=mapping(form, "zokugara", lambda a: a not in movers))
    elif kind == "shussei":
        data.update(setai_no=text(form, "setai_no") or "", person=_person(form, "person"))
    elif kind == "shibou":
        dead = text(form, "atena_no") or ""
        data.update(atena_no=dead, new_head=text(form, "new_head"),
                    zokugara=mapping(form, "zokugara", lambda a: a != dead))
    elif kind == "setai_henko":
        data.update(_setai_henko(form, movers))
    elif kind == "shimei_henko":
        data.update(atena_no=text(form, "atena_no") or "", shimei=text(form, "shimei") or "",
                    shimei_kana=text(form, "shimei_kana") or "", kyu_uji=text(form, "kyu_uji"))
    elif kind == "shokken_shusei":
        data.update(atena_no=text(form, "atena_no") or "", changes=_changes(form))
    elif kind == "torikeshi":
        data.update(notification_id=text(form, "notification_id") or "", ido_date=text(form, "ido_date"))
    return data


def _setai_henko(form: Form, movers: set[str]) -> dict:
    kind = text(form, "type") or ""
    data: dict[str, Any] = {"type": kind, "setai_no": text(form, "setai_no") or ""}
    head = text(form, "new_head")
    if kind == "head_change":
        data.update(new_head=head, zokugara=mapping(form, "zokugara", lambda a: a != head))
    elif kind == "split":
        data.update(atena_nos=sorted(movers), new_head=head, zokugara=mapping(form, "zokugara", lambda a: a in movers),
                    remaining_head=text(form, "remaining_head"),
                    remaining_zokugara=mapping(form, "remaining_zokugara", lambda a: a not in movers))
    elif kind == "merge":
        data.update(into_setai_no=text(form, "into_setai_no"), zokugara=mapping(form, "zokugara"))
    return data


# The service's errors on the form ------------------------------------------------------

_ATENA = re.compile(r"宛名番号 (\d+)")


def service_errors(kind: str, exc: MuniError, form: Form) -> FormErrors:
    """The service's error with its field names moved onto this form's inputs."""

    def rename(name: str) -> str:
        if kind == "tennyu" and name in ("zokugara", "new_head"):  # no head, or two heads
            heads = [i for i in range(person_count(form)) if form.get(f"persons.{i}.zokugara") == HEAD]
            return f"persons.{heads[-1] if len(heads) > 1 else 0}.zokugara"
        if kind in ("tennyu", "tenkyo") and name in ("address", "address.address") and "address.town" in form:
            return "address.banchi" if exc.code == "REGISTRY_ADDRESS_BANCHI_REQUIRED" else "address.town"
        if kind in ("tennyu", "tenkyo") and name == "address":
            return "address.address"
        if kind == "shussei" and name in ("birth_date", "person.birth_date"):
            return "ido_date"  # 出生: 生年月日 is the 異動日
        if kind == "shussei" and name in PERSON_FIELDS:
            return f"person.{name}"
        if kind == "shokken_shusei" and name in CORRECTABLE:
            return f"changes.{name}"
        if name in ("zokugara", "remaining_zokugara"):
            found = _ATENA.search(exc.message)
            if found and f"{name}.{found.group(1)}" in form:
                return f"{name}.{found.group(1)}"
        return name

    fields = {rename(k): v for k, v in exc.fields.items()}
    return FormErrors(exc.message, fields, exc.code)


def refusal(exc: MuniError) -> bool:
    """Refusals and system errors are pages of their own; input errors go back on the form."""
    return exc.status in (401, 403) or exc.status >= 500


__all__ = ["COMMON_LABELS", "MODELS", "body", "read_form", "refusal", "service_errors"]
