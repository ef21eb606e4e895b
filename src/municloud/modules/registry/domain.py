"""Resident registry rules (pure): a resident's items and how they are validated.

``Person`` is the content of one 住民票 snapshot (all items except the change metadata
異動事由/異動日/届出日/処理日時/入力場所, which the service adds).  Functions here take and
return values; they never touch the database.  Notification rules are in ``moves.py``.

Each text item's character policy, label and maximum length come from ``fields.py`` (the
module's declarations, shared with the API shapes, the screens and the import: no second
copy of a limit here); dates must lie in ``jp.policy``'s range.  ``fields.py`` is data
built on ``kernel.fields``: importing it keeps this module free of I/O and services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from municloud.errors import ValidationError
from municloud.jp.chars import ivs_collection
from municloud.jp.codes import validate_juminhyo_code, validate_my_number, validate_postal_code
from municloud.jp.kana import to_furigana
from municloud.jp.policy import check_date
from municloud.modules.registry import fields as f

HEAD = "世帯主"
JAPANESE = "日本人"
FOREIGN = "外国人"
RESIDENT_KINDS = (JAPANESE, FOREIGN)
RESIDENT = "resident"  # 住民
REMOVED = "removed"  # 除票
SEX = {"1": "男", "2": "女"}
SEX_INPUT = {"1": "1", "2": "2", "男": "1", "女": "2"}
ZAIRYU_CARD = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")

#: Items a 職権修正 may change (keys, status and household links have their own notifications).
CORRECTABLE = (
    "shimei", "shimei_kana", "kyu_uji", "kyu_uji_kana", "tsusho", "tsusho_kana", "birth_date",
    "sex", "honseki", "hittosha", "nationality", "zairyu_shikaku", "zairyu_kikan",
    "zairyu_kikan_end", "zairyu_card_no", "juminhyo_code", "my_number", "katagaki",
    "postal_code", "address_attributes", "became_resident_on", "address_fixed_on",
    "previous_address", "zokugara",
)


@dataclass(frozen=True)
class Person:
    """One resident's items at one point of their history (住民票の記載事項)."""

    atena_no: str
    status: str
    resident_kind: str
    setai_no: str
    zokugara: str
    shimei: str
    shimei_kana: str
    birth_date: date
    sex: str
    juminhyo_code: str
    address: str
    became_resident_on: date
    address_fixed_on: date
    name_ivs_collection: str | None = None
    kyu_uji: str | None = None
    kyu_uji_kana: str | None = None
    tsusho: str | None = None
    tsusho_kana: str | None = None
    honseki: str | None = None
    hittosha: str | None = None
    nationality: str | None = None
    zairyu_shikaku: str | None = None
    zairyu_kikan: str | None = None
    zairyu_kikan_end: date | None = None
    zairyu_card_no: str | None = None
    my_number: str | None = None
    katagaki: str | None = None
    postal_code: str | None = None
    address_attributes: dict = field(default_factory=dict)
    previous_address: str | None = None
    removal_reason: str | None = None
    removed_on: date | None = None
    moved_out_to: str | None = None
    move_out_stage: str | None = None
    move_in_notified_on: date | None = None
    move_out_planned_on: date | None = None  # 転出予定年月日 (kept after the 除票, 標準仕様書 4.1.3.1.1)
    rireki_no: int = 0  # 履歴番号 this state was read at (0: not yet stored)

    @property
    def is_resident(self) -> bool:
        return self.status == RESIDENT

    @property
    def move_out_pending(self) -> bool:
        """A resident with a 転出予定 not yet carried out (予定日 still to come)."""
        return self.is_resident and self.move_out_stage == "予定"

    @property
    def is_head(self) -> bool:
        return self.is_resident and self.zokugara == HEAD

    def with_(self, **changes) -> Person:
        return replace(self, **changes)


ITEM_NAMES = {
    "shimei": "氏名", "shimei_kana": "フリガナ", "kyu_uji": "旧氏", "kyu_uji_kana": "旧氏フリガナ",
    "tsusho": "通称", "tsusho_kana": "通称フリガナ", "birth_date": "生年月日", "sex": "性別",
    "resident_kind": "住民種別", "honseki": "本籍", "hittosha": "筆頭者", "nationality": "国籍・地域",
    "zairyu_shikaku": "在留資格", "zairyu_kikan": "在留期間", "zairyu_kikan_end": "在留期間の満了の日",
    "zairyu_card_no": "在留カード番号", "juminhyo_code": "住民票コード", "my_number": "個人番号",
    "address": "住所", "katagaki": "方書", "postal_code": "郵便番号", "zokugara": "続柄",
    "address_attributes": "住所の付加情報", "became_resident_on": "住民となった年月日",
    "address_fixed_on": "住所を定めた年月日", "previous_address": "転入前住所", "moved_out_to": "転出先住所",
}


def invalid(code: str, message: str, field_name: str | None = None) -> ValidationError:
    return ValidationError(code, message, fields={field_name: message} if field_name else None)


#: The declared item (``fields.py``) of each text item of a person.
FIELDS = {
    "shimei": f.SHIMEI, "shimei_kana": f.SHIMEI_KANA, "kyu_uji": f.KYU_UJI, "kyu_uji_kana": f.KYU_UJI_KANA,
    "tsusho": f.TSUSHO, "tsusho_kana": f.TSUSHO_KANA, "honseki": f.HONSEKI, "hittosha": f.HITTOSHA,
    "nationality": f.NATIONALITY, "zairyu_shikaku": f.ZAIRYU_SHIKAKU, "zairyu_kikan": f.ZAIRYU_KIKAN,
    "zairyu_card_no": f.ZAIRYU_CARD_NO, "address": f.ADDRESS_, "katagaki": f.KATAGAKI, "zokugara": f.ZOKUGARA,
    "previous_address": f.PREVIOUS_ADDRESS, "moved_out_to": f.DESTINATION,
}
DATE_ITEMS = ("birth_date", "became_resident_on", "address_fixed_on", "zairyu_kikan_end")


def check_text(value: str | None, field_name: str, *, required: bool) -> str | None:
    """Text items are stored exactly as entered: only emptiness and the item's declared
    rules (``fields.py``: characters, length) are checked."""
    label = ITEM_NAMES.get(field_name, field_name)
    if value is None or value == "" or not str(value).strip():
        if required:
            raise invalid("REGISTRY_ITEM_REQUIRED", f"{label}を入力してください", field_name)
        return None
    return FIELDS[field_name].check(value, field_name)


def check_sex(value: str) -> str:
    code = SEX_INPUT.get(str(value))
    if code is None:
        raise invalid("REGISTRY_SEX_INVALID", "性別は 1（男）または 2（女）で入力してください", "sex")
    return code


def normalise_person(p: Person, *, today: date, allowed_attributes: tuple[str, ...]) -> Person:
    """Validate every item of *p* and return it with derived values filled in.

    Names (氏名・旧氏・通称) are kept exactly as entered, IVS included; フリガナ is converted
    to full-width katakana; codes are checked with their check digits.
    """
    for name in DATE_ITEMS:
        if getattr(p, name) is not None:
            check_date(getattr(p, name), label=ITEM_NAMES[name], field_name=name)
    shimei = check_text(p.shimei, "shimei", required=True)
    kind = p.resident_kind
    if kind not in RESIDENT_KINDS:
        raise invalid("REGISTRY_RESIDENT_KIND_INVALID", "住民種別は「日本人」か「外国人」です", "resident_kind")
    kana = _furigana(p.shimei_kana, "shimei_kana", required=True)
    kyu_uji = check_text(p.kyu_uji, "kyu_uji", required=False)
    kyu_uji_kana = _furigana(p.kyu_uji_kana, "kyu_uji_kana", required=False)
    if kyu_uji_kana and not kyu_uji:
        raise invalid("REGISTRY_KYU_UJI_REQUIRED", "旧氏のフリガナだけを入力することはできません", "kyu_uji")
    tsusho = check_text(p.tsusho, "tsusho", required=False)
    tsusho_kana = _furigana(p.tsusho_kana, "tsusho_kana", required=False)
    if p.birth_date > today:
        raise invalid("REGISTRY_BIRTH_DATE_FUTURE", "生年月日が未来の日付です", "birth_date")
    honseki = check_text(p.honseki, "honseki", required=False)
    hittosha = check_text(p.hittosha, "hittosha", required=False)
    nationality = check_text(p.nationality, "nationality", required=kind == FOREIGN)
    shikaku = check_text(p.zairyu_shikaku, "zairyu_shikaku", required=kind == FOREIGN)
    kikan = check_text(p.zairyu_kikan, "zairyu_kikan", required=False)
    card = check_text(p.zairyu_card_no, "zairyu_card_no", required=False)
    if kind == JAPANESE:
        for name, value in (("nationality", nationality), ("zairyu_shikaku", shikaku),
                            ("zairyu_card_no", card), ("tsusho", tsusho)):
            if value:
                raise invalid(
                    "REGISTRY_ITEM_FOREIGN_ONLY",
                    f"{ITEM_NAMES[name]}は外国人住民の記載事項です（日本人住民には記載できません）",
                    name,
                )
    else:
        # 旧氏 comes from the 戸籍 (令第30条の13): foreign residents have 通称 instead
        for name, value in (("honseki", honseki), ("hittosha", hittosha), ("kyu_uji", kyu_uji)):
            if value:
                raise invalid(
                    "REGISTRY_ITEM_JAPANESE_ONLY",
                    f"{ITEM_NAMES[name]}は日本人住民の記載事項です（外国人住民には記載できません）",
                    name,
                )
        if card and not ZAIRYU_CARD.match(card):
            raise invalid(
                "REGISTRY_ZAIRYU_CARD_INVALID",
                "在留カード番号は英字2桁・数字8桁・英字2桁（例：AB12345678CD）です",
                "zairyu_card_no",
            )
    if tsusho_kana and not tsusho:
        raise invalid("REGISTRY_TSUSHO_REQUIRED", "通称のフリガナだけを入力することはできません", "tsusho")
    address, katagaki, postal = check_address(
        p.address, p.katagaki, p.postal_code, p.address_attributes, allowed_attributes=allowed_attributes
    )
    previous = check_text(p.previous_address, "previous_address", required=False)
    moved_out_to = check_text(p.moved_out_to, "moved_out_to", required=False)
    zokugara = check_text(p.zokugara, "zokugara", required=True)
    if p.became_resident_on < p.birth_date:
        raise invalid(
            "REGISTRY_RESIDENCY_BEFORE_BIRTH", "住民となった年月日が生年月日より前です", "became_resident_on"
        )
    return p.with_(
        shimei=shimei,
        shimei_kana=kana,
        name_ivs_collection=ivs_collection(shimei),
        kyu_uji=kyu_uji,
        kyu_uji_kana=kyu_uji_kana,
        tsusho=tsusho,
        tsusho_kana=tsusho_kana,
        sex=check_sex(p.sex),
        honseki=honseki,
        hittosha=hittosha,
        nationality=nationality,
        zairyu_shikaku=shikaku,
        zairyu_kikan=kikan,
        zairyu_card_no=card,
        juminhyo_code=_code(validate_juminhyo_code, p.juminhyo_code, "juminhyo_code"),
        my_number=_code(validate_my_number, p.my_number, "my_number") if p.my_number else None,
        address=address,
        katagaki=katagaki,
        previous_address=previous,
        moved_out_to=moved_out_to,
        postal_code=postal,
        address_attributes=dict(p.address_attributes or {}),
        zokugara=zokugara,
    )


def check_address(
    address: str | None, katagaki: str | None, postal_code: str | None, attributes: dict | None, *,
    allowed_attributes: tuple[str, ...],
) -> tuple[str | None, str | None, str | None]:
    """住所・方書・郵便番号・付加情報 of a record: (住所, 方書, 郵便番号) as stored.

    Also used on its own for a notification's new address, so that a problem in it is
    reported together with the notification's other problems."""
    address = check_text(address, "address", required=True)
    katagaki = check_text(katagaki, "katagaki", required=False)
    postal = _code(validate_postal_code, postal_code, "postal_code") if postal_code else None
    unknown = sorted(set(attributes or {}) - set(allowed_attributes))
    if unknown:
        raise invalid(
            "REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN",
            f"この団体では住所の付加情報「{'・'.join(unknown)}」を使いません"
            + (f"（使えるもの：{'・'.join(allowed_attributes)}）" if allowed_attributes else ""),
            "address_attributes",
        )
    return address, katagaki, postal


def _furigana(value: str | None, field_name: str, *, required: bool) -> str | None:
    if not value or not value.strip():
        if required:
            raise invalid("REGISTRY_ITEM_REQUIRED", f"{ITEM_NAMES[field_name]}を入力してください", field_name)
        return None
    try:
        return to_furigana(FIELDS[field_name].check(value, field_name))
    except ValidationError as exc:
        raise ValidationError(exc.code, exc.message, fields={field_name: exc.message}) from None


def _code(validator, value: str, field_name: str) -> str:
    try:
        return validator(value)
    except ValidationError as exc:
        raise ValidationError(exc.code, exc.message, fields={field_name: exc.message}) from None
