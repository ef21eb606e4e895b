"""Notification (異動) rules, pure: each takes current states and returns the changes.

Every function returns a list of :class:`Change` (the person's new state and its 異動事由).
The service overlays the changes on the current states of every touched household and
calls :func:`check_households`, so no rule can leave a household without exactly one head.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from municloud.errors import ConflictError, ValidationError
from municloud.modules.registry.domain import (
    CORRECTABLE,
    HEAD,
    ITEM_NAMES,
    REMOVED,
    RESIDENT,
    Person,
    invalid,
)

TENNYU = "転入"
TENNYU_ABROAD = "国外からの転入"
TENKYO = "転居"
TENSHUTSU = "転出"
TENSHUTSU_ABROAD = "国外への転出"
TENSHUTSU_KAKUTEI = "転出確定"
TENSHUTSU_YOTEI = "転出予定"  # a 転出届 filed ahead: recorded, carried out on the 予定日
SHUSSEI = "出生"
SHIBOU = "死亡"
HEAD_CHANGE = "世帯主変更"
SPLIT = "世帯分離"
MERGE = "世帯合併"
RENAME = "氏名変更"
CORRECTION = "職権修正"
CANCELLATION = "取消し"


@dataclass(frozen=True)
class Change:
    person: Person
    ido_jiyu: str  # 異動事由


def check_ido_date(persons: Iterable[Person], ido_date: date) -> None:
    """異動日 may not precede the day the person became a resident (住民となった年月日)."""
    for p in persons:
        if ido_date < p.became_resident_on:
            raise invalid(
                "REGISTRY_DATE_BEFORE_RESIDENCY",
                f"異動日（{ido_date.isoformat()}）が住民となった年月日（{p.became_resident_on.isoformat()}）より前です",
                "ido_date",
            )


def require_residents(persons: Iterable[Person]) -> None:
    for p in persons:
        if not p.is_resident:
            raise ValidationError(
                "REGISTRY_ALREADY_REMOVED",
                f"宛名番号 {p.atena_no} の方はすでに住民票が消除されています（{p.removal_reason or '除票'}）",
            )


def require_no_planned_move(persons: Iterable[Person]) -> None:
    """A person with a 転出予定 still to come cannot move within the tenant or file another
    転出 (cancel the 転出予定 first, 取消し)."""
    for p in persons:
        if p.move_out_pending:
            raise ValidationError(
                "REGISTRY_MOVE_OUT_PLANNED",
                f"宛名番号 {p.atena_no} の方は転出予定です（予定日 {p.move_out_planned_on.isoformat()}）。"
                "予定が変わったときは、先にその転出届を取り消してください",
            )


def check_households(state: dict[str, Person], setai_nos: Iterable[str]) -> set[str]:
    """Each touched household must have exactly one head among its current residents,
    all living at one address (a 世帯 shares its 住所).

    Returns the households left with no member (to be recorded as dissolved).
    """
    members: dict[str, list[Person]] = defaultdict(list)
    for p in state.values():
        if p.is_resident:
            members[p.setai_no].append(p)
    empty = set()
    for setai_no in setai_nos:
        group = members.get(setai_no, [])
        if not group:
            empty.add(setai_no)
            continue
        heads = [p for p in group if p.zokugara == HEAD]
        if not heads:
            raise ValidationError(
                "REGISTRY_HOUSEHOLD_WITHOUT_HEAD",
                f"世帯（世帯番号 {setai_no}）に世帯主がいなくなります。新しい世帯主を指定してください",
                fields={"new_head": "新しい世帯主を指定してください"},
            )
        if len(heads) > 1:
            raise ValidationError(
                "REGISTRY_HOUSEHOLD_TWO_HEADS",
                f"世帯（世帯番号 {setai_no}）に世帯主が2人になります。続柄を確認してください",
                fields={"zokugara": "世帯主は1世帯に1人です"},
            )
        if len({p.address for p in group}) > 1:
            raise ValidationError(
                "REGISTRY_HOUSEHOLD_ADDRESS_MISMATCH",
                f"世帯（世帯番号 {setai_no}）の方の住所が分かれてしまいます。世帯の全員を同じ住所にしてください",
                fields={"address": "世帯の住所は1つです"},
            )
    return empty


def _zokugara(value: str | None, atena_no: str) -> str:
    if not value or not value.strip() or len(value) > 20:
        raise invalid("REGISTRY_ZOKUGARA_REQUIRED", f"宛名番号 {atena_no} の方の続柄を入力してください", "zokugara")
    if value == HEAD:
        raise invalid(
            "REGISTRY_HOUSEHOLD_TWO_HEADS", "世帯主は「新しい世帯主」で指定してください（続柄に世帯主は使えません）", "zokugara"
        )
    return value


def reassign(
    remaining: list[Person], head_leaving: bool, new_head: str | None, zokugara: dict[str, str]
) -> list[Change]:
    """The members who stay behind when others leave (or the head changes).

    When the head leaves and others stay, *new_head* (one of those who stay) is required;
    *zokugara* gives the new 続柄 of any other member relative to the new head.
    """
    stay = {p.atena_no: p for p in remaining}
    if new_head is None:
        if head_leaving and stay:
            check_households({p.atena_no: p.with_(zokugara="") for p in remaining}, {remaining[0].setai_no})
        if zokugara:
            unknown = set(zokugara) - set(stay)
            if unknown:
                raise invalid("REGISTRY_NOT_IN_HOUSEHOLD", f"宛名番号 {', '.join(sorted(unknown))} はこの世帯の方ではありません", "zokugara")
        return [Change(stay[a].with_(zokugara=_zokugara(z, a)), HEAD_CHANGE) for a, z in sorted(zokugara.items()) if stay[a].zokugara != z]
    if new_head not in stay:
        raise invalid(
            "REGISTRY_NEW_HEAD_NOT_MEMBER", f"新しい世帯主（宛名番号 {new_head}）はこの世帯に残る方から選んでください", "new_head"
        )
    if not head_leaving and stay[new_head].zokugara == HEAD:
        raise invalid("REGISTRY_NEW_HEAD_UNCHANGED", "指定された方はすでに世帯主です", "new_head")
    changes = [Change(stay[new_head].with_(zokugara=HEAD), HEAD_CHANGE)]
    for atena_no, person in sorted(stay.items()):
        if atena_no == new_head:
            continue
        if atena_no in zokugara:
            value = _zokugara(zokugara[atena_no], atena_no)
        elif person.zokugara == HEAD:
            raise invalid(
                "REGISTRY_ZOKUGARA_REQUIRED", f"これまでの世帯主（宛名番号 {atena_no}）の新しい続柄を入力してください", "zokugara"
            )
        else:
            value = person.zokugara
        if value != person.zokugara:
            changes.append(Change(person.with_(zokugara=value), HEAD_CHANGE))
    return changes


def _leave(members: list[Person], leavers: set[str], new_head: str | None, zokugara: dict[str, str]) -> list[Change]:
    remaining = [p for p in members if p.atena_no not in leavers and p.is_resident]
    head_leaving = any(p.is_head for p in members if p.atena_no in leavers)
    if new_head is not None and not head_leaving:
        raise invalid("REGISTRY_NEW_HEAD_UNNEEDED", "世帯主は世帯に残るため、新しい世帯主の指定は不要です", "new_head")
    if not remaining:
        return []
    return reassign(remaining, head_leaving, new_head, zokugara)


def members_of(persons: dict[str, Person], atena_nos: list[str]) -> list[Person]:
    missing = [a for a in atena_nos if a not in persons]
    if missing:
        raise invalid("REGISTRY_NOT_IN_HOUSEHOLD", f"宛名番号 {', '.join(missing)} の方はこの世帯にいません", "atena_nos")
    return [persons[a] for a in atena_nos]


def move_out(
    household: dict[str, Person],
    leavers: list[str],
    *,
    ido_date: date,
    destination: str,
    abroad: bool,
    new_head: str | None,
    zokugara: dict[str, str],
) -> list[Change]:
    """転出: the leavers' records are removed (除票) as of *ido_date*, the day they move out.

    Used for a 転出届 whose 予定日 has come when it is registered, and to carry out one filed
    ahead (:func:`plan_move_out`) — then the 転出予定日 already recorded is kept.  The
    remaining household gets its new head and 続柄 now.
    """
    people = members_of(household, leavers)
    require_residents(people)
    check_ido_date(people, ido_date)
    reason = TENSHUTSU_ABROAD if abroad else TENSHUTSU
    changes = [
        Change(
            p.with_(status=REMOVED, removal_reason=reason, removed_on=ido_date, moved_out_to=destination,
                    move_out_stage="予定", move_out_planned_on=p.move_out_planned_on or ido_date),
            reason,
        )
        for p in people
    ]
    return changes + _leave(list(household.values()), set(leavers), new_head, zokugara)


def plan_move_out(household: dict[str, Person], leavers: list[str], *, ido_date: date, destination: str) -> list[Change]:
    """転出予定 (a 転出届 filed before the 予定日, 住基法第24条「あらかじめ」): the leavers stay
    residents — in their household, with their 続柄 — and their record shows the planned
    move (転出先（予定）, 転出予定年月日) until the 予定日, when :func:`move_out` removes them
    (標準仕様書 1.1.5: 除票となるまでは現存者として).  The household part of the move is
    checked by the caller now and done on the 予定日."""
    people = members_of(household, leavers)
    require_residents(people)
    require_no_planned_move(people)
    check_ido_date(people, ido_date)
    return [
        Change(p.with_(moved_out_to=destination, move_out_stage="予定", move_out_planned_on=ido_date),
               TENSHUTSU_YOTEI)
        for p in people
    ]


def confirm_move_out(persons: list[Person], *, destination: str, notified_on: date) -> list[Change]:
    """転出確定: the new municipality's 転入通知 confirms the destination."""
    for p in persons:
        if p.is_resident or p.removal_reason not in (TENSHUTSU, TENSHUTSU_ABROAD):
            raise ValidationError("REGISTRY_NOT_MOVED_OUT", f"宛名番号 {p.atena_no} の方は転出（予定）の記録がありません")
        if p.move_out_stage == "確定":
            raise ConflictError("REGISTRY_MOVE_OUT_CONFIRMED", f"宛名番号 {p.atena_no} の方の転出はすでに確定しています")
        if notified_on < (p.removed_on or notified_on):
            raise invalid("REGISTRY_NOTICE_BEFORE_MOVE_OUT", "転入通知年月日が転出予定日より前です", "notified_on")
    return [
        Change(p.with_(moved_out_to=destination, move_out_stage="確定", move_in_notified_on=notified_on), TENSHUTSU_KAKUTEI)
        for p in persons
    ]


def death(
    household: dict[str, Person], atena_no: str, *, ido_date: date, new_head: str | None, zokugara: dict[str, str]
) -> list[Change]:
    """死亡: the record is removed (消除事由 死亡); a remaining household keeps a head."""
    (person,) = members_of(household, [atena_no])
    require_residents([person])
    check_ido_date([person], ido_date)
    changes = [Change(person.with_(status=REMOVED, removal_reason=SHIBOU, removed_on=ido_date), SHIBOU)]
    return changes + _leave(list(household.values()), {atena_no}, new_head, zokugara)


def relocate(
    household: dict[str, Person],
    movers: list[str],
    *,
    ido_date: date,
    address: dict,
    target_setai_no: str,
    new_household: bool,
    new_head: str | None,
    zokugara: dict[str, str],
    remaining_head: str | None,
    remaining_zokugara: dict[str, str],
    reason: str = TENKYO,
) -> list[Change]:
    """転居 (or 世帯分離 when *address* is empty): movers go to *target_setai_no*.

    * the whole household moving keeps its number and 続柄;
    * ``new_household``: the movers form a new household headed by *new_head*;
    * otherwise they join the existing household *target_setai_no* with *zokugara*.
    """
    people = members_of(household, movers)
    require_residents(people)
    check_ido_date(people, ido_date)
    whole = {p.atena_no for p in household.values() if p.is_resident} == set(movers)
    source = people[0].setai_no
    moved: list[Change] = []
    for p in people:
        changes: dict = dict(address)
        if address:
            changes["address_fixed_on"] = ido_date
        if target_setai_no != source:
            changes["setai_no"] = target_setai_no
            if new_household and p.atena_no == new_head:
                changes["zokugara"] = HEAD
            else:
                changes["zokugara"] = _zokugara(zokugara.get(p.atena_no) or (None if p.is_head else p.zokugara), p.atena_no)
        elif p.atena_no in zokugara:
            changes["zokugara"] = _zokugara(zokugara[p.atena_no], p.atena_no)
        moved.append(Change(p.with_(**changes), reason))
    if new_household and (new_head not in movers):
        raise invalid("REGISTRY_NEW_HEAD_NOT_MEMBER", "新しい世帯の世帯主は移る方から選んでください", "new_head")
    if whole:
        return moved
    return moved + _leave(list(household.values()), set(movers), remaining_head, remaining_zokugara)


def merge(from_household: dict[str, Person], into_household: dict[str, Person], *, into_setai_no: str,
          zokugara: dict[str, str], ido_date: date) -> list[Change]:
    """世帯合併: every member of one household joins another at the same address."""
    movers = [p for p in from_household.values() if p.is_resident]
    targets = [p for p in into_household.values() if p.is_resident]
    if not movers or not targets:
        raise ValidationError("REGISTRY_HOUSEHOLD_EMPTY", "合併する世帯に住民がいません")
    if {p.address for p in movers} != {targets[0].address}:
        raise invalid("REGISTRY_MERGE_DIFFERENT_ADDRESS", "住所が異なる世帯は合併できません（先に転居を登録してください）", "into_setai_no")
    check_ido_date(movers, ido_date)
    return [
        Change(p.with_(setai_no=into_setai_no, zokugara=_zokugara(zokugara.get(p.atena_no), p.atena_no)), MERGE)
        for p in movers
    ]


def rename(person: Person, *, shimei: str, shimei_kana: str, kyu_uji: str | None, ido_date: date) -> list[Change]:
    """氏名変更 (e.g. after marriage): the new name as entered; 旧氏 may be recorded."""
    require_residents([person])
    check_ido_date([person], ido_date)
    changes = {"shimei": shimei, "shimei_kana": shimei_kana}
    if kyu_uji is not None:
        changes["kyu_uji"] = kyu_uji or None
    return [Change(person.with_(**changes), RENAME)]


def correct(person: Person, changes: dict) -> list[Change]:
    """職権修正: the clerk corrects items of a current or removed record."""
    bad = sorted(set(changes) - set(CORRECTABLE))
    if bad:
        raise invalid("REGISTRY_ITEM_NOT_CORRECTABLE", f"職権修正できない項目です：{', '.join(bad)}", "changes")
    if not changes:
        raise invalid("REGISTRY_NOTHING_TO_CORRECT", "修正する項目を指定してください", "changes")
    for name, value in changes.items():
        if name == "address_attributes":
            ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        else:
            ok = value is None or isinstance(value, str | date)
        if not ok:
            raise invalid("REGISTRY_ITEM_TYPE_INVALID", f"{ITEM_NAMES.get(name, name)}の値の形式が正しくありません", name)
    if "zokugara" in changes and (changes["zokugara"] == HEAD) != person.is_head:
        raise invalid("REGISTRY_USE_HEAD_CHANGE", "世帯主の変更は世帯変更届（世帯主変更）で登録してください", "zokugara")
    return [Change(person.with_(**changes), CORRECTION)]


def restore(before: Person, current: Person) -> Change:
    """取消し: a mistaken entry is undone by appending the state before it."""
    return Change(before.with_(rireki_no=current.rireki_no), CANCELLATION)


def withdraw_created(current: Person, ido_date: date) -> Change:
    """取消し of the entry that created a record (誤った転入・出生): the record is removed."""
    return Change(current.with_(status=REMOVED, removal_reason=CANCELLATION, removed_on=ido_date), CANCELLATION)


def fresh(p: Person) -> Person:
    return p.with_(status=RESIDENT, rireki_no=0)
