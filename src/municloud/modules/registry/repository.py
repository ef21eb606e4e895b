"""Database access of the registry: reading current states, appending snapshots.

Only services call this module; it never commits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from municloud.errors import NotFoundError
from municloud.jp.address import address_search_key
from municloud.jp.chars import name_search_key
from municloud.jp.kana import kana_search_key
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry.domain import HEAD, RESIDENT, Person
from municloud.modules.registry.moves import Change
from municloud.modules.registry.orm import Household, Notification, ResidentIndex, ResidentRecord

PERSON_FIELDS = tuple(f.name for f in dataclasses.fields(Person))
RECORD_ONLY = ("rireki_no",)


@dataclass(frozen=True)
class ChangeMeta:
    """The change metadata every snapshot row carries (field names are column names)."""

    notification_id: int
    ido_date: date
    todoke_date: date | None
    processed_at: datetime
    processed_by: str
    input_place: str | None
    input_terminal: str | None


def to_person(record: ResidentRecord) -> Person:
    return Person(**{name: getattr(record, name) for name in PERSON_FIELDS})


def not_found(atena_no: str) -> NotFoundError:
    return NotFoundError("REGISTRY_RESIDENT_NOT_FOUND", f"宛名番号 {atena_no} の住民は見つかりません")


def current_records(uow: UnitOfWork, atena_nos: Iterable[str]) -> dict[str, ResidentRecord]:
    atena_nos = list(dict.fromkeys(atena_nos))
    if not atena_nos:
        return {}
    stmt = (
        select(ResidentRecord)
        .join(
            ResidentIndex,
            (ResidentIndex.tenant_code == ResidentRecord.tenant_code)
            & (ResidentIndex.atena_no == ResidentRecord.atena_no)
            & (ResidentIndex.rireki_no == ResidentRecord.rireki_no),
        )
        .where(ResidentIndex.atena_no.in_(atena_nos))
    )
    return {r.atena_no: r for r in uow.session.scalars(stmt)}


def load_persons(uow: UnitOfWork, atena_nos: Iterable[str]) -> dict[str, Person]:
    """Current states of *atena_nos*; NotFoundError naming the first one missing."""
    atena_nos = list(atena_nos)
    found = {a: to_person(r) for a, r in current_records(uow, atena_nos).items()}
    for a in atena_nos:
        if a not in found:
            raise not_found(a)
    return found


def household_atena_nos(uow: UnitOfWork, setai_no: str) -> list[str]:
    return list(
        uow.session.scalars(
            select(ResidentIndex.atena_no)
            .where(ResidentIndex.setai_no == setai_no, ResidentIndex.status == RESIDENT)
            .order_by(ResidentIndex.is_head.desc(), ResidentIndex.atena_no)
        )
    )


def households_atena_nos(uow: UnitOfWork, setai_nos: Iterable[str]) -> list[str]:
    """Current residents of several households at once."""
    return list(
        uow.session.scalars(
            select(ResidentIndex.atena_no).where(
                ResidentIndex.setai_no.in_(list(setai_nos)), ResidentIndex.status == RESIDENT
            )
        )
    )


def load_household(uow: UnitOfWork, setai_no: str) -> dict[str, Person]:
    """Current residents of household *setai_no* (NotFoundError if it does not exist)."""
    if uow.session.get(Household, (uow.tenant_code, setai_no)) is None:
        raise NotFoundError("REGISTRY_HOUSEHOLD_NOT_FOUND", f"世帯番号 {setai_no} の世帯は見つかりません")
    return load_persons(uow, household_atena_nos(uow, setai_no))


def history(uow: UnitOfWork, atena_no: str) -> list[ResidentRecord]:
    rows = list(
        uow.session.scalars(
            select(ResidentRecord).where(ResidentRecord.atena_no == atena_no).order_by(ResidentRecord.rireki_no)
        )
    )
    if not rows:
        raise not_found(atena_no)
    return rows


def late_notifications(uow: UnitOfWork, notification_ids: Iterable[int]) -> set[int]:
    """Which of *notification_ids* were flagged 届出期間経過."""
    ids = list(notification_ids)
    if not ids:
        return set()
    return set(uow.session.scalars(
        select(Notification.notification_id).where(Notification.notification_id.in_(ids),
                                                   Notification.late_notice.is_(True))
    ))


def record_at(uow: UnitOfWork, atena_no: str, rireki_no: int) -> ResidentRecord | None:
    return uow.session.get(ResidentRecord, (uow.tenant_code, atena_no, rireki_no))


def add_household(uow: UnitOfWork, setai_no: str, created_on: date) -> None:
    uow.session.add(Household(tenant_code=uow.tenant_code, setai_no=setai_no, created_on=created_on))


def dissolve_households(uow: UnitOfWork, setai_nos: Iterable[str], on: date) -> None:
    for setai_no in setai_nos:
        household = uow.session.get(Household, (uow.tenant_code, setai_no))
        if household is not None and household.dissolved_on is None:
            household.dissolved_on = on


def revive_household(uow: UnitOfWork, setai_no: str) -> None:
    household = uow.session.get(Household, (uow.tenant_code, setai_no))
    if household is not None:
        household.dissolved_on = None


def _given(full: str) -> str:
    """The part after the first space (名 of 氏　名), or "" when the name has no space."""
    parts = full.replace("\u3000", " ").split(" ", 1)
    return parts[1] if len(parts) == 2 else ""


def search_keys(p: Person) -> dict:
    """Derived search keys (never the stored value): MJ 縮退 name, folded kana, address."""
    alt = alt_kana = None
    if p.tsusho:
        alt = name_search_key(p.tsusho)
        alt_kana = kana_search_key(p.tsusho_kana) if p.tsusho_kana else None
    elif p.kyu_uji:
        alt = name_search_key(p.kyu_uji + _given(p.shimei))
        alt_kana = kana_search_key(p.kyu_uji_kana + _given(p.shimei_kana)) if p.kyu_uji_kana else None
    return {
        "name_key": name_search_key(p.shimei),
        "alt_name_key": alt,
        "kana_key": kana_search_key(p.shimei_kana),
        "alt_kana_key": alt_kana,
        "address_key": address_search_key((p.address or "") + (p.katagaki or "")),
    }


def record_row(tenant_code: str, person: Person, rireki_no: int, ido_jiyu: str, meta: ChangeMeta) -> dict:
    row = {name: getattr(person, name) for name in PERSON_FIELDS}
    row.update(tenant_code=tenant_code, rireki_no=rireki_no, ido_jiyu=ido_jiyu, **vars(meta))
    return row


def index_row(tenant_code: str, person: Person, rireki_no: int) -> dict:
    return {
        "tenant_code": tenant_code,
        "atena_no": person.atena_no,
        "rireki_no": rireki_no,
        "status": person.status,
        "setai_no": person.setai_no,
        "is_head": person.zokugara == HEAD and person.status == RESIDENT,
        "birth_date": person.birth_date,
        "juminhyo_code": person.juminhyo_code,
        **search_keys(person),
    }


def append(uow: UnitOfWork, changes: list[Change], meta: ChangeMeta) -> list[str]:
    """Append one snapshot per change and move each person's current pointer to it.

    The new 履歴番号 is the stored current one + 1 (1 for a new person).  The index row is
    versioned: a concurrent writer that got there first makes this flush fail, and the
    unit of work turns that into a conflict error — nothing is lost or half-written.
    """
    from municloud.errors import ConflictError

    session = uow.session
    atena_nos = [c.person.atena_no for c in changes]
    indexes = {
        i.atena_no: i for i in session.scalars(select(ResidentIndex).where(ResidentIndex.atena_no.in_(atena_nos)))
    }
    numbers = {}
    for change in changes:
        p = change.person
        index = indexes.get(p.atena_no)
        if index is not None and index.rireki_no != p.rireki_no:
            raise ConflictError(
                "REGISTRY_STALE_RECORD",
                f"宛名番号 {p.atena_no} の記録は他の職員が更新しました。開き直してから入力してください",
            )
        numbers[p.atena_no] = (index.rireki_no if index else 0) + 1
        session.add(ResidentRecord(**record_row(uow.tenant_code, p, numbers[p.atena_no], change.ido_jiyu, meta)))
    session.flush()  # history rows first: the index points at them
    for change in changes:
        p = change.person
        values = index_row(uow.tenant_code, p, numbers[p.atena_no])
        index = indexes.get(p.atena_no)
        if index is None:
            session.add(ResidentIndex(version=1, **values))
        else:
            for key, value in values.items():
                setattr(index, key, value)
    session.flush()
    return atena_nos
