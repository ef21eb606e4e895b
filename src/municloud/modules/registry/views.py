"""What the registry shows (pydantic models, shared by API and screens).

個人番号 appears only as ``my_number_masked`` unless the viewer holds the permission and
asked for it, in which case ``my_number`` is filled and the look is audited.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from municloud.jp.codes import mask_my_number
from municloud.jp.wareki import format_wareki
from municloud.modules.registry.domain import SEX, Person
from municloud.modules.registry.orm import ResidentRecord


class ResidentSummary(BaseModel):
    atena_no: str
    rireki_no: int
    status: str
    shimei: str
    shimei_kana: str
    birth_date: date
    birth_date_wareki: str
    sex: str
    address: str
    katagaki: str | None
    setai_no: str
    zokugara: str
    protected: bool  # 支援措置中（職員向けの表示）


class SearchHit(ResidentSummary):
    """A row of the search results (検索結果): the summary, the 年齢, the 世帯主 and why the
    row matched (``matched_by``: codes of :data:`MATCH_REASONS`, e.g. ``kyu_uji`` when the
    name or フリガナ searched was the 旧氏's)."""

    age: int  # 年齢 today (a deceased person's: on the day of death)
    head_shimei: str | None  # 世帯主の氏名 (None: no current household)
    matched_by: list[str]
    matched_alt: str | None = None  # the 旧氏 or 通称 that matched (kyu_uji / tsusho in matched_by)


#: Why a search row matched (一致した項目), code → what the screen says.
MATCH_REASONS = {
    "name": "氏名", "kana": "フリガナ", "kyu_uji": "旧氏で一致", "tsusho": "通称で一致",
    "birth_date": "生年月日", "address": "住所", "juminhyo_code": "住民票コード",
}


class ResidentDetail(ResidentSummary):
    resident_kind: str
    name_ivs_collection: str | None
    kyu_uji: str | None
    kyu_uji_kana: str | None
    tsusho: str | None
    tsusho_kana: str | None
    honseki: str | None
    hittosha: str | None
    nationality: str | None
    zairyu_shikaku: str | None
    zairyu_kikan: str | None
    zairyu_kikan_end: date | None
    zairyu_card_no: str | None
    juminhyo_code: str
    my_number_masked: str | None
    my_number: str | None = None
    postal_code: str | None
    address_attributes: dict
    became_resident_on: date
    address_fixed_on: date
    previous_address: str | None
    removal_reason: str | None
    removed_on: date | None
    moved_out_to: str | None
    move_out_stage: str | None
    move_in_notified_on: date | None
    move_out_planned_on: date | None  # 転出予定年月日


class HistoryEntry(ResidentDetail):
    ido_jiyu: str
    ido_date: date
    todoke_date: date | None
    processed_at: datetime
    processed_by: str
    input_place: str | None
    input_terminal: str | None
    notification_id: int
    late_notice: bool = False  # 届出期間経過 (the notification was made after its 届出期間)


class HouseholdView(BaseModel):
    setai_no: str
    head_atena_no: str | None
    address: str | None
    created_on: date
    dissolved_on: date | None
    members: list[ResidentSummary]


def summary(p: Person, *, protected: bool) -> dict:
    return {
        "atena_no": p.atena_no,
        "rireki_no": p.rireki_no,
        "status": p.status,
        "shimei": p.shimei,
        "shimei_kana": p.shimei_kana,
        "birth_date": p.birth_date,
        "birth_date_wareki": format_wareki(p.birth_date),
        "sex": SEX.get(p.sex, p.sex),
        "address": p.address,
        "katagaki": p.katagaki,
        "setai_no": p.setai_no,
        "zokugara": p.zokugara,
        "protected": protected,
    }


def detail(p: Person, *, protected: bool, show_my_number: bool) -> dict:
    data = summary(p, protected=protected)
    for name in (
        "resident_kind", "name_ivs_collection", "kyu_uji", "kyu_uji_kana", "tsusho", "tsusho_kana",
        "honseki", "hittosha", "nationality", "zairyu_shikaku", "zairyu_kikan", "zairyu_kikan_end",
        "zairyu_card_no", "juminhyo_code", "postal_code", "address_attributes", "became_resident_on",
        "address_fixed_on", "previous_address", "removal_reason", "removed_on", "moved_out_to",
        "move_out_stage", "move_in_notified_on", "move_out_planned_on",
    ):
        data[name] = getattr(p, name)
    data["my_number_masked"] = mask_my_number(p.my_number) if p.my_number else None
    data["my_number"] = p.my_number if show_my_number else None
    return data


def history_entry(record: ResidentRecord, person: Person, *, protected: bool, late: bool = False) -> HistoryEntry:
    data = detail(person, protected=protected, show_my_number=False)
    data["late_notice"] = late
    for name in ("ido_jiyu", "ido_date", "todoke_date", "processed_at", "processed_by", "input_place",
                 "input_terminal", "notification_id"):
        data[name] = getattr(record, name)
    return HistoryEntry(**data)
