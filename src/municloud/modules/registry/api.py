"""The registry's small public read interface for other modules (印鑑登録, 税, 国保 …).

Other modules may import this file and ``registry.events``, nothing else of the registry.
The functions here check no permission and write no audit entry: they are called inside
the *calling* module's use case (its ``with uow`` block), which has already checked its
own permission and audits what it does with the person (e.g. ``seals:certificate:issue``
names ``resident:{宛名番号}`` among its subjects).

What is returned is the current record's items needed to print or decide something about
a person — never the 個人番号, 住民票コード or 本籍.  Names are exactly as stored (IVS kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import repository as repo
from municloud.modules.registry.domain import REMOVED, RESIDENT, SEX
from municloud.modules.registry.fields import ATENA_NO
from municloud.modules.registry.orm import ResidentIndex

__all__ = [
    "ATENA_NO", "REMOVED", "RESIDENT", "PersonCard", "ResidentOnDay", "existing_atena_nos", "person_for_document",
    "persons_for_document", "residents_on", "support_refusal",
]


@dataclass(frozen=True)
class PersonCard:
    """A person's current record as another module needs it (no audit of its own)."""

    atena_no: str  # 宛名番号
    rireki_no: int  # 履歴番号 of the record read
    status: str  # "resident" (住民) / "removed" (除票)
    shimei: str  # 氏名, exactly as stored (IVS kept; never normalised)
    shimei_kana: str  # フリガナ
    name_ivs_collection: str | None  # Moji_Joho / Adobe-Japan1 when the name carries IVS
    kyu_uji: str | None  # 旧氏 (recorded on request)
    tsusho: str | None  # 通称 (foreign residents)
    birth_date: date  # 生年月日
    sex: str  # "1" / "2"
    sex_label: str  # 男 / 女
    resident_kind: str  # 日本人 / 外国人
    address: str  # 住所
    katagaki: str | None  # 方書
    removal_reason: str | None  # 消除事由 (転出, 死亡 …) when removed
    removed_on: date | None  # 消除日

    @property
    def is_resident(self) -> bool:
        return self.status == RESIDENT

    @property
    def full_address(self) -> str:
        """住所 followed by 方書 (as printed on certificates)."""
        return f"{self.address}\u3000{self.katagaki}" if self.katagaki else self.address


def persons_for_document(
    uow: UnitOfWork, atena_nos: Iterable[str], *, lock: bool = False
) -> dict[str, PersonCard]:
    """Current records of *atena_nos* (inside the caller's ``with uow``).

    Raises ``NotFoundError`` (``REGISTRY_RESIDENT_NOT_FOUND``) naming the first unknown
    宛名番号.  Removed persons (除票) are returned too: the caller decides.

    ``lock``: hold the persons' current-state rows (``FOR UPDATE``) until the caller's
    transaction ends.  A notification about them (転出・死亡 …) then waits for the caller,
    or the caller waits for it and reads the new state — so a decision taken on "is a
    resident" cannot be overtaken by a concurrent removal (PostgreSQL; SQLite serialises
    writers anyway).
    """
    atena_nos = list(atena_nos)
    if lock and atena_nos:
        uow.session.execute(
            select(ResidentIndex.atena_no).where(ResidentIndex.atena_no.in_(atena_nos)).with_for_update()
        ).all()
    persons = repo.load_persons(uow, atena_nos)
    return {
        a: PersonCard(
            atena_no=p.atena_no,
            rireki_no=p.rireki_no,
            status=p.status,
            shimei=p.shimei,
            shimei_kana=p.shimei_kana,
            name_ivs_collection=p.name_ivs_collection,
            kyu_uji=p.kyu_uji,
            tsusho=p.tsusho,
            birth_date=p.birth_date,
            sex=p.sex,
            sex_label=SEX.get(p.sex, p.sex),
            resident_kind=p.resident_kind,
            address=p.address,
            katagaki=p.katagaki,
            removal_reason=p.removal_reason,
            removed_on=p.removed_on,
        )
        for a, p in persons.items()
    }


def person_for_document(uow: UnitOfWork, atena_no: str, *, lock: bool = False) -> PersonCard:
    """The current record of one person (see :func:`persons_for_document`)."""
    return persons_for_document(uow, [atena_no], lock=lock)[atena_no]


@dataclass(frozen=True)
class ResidentOnDay:
    """A person registered in the tenant on a given day (e.g. the tax 賦課期日)."""

    atena_no: str  # 宛名番号
    setai_no: str  # 世帯番号 on that day
    zokugara: str  # 続柄 on that day (世帯主, 妻, 子 …)
    birth_date: date  # 生年月日 (from the current record: corrections apply)
    sex: str  # "1" / "2"


def residents_on(uow: UnitOfWork, day: date, atena_nos: Iterable[str] | None = None) -> list[ResidentOnDay]:
    """Everyone whose record on *day* says 住民 (inside the caller's ``with uow``).

    Read from the history, not the current index: a person registered on 1 January who
    moved out in March is included; one who moved in on 2 January is not.  The record in
    force on *day* is the latest 履歴番号 whose 異動日 is not after *day*, ignoring
    notifications that were cancelled (取消し) and the cancellations themselves (a
    cancellation restores what was before, as if the cancelled notification never
    happened).  A person removed on *day* itself (転出・死亡 dated that day) is not
    registered on it.  A person with a 転出予定 is a resident until the daily job removes
    them with 異動日 = the 予定日, so they count on every day before it.  The birth date comes from the current record, so a later
    correction counts.  Ordered by 宛名番号.  *atena_nos*: only these persons.
    """
    from sqlalchemy import and_, func

    from municloud.modules.registry.orm import Notification, ResidentRecord

    h = ResidentRecord
    n = Notification
    only = None if atena_nos is None else list(atena_nos)
    valid = (
        select(h.atena_no.label("atena_no"), func.max(h.rireki_no).label("rireki_no"))
        .join(n, and_(n.tenant_code == h.tenant_code, n.notification_id == h.notification_id))
        .where(h.tenant_code == uow.tenant_code, h.ido_date <= day, n.cancelled_by.is_(None), n.cancels.is_(None))
        .group_by(h.atena_no)
    )
    if only is not None:
        valid = valid.where(h.atena_no.in_(only))
    valid = valid.subquery()
    # birth date from the current index (a later correction counts); sex as recorded that day
    rows = uow.session.execute(
        select(h.atena_no, h.setai_no, h.zokugara, ResidentIndex.birth_date, h.sex)
        .join(valid, and_(h.atena_no == valid.c.atena_no, h.rireki_no == valid.c.rireki_no))
        .join(ResidentIndex, ResidentIndex.atena_no == h.atena_no)
        .where(h.tenant_code == uow.tenant_code, h.status == RESIDENT,
               (h.removed_on.is_(None)) | (h.removed_on > day))
        .order_by(h.atena_no)
    ).all()
    return [ResidentOnDay(*row) for row in rows]


def existing_atena_nos(uow: UnitOfWork, atena_nos: Iterable[str]) -> set[str]:
    """Which of *atena_nos* are persons of the tenant (住民 or 除票), inside the caller's
    ``with uow`` — for another module validating references before it stores them."""
    wanted = list(dict.fromkeys(atena_nos))
    found: set[str] = set()
    for i in range(0, len(wanted), 5000):
        chunk = wanted[i:i + 5000]
        found.update(uow.session.scalars(select(ResidentIndex.atena_no).where(ResidentIndex.atena_no.in_(chunk))))
    return found


def support_refusal(uow: UnitOfWork, atena_nos: Iterable[str], *, requester_type: str, identity_checked: bool,
                    requester_atena_no: str | None) -> tuple[str, str] | None:
    """Why a request by *requester_type* touching *atena_nos* may not be served now because of
    a 支援措置 — ``(rule, Japanese message)`` — or None (inside the caller's ``with uow``).

    The registry's rules (``registry/protection.py``, 住民基本台帳事務処理要領 第5-10): only
    本人 with a checked identity is served; a 代理人 never.  A module without the registry's
    supervisor review (e.g. 印鑑登録証明書) refuses what the registry would hold, too.  The
    caller audits its refusal under its own action and never says who is protected.
    """
    from municloud.modules.registry import protection
    from municloud.modules.registry.services.support import protected_among

    gate = protection.decide(requester_type, identity_checked=identity_checked, requester_atena_no=requester_atena_no,
                             protected=protected_among(uow, list(atena_nos)))
    if gate.outcome == protection.ALLOW:
        return None
    return gate.rule, gate.message if gate.outcome == protection.REFUSE else protection.REFUSED_OTHER
