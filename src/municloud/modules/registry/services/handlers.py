"""One handler per notification kind: read what is needed, ask ``moves`` for the changes."""

from __future__ import annotations

from sqlalchemy import select

from municloud.errors import ConflictError, NotFoundError, ValidationError
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import moves
from municloud.modules.registry import repository as repo
from municloud.modules.registry.domain import HEAD, invalid
from municloud.modules.registry.orm import Notification
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
from municloud.modules.registry.services import addresses, newcomers, planned
from municloud.modules.registry.services.notifications import Input, parse_day
from municloud.modules.registry.services.plans import Plan

DATE_ITEMS = {"birth_date": "生年月日", "zairyu_kikan_end": "在留期間の満了の日",
              "became_resident_on": "住民となった年月日", "address_fixed_on": "住所を定めた年月日"}


def _one_household(persons: dict) -> str:
    setai = {p.setai_no for p in persons.values()}
    if len(setai) != 1:
        raise invalid("REGISTRY_MIXED_HOUSEHOLDS", "一度に届け出られるのは同じ世帯の方だけです", "atena_nos")
    return setai.pop()


def _same_address(members: dict, address: str) -> None:
    """Joining a household means living at its address (a household has one 住所)."""
    if members and next(iter(members.values())).address != address:
        raise invalid(
            "REGISTRY_JOIN_DIFFERENT_ADDRESS", "入る世帯と住所が異なります（世帯の住所を入力してください）", "address"
        )


def tennyu(uow: UnitOfWork, inp: Input, n: Tennyu) -> Plan:
    jiyu = moves.TENNYU_ABROAD if n.from_abroad else moves.TENNYU
    if not n.previous_address.strip():
        raise invalid("REGISTRY_ITEM_REQUIRED", "転入前住所を入力してください", "previous_address")
    new_households: list[str] = []
    members = None
    if n.join_setai_no:
        members = repo.load_household(uow, n.join_setai_no)
        if not members:
            raise ValidationError("REGISTRY_HOUSEHOLD_EMPTY", f"世帯番号 {n.join_setai_no} の世帯には住民がいません")
        _same_address(members, n.address.address)
    address = addresses.new_address(uow, n.address, inp.ido_date, "tennyu", members)
    if n.join_setai_no:
        setai_no = n.join_setai_no
    else:
        setai_no = newcomers.new_setai_no(uow)
        new_households.append(setai_no)
    changes = []
    prefixes = {}
    for i, data in enumerate(n.persons):
        # each person's problems are collected (and the person left out of the plan): the
        # others' items are still checked, and every problem is reported at once
        with inp.problems.catch(lambda name, i=i: f"persons.{i}.{name}"):
            zokugara = data.zokugara or (HEAD if len(n.persons) == 1 and not n.join_setai_no else None)
            if not zokugara:
                raise invalid("REGISTRY_ZOKUGARA_REQUIRED", f"{i + 1}人目の続柄を入力してください", "zokugara")
            birth = parse_day(data.birth_date, "birth_date", "生年月日")
            became = parse_day(data.became_resident_on, "became_resident_on", "住民となった年月日", required=False)
            person = newcomers.build_person(
                uow, data, setai_no=setai_no, zokugara=zokugara, birth_date=birth, address=address,
                became_resident_on=became or inp.ido_date, address_fixed_on=inp.ido_date,
                previous_address=n.previous_address,
            )
            prefixes[person.atena_no] = f"persons.{i}."
            changes.append(moves.Change(person, jiyu))
    return Plan(jiyu, changes, households={setai_no}, new_households=new_households, field_prefix=prefixes,
                address=address)


def tenkyo(uow: UnitOfWork, inp: Input, n: Tenkyo) -> Plan:
    persons = repo.load_persons(uow, n.atena_nos)
    moves.require_residents(persons.values())
    moves.require_no_planned_move(persons.values())
    source = _one_household(persons)
    household = repo.load_household(uow, source)
    whole = set(household) == set(n.atena_nos)
    new_households = []
    joined = None
    if n.join_setai_no:
        target = n.join_setai_no
        joined = repo.load_household(uow, target)
        _same_address(joined, n.address.address)
    elif n.new_household:
        target = newcomers.new_setai_no(uow)
        new_households.append(target)
    elif whole:
        target = source
    else:
        raise invalid(
            "REGISTRY_PARTIAL_MOVE_NEEDS_HOUSEHOLD",
            "世帯の一部の方だけが転居するときは、新しい世帯を作るか、入る世帯を指定してください",
            "new_household",
        )
    address = addresses.new_address(uow, n.address, inp.ido_date, "tenkyo", joined)
    changes = moves.relocate(
        household, n.atena_nos, ido_date=inp.ido_date, address=address,
        target_setai_no=target, new_household=n.new_household, new_head=n.new_head, zokugara=n.zokugara,
        remaining_head=n.remaining_head, remaining_zokugara=n.remaining_zokugara,
    )
    return Plan(moves.TENKYO, changes, households={source, target}, new_households=new_households, address=address)


def tenshutsu(uow: UnitOfWork, inp: Input, n: Tenshutsu) -> Plan:
    """転出 (its 予定日 has come: removed now), 転出予定 (filed ahead: removed on the 予定日,
    ``services.planned``) or 転出確定 (the new municipality's 転入通知)."""
    if not n.destination.strip():
        raise invalid("REGISTRY_ITEM_REQUIRED", "転出先住所を入力してください", "destination")
    persons = repo.load_persons(uow, n.atena_nos)
    if n.stage == "kakutei":
        notified = parse_day(n.notified_on, "notified_on", "転入通知年月日")
        if notified > inp.today:
            raise invalid("REGISTRY_DATE_IN_FUTURE", "転入通知年月日が未来の日付です", "notified_on")
        if any(p.is_resident for p in persons.values()):
            # the 転入通知 came before the 予定日: 除票 now, on the earlier of 予定日 and 転入日
            target = planned.pending_of(uow, list(persons.values()))
            return planned.carry_out(uow, target, removed_on=min(target.ido_date, inp.ido_date),
                                     confirm=(n.destination, notified), whole=list(n.atena_nos))
        changes = moves.confirm_move_out(list(persons.values()), destination=n.destination, notified_on=notified)
        return Plan(moves.TENSHUTSU_KAKUTEI, changes)
    moves.require_residents(persons.values())
    moves.require_no_planned_move(persons.values())
    source = _one_household(persons)
    household = repo.load_household(uow, source)
    if inp.ido_date > inp.today:
        return planned.plan(household, n.atena_nos, ido_date=inp.ido_date, destination=n.destination,
                            abroad=n.abroad, new_head=n.new_head, zokugara=n.zokugara)
    changes = moves.move_out(
        household, n.atena_nos, ido_date=inp.ido_date, destination=n.destination, abroad=n.abroad,
        new_head=n.new_head, zokugara=n.zokugara,
    )
    return Plan(moves.TENSHUTSU_ABROAD if n.abroad else moves.TENSHUTSU, changes, households={source})


def shussei(uow: UnitOfWork, inp: Input, n: Shussei) -> Plan:
    household = repo.load_household(uow, n.setai_no)
    if not household:
        raise ValidationError("REGISTRY_HOUSEHOLD_EMPTY", f"世帯番号 {n.setai_no} の世帯には住民がいません")
    birth = parse_day(n.person.birth_date, "birth_date", "生年月日", required=False) or inp.ido_date
    if birth != inp.ido_date:
        raise invalid("REGISTRY_BIRTH_DATE_MISMATCH", "出生の異動日は生年月日と同じ日です", "ido_date")
    if not n.person.zokugara:
        raise invalid("REGISTRY_ZOKUGARA_REQUIRED", "続柄を入力してください（例：子）", "zokugara")
    sample = next(iter(household.values()))
    address = {"address": sample.address, "katagaki": sample.katagaki, "postal_code": sample.postal_code,
               "address_attributes": dict(sample.address_attributes or {})}
    person = newcomers.build_person(
        uow, n.person, setai_no=n.setai_no, zokugara=n.person.zokugara, birth_date=birth, address=address,
        became_resident_on=birth, address_fixed_on=birth, previous_address=None,
    )
    return Plan(moves.SHUSSEI, [moves.Change(person, moves.SHUSSEI)], households={n.setai_no},
                field_prefix={person.atena_no: "person."})


def shibou(uow: UnitOfWork, inp: Input, n: Shibou) -> Plan:
    person = repo.load_persons(uow, [n.atena_no])[n.atena_no]
    moves.require_residents([person])
    household = repo.load_household(uow, person.setai_no)
    changes = moves.death(household, n.atena_no, ido_date=inp.ido_date, new_head=n.new_head, zokugara=n.zokugara)
    return Plan(moves.SHIBOU, changes, households={person.setai_no})


def setai_henko(uow: UnitOfWork, inp: Input, n: SetaiHenko) -> Plan:
    household = repo.load_household(uow, n.setai_no)
    if n.type == "head_change":
        if not n.new_head:
            raise invalid("REGISTRY_NEW_HEAD_REQUIRED", "新しい世帯主を指定してください", "new_head")
        moves.check_ido_date(household.values(), inp.ido_date)
        changes = moves.reassign(list(household.values()), False, n.new_head, n.zokugara)
        return Plan(moves.HEAD_CHANGE, changes, households={n.setai_no})
    if n.type == "split":
        if not n.atena_nos or set(n.atena_nos) >= set(household):
            raise invalid("REGISTRY_SPLIT_INVALID", "世帯分離では、世帯の一部の方を指定してください", "atena_nos")
        target = newcomers.new_setai_no(uow)
        changes = moves.relocate(
            household, n.atena_nos, ido_date=inp.ido_date, address={}, target_setai_no=target,
            new_household=True, new_head=n.new_head, zokugara=n.zokugara, remaining_head=n.remaining_head,
            remaining_zokugara=n.remaining_zokugara, reason=moves.SPLIT,
        )
        return Plan(moves.SPLIT, changes, households={n.setai_no, target}, new_households=[target])
    if not n.into_setai_no or n.into_setai_no == n.setai_no:
        raise invalid("REGISTRY_MERGE_TARGET_REQUIRED", "合併先の世帯番号を指定してください", "into_setai_no")
    into = repo.load_household(uow, n.into_setai_no)
    changes = moves.merge(household, into, into_setai_no=n.into_setai_no, zokugara=n.zokugara, ido_date=inp.ido_date)
    return Plan(moves.MERGE, changes, households={n.setai_no, n.into_setai_no})


def shimei_henko(uow: UnitOfWork, inp: Input, n: ShimeiHenko) -> Plan:
    person = repo.load_persons(uow, [n.atena_no])[n.atena_no]
    changes = moves.rename(person, shimei=n.shimei, shimei_kana=n.shimei_kana, kyu_uji=n.kyu_uji, ido_date=inp.ido_date)
    return Plan(moves.RENAME, changes)


def shokken_shusei(uow: UnitOfWork, inp: Input, n: ShokkenShusei) -> Plan:
    if not (n.note or "").strip():
        raise invalid("REGISTRY_REASON_REQUIRED", "職権修正の理由を備考に入力してください", "note")
    person = repo.load_persons(uow, [n.atena_no])[n.atena_no]
    changes = dict(n.changes)
    for name, label in DATE_ITEMS.items():
        if name in changes:
            # only 在留期間の満了の日 may be cleared; the others are required items of the record
            changes[name] = parse_day(changes[name], name, label, required=name != "zairyu_kikan_end")
    return Plan(moves.CORRECTION, moves.correct(person, changes))


def torikeshi(uow: UnitOfWork, inp: Input, n: Torikeshi) -> Plan:
    """取消し: append, for each person, the state before the cancelled entry (標準仕様書 4.6.0.1:
    履歴を上積みして元の状態に復元).  Planned moves (転出予定) follow ``planned.cancellation``."""
    if not (n.note or "").strip():
        raise invalid("REGISTRY_REASON_REQUIRED", "取消しの理由を備考に入力してください", "note")
    target = uow.session.get(Notification, (uow.tenant_code, n.notification_id))
    if target is None:
        raise NotFoundError("REGISTRY_NOTIFICATION_NOT_FOUND", f"異動番号 {n.notification_id} の届出は見つかりません")
    if target.cancelled_by is not None:
        raise ConflictError("REGISTRY_ALREADY_CANCELLED", f"異動番号 {n.notification_id} はすでに取り消されています")
    if target.kind == "torikeshi":
        raise ValidationError("REGISTRY_CANCEL_OF_CANCEL", "取消しを取り消すことはできません（職権修正で対応してください）")
    how = planned.cancellation(uow, target)
    entry = how.rows_of
    records = repo.current_records(uow, entry.atena_nos)
    changes = []
    for atena_no in entry.atena_nos:
        record = records[atena_no]
        if record.notification_id != entry.notification_id:
            raise ConflictError(
                "REGISTRY_CANCEL_NOT_LATEST",
                f"宛名番号 {atena_no} の方には、この届出の後に別の異動があるため取り消せません（後の異動から取り消してください）",
            )
        current = repo.to_person(record)
        if record.rireki_no == 1:
            changes.append(moves.withdraw_created(current, inp.ido_date))
            continue
        before = repo.to_person(repo.record_at(uow, atena_no, record.rireki_no - 1))
        if atena_no in how.cleared:
            before = before.with_(**planned.CLEARED)
        changes.append(moves.restore(before, current))
    households = set(target.setai_nos) | set(entry.setai_nos)

    def mark_cancelled() -> None:
        for cancelled in (target, *how.also_cancelled):
            cancelled.cancelled_by = inp.notification_id
            cancelled.due_on = None
        if how.reopen is not None and how.reopen.cancelled_by is None:
            how.reopen.due_on = how.reopen.ido_date  # the 転出予定 waits for its 予定日 again

    return Plan(moves.CANCELLATION, changes, households=households, cancels=target.notification_id, after=mark_cancelled)


HANDLERS = {
    "tennyu": tennyu,
    "tenkyo": tenkyo,
    "tenshutsu": tenshutsu,
    "shussei": shussei,
    "shibou": shibou,
    "setai_henko": setai_henko,
    "shimei_henko": shimei_henko,
    "shokken_shusei": shokken_shusei,
    "torikeshi": torikeshi,
}

__all__ = ["HANDLERS", "select"]
