"""Building the record of a new resident (転入・出生) and checking unique codes."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from municloud.errors import ConflictError
from municloud.jp.codes import generate_juminhyo_code
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry.domain import RESIDENT, Person
from municloud.modules.registry.orm import ResidentIndex, ResidentRecord
from municloud.modules.registry.schemas import PersonIn

_rng = random.SystemRandom()


def new_atena_no(uow: UnitOfWork) -> str:
    return f"{next_value(uow, 'registry.atena_no'):010d}"


def new_setai_no(uow: UnitOfWork) -> str:
    return f"{next_value(uow, 'registry.setai_no'):010d}"


def new_juminhyo_code(uow: UnitOfWork) -> str:
    """A fresh 住民票コード (stands in for the 住基ネット's allocation), unused in this tenant."""
    while True:
        code = generate_juminhyo_code(_rng)
        taken = uow.session.scalar(select(ResidentIndex.atena_no).where(ResidentIndex.juminhyo_code == code))
        if taken is None:
            return code


def build_person(
    uow: UnitOfWork,
    data: PersonIn,
    *,
    setai_no: str,
    zokugara: str,
    birth_date: date,
    address: dict,
    became_resident_on: date,
    address_fixed_on: date,
    previous_address: str | None,
) -> Person:
    """A new resident's first state (validated later with every other change)."""
    from municloud.modules.registry.services.notifications import parse_day

    return Person(
        atena_no=new_atena_no(uow),
        status=RESIDENT,
        resident_kind=data.resident_kind,
        setai_no=setai_no,
        zokugara=zokugara,
        shimei=data.shimei,
        shimei_kana=data.shimei_kana,
        birth_date=birth_date,
        sex=data.sex,
        juminhyo_code=data.juminhyo_code or new_juminhyo_code(uow),
        became_resident_on=became_resident_on,
        address_fixed_on=address_fixed_on,
        kyu_uji=data.kyu_uji,
        kyu_uji_kana=data.kyu_uji_kana,
        tsusho=data.tsusho,
        tsusho_kana=data.tsusho_kana,
        honseki=data.honseki,
        hittosha=data.hittosha,
        nationality=data.nationality,
        zairyu_shikaku=data.zairyu_shikaku,
        zairyu_kikan=data.zairyu_kikan,
        zairyu_kikan_end=parse_day(data.zairyu_kikan_end, "zairyu_kikan_end", "在留期間の満了の日", required=False),
        zairyu_card_no=data.zairyu_card_no,
        my_number=data.my_number,
        previous_address=previous_address,
        **address,
    )


def check_unique_codes(uow: UnitOfWork, persons: Iterable[Person]) -> None:
    """住民票コード and 個人番号 belong to one current resident of the tenant.

    A number found only on a 除票 is allowed: that is the same person moving back
    (再転入), who gets a new 宛名番号 while the old record stays as it was.
    """
    seen: dict[tuple[str, str], str] = {}
    for p in persons:
        stored = uow.session.get(ResidentRecord, (uow.tenant_code, p.atena_no, p.rireki_no)) if p.rireki_no else None
        for label, column, value in (
            ("住民票コード", ResidentIndex.juminhyo_code, p.juminhyo_code),
            ("個人番号", ResidentRecord.my_number, p.my_number),
        ):
            if not value:
                continue
            key = (label, value)
            if key in seen and seen[key] != p.atena_no:
                raise ConflictError("REGISTRY_CODE_DUPLICATE", f"{label}が同じ方が2人います")
            seen[key] = p.atena_no
            if stored is not None and value in (stored.juminhyo_code, stored.my_number):
                continue  # unchanged: it was unique when it was stored
            stmt = select(ResidentIndex.atena_no).where(
                column == value, ResidentIndex.status == RESIDENT, ResidentIndex.atena_no != p.atena_no
            )
            if column is ResidentRecord.my_number:  # kept on the current history row only
                stmt = stmt.join(
                    ResidentRecord,
                    (ResidentRecord.tenant_code == ResidentIndex.tenant_code)
                    & (ResidentRecord.atena_no == ResidentIndex.atena_no)
                    & (ResidentRecord.rireki_no == ResidentIndex.rireki_no),
                )
            other = uow.session.scalar(stmt.limit(1))
            if other is not None:
                raise ConflictError(
                    "REGISTRY_CODE_DUPLICATE",
                    f"この{label}はすでに別の住民（宛名番号 {other}）に記録されています",
                )
