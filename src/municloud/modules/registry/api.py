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
from municloud.modules.registry.orm import ResidentIndex

__all__ = ["REMOVED", "RESIDENT", "PersonCard", "person_for_document", "persons_for_document"]


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
