"""住所マスター（町字） use cases: load a tenant's file, list and search it, and find the
町字 of a new address (used by the 転入・転居 of ``services.addresses``).

* :func:`load_towns` replaces the tenant's whole master with a file in the ABR 町字 layout
  (``towns.layout``: all or nothing, every problem with its line); the file carries the
  history (効力発生日・廃止日), so loading the same file twice changes nothing.
* :func:`list_towns` — the 町字 in force on a day (or all, ended ones too), optionally those
  whose name or フリガナ contains a query (kana typed in hiragana or half-width is folded):
  the type-ahead of the 届出 screens and the admin's view, the API's ``GET /towns``.
* :func:`town_for_address` — the 町字 an address lies in on a day, or None when the tenant
  has no master at all (free text is then kept, as before the master existed).
* :func:`town_query` — whether the search box's query names a 町字 of the master.

The master holds no personal data: looks are not audited (a refused look is).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from pydantic import BaseModel
from sqlalchemy import delete, exists, func, or_, select

from municloud.errors import ValidationError
from municloud.jp.area import Area
from municloud.jp.kana import is_kana_query, kana_search_key
from municloud.jp.policy import DATE_MIN
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.tenants.area import tenant_area
from municloud.modules.registry import fields as f
from municloud.modules.registry.catalog import A_TOWN_LOAD, A_TOWN_VIEW, P_TOWN_LOAD, P_TOWN_VIEW
from municloud.modules.registry.domain import invalid
from municloud.modules.registry.towns.layout import parse_towns
from municloud.modules.registry.towns.matching import TownName, match, town_key
from municloud.modules.registry.towns.orm import Town

MAX_TOWNS = 500
MAX_FILE_BYTES = 32 << 20  # a designated city's ABR file is well under 10 MB


class TownView(BaseModel):
    """A 町字 of the master as the API and the screens show it."""

    machiaza_id: str
    name: str
    kana: str
    ward: str
    machiaza_type: str | None
    postal_code: str | None
    attributes: dict[str, str]
    valid_from: date | None  # None: from the start
    valid_to: date | None  # 廃止日: not in force on this day
    in_force: bool


@dataclass(frozen=True)
class TownLoadSummary:
    rows: int  # rows of the file (a renamed 町字 counts once per name)
    in_force: int  # of which in force today
    replaced: int  # rows of the master before
    sha256: str


def _view(t: Town, on: date) -> TownView:
    start = None if t.valid_from <= DATE_MIN else t.valid_from  # blank 効力発生日: from the start
    return TownView(machiaza_id=t.machiaza_id, name=t.name, kana=t.kana, ward=t.ward, machiaza_type=t.machiaza_type,
                    postal_code=t.postal_code, attributes=dict(t.attributes or {}), valid_from=start,
                    valid_to=t.valid_to, in_force=t.valid_from <= on and (t.valid_to is None or on < t.valid_to))


def _in_force(on: date):
    return (Town.valid_from <= on) & or_(Town.valid_to.is_(None), Town.valid_to > on)


def load_towns(uow: UnitOfWork, ctx: Context, data: bytes, file: str = "towns.csv") -> TownLoadSummary:
    """Replace the tenant's 住所マスター with *data* (the file's bytes), all or nothing."""
    with uow:
        uow.require(ctx, P_TOWN_LOAD, A_TOWN_LOAD)
        today = today_jst()
        area = tenant_area(uow, today)
        rows = parse_towns(data, uow.tenant_code, area.wards, file)
        replaced = uow.session.scalar(select(func.count()).select_from(Town)) or 0
        uow.session.execute(delete(Town).where(Town.tenant_code == uow.tenant_code))
        for r in rows:
            uow.session.add(Town(
                tenant_code=uow.tenant_code, machiaza_id=r.machiaza_id, valid_from=r.valid_from, valid_to=r.valid_to,
                machiaza_type=r.machiaza_type, ward=r.ward, name=r.name, kana=r.kana, name_key=r.key(area.wards),
                kana_key=kana_search_key(r.kana), postal_code=r.postal_code, attributes=r.attributes,
                source_line=r.line,
            ))
        digest = hashlib.sha256(data).hexdigest()
        current = sum(1 for r in rows if r.valid_from <= today and (r.valid_to is None or today < r.valid_to))
        uow.audit.record(ctx, A_TOWN_LOAD, subjects=["towns"],
                         detail={"file": file, "sha256": digest, "rows": len(rows), "replaced": replaced})
        uow.commit()
        return TownLoadSummary(len(rows), current, replaced, digest)


def read_upload(stream: BinaryIO, filename: str | None) -> tuple[bytes, str]:
    """An uploaded file's bytes and base name (the API and the screen), refused when larger
    than :data:`MAX_FILE_BYTES` (uploads are outside the request-size limit)."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError("REGISTRY_TOWNS_FILE_TOO_LARGE",
                              f"町字のファイルが大きすぎます（{MAX_FILE_BYTES >> 20} MB まで）", fields={"file": "大きすぎます"})
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return data, name if name and name.isprintable() and len(name) <= 100 else "towns.csv"  # it goes to the audit


def list_towns(uow: UnitOfWork, ctx: Context, q: str | None = None, on: date | None = None, *,
               include_ended: bool = False, limit: int = 50) -> list[TownView]:
    """町字 in force on *on* (default today; all periods with *include_ended*) whose name or
    フリガナ contains *q*: those beginning with it first, then by フリガナ."""
    with uow:
        uow.require(ctx, P_TOWN_VIEW, A_TOWN_VIEW)
        day = on or today_jst()
        stmt = select(Town)
        if not include_ended:
            stmt = stmt.where(_in_force(day))
        text = f.TOWN_QUERY.check((q or "").strip(), "q") if q else ""
        kana = kana_search_key(text) if text and is_kana_query(text) else ""
        key = town_key(text) if text else ""
        if text:
            stmt = stmt.where(Town.kana_key.contains(kana, autoescape=True) if kana
                              else or_(Town.name_key.contains(key, autoescape=True),
                                       Town.name.contains(text.strip(), autoescape=True)))
        towns = list(uow.session.scalars(stmt.order_by(Town.kana_key, Town.machiaza_id, Town.valid_from)
                                         .limit(MAX_TOWNS if text else max(1, min(limit, MAX_TOWNS)))))
        if text:
            towns.sort(key=lambda t: (not (t.kana_key.startswith(kana) if kana else t.name_key.startswith(key)),
                                      t.kana_key))
        return [_view(t, day) for t in towns[:max(1, min(limit, MAX_TOWNS))]]


def has_master(uow: UnitOfWork) -> bool:
    """Whether the tenant has loaded a 住所マスター (inside the caller's ``with uow``)."""
    return bool(uow.session.scalar(select(exists().where(Town.tenant_code == uow.tenant_code))))


def town_for_address(uow: UnitOfWork, area: Area, address: str, on: date) -> tuple[Town | None, str] | None:
    """The 町字 in force on *on* that *address* (inside *area*) lies in, and the rest after
    its name (番地・号); ``(None, "")`` when the master has none; None when the tenant has
    no master at all.  Inside the caller's ``with uow``."""
    if not has_master(uow):
        return None
    towns = {(t.machiaza_id, t.valid_from): t for t in uow.session.scalars(select(Town).where(_in_force(on)))}
    names = [TownName(t.machiaza_id, t.name_key, t.valid_from, t.valid_to) for t in towns.values()]
    found, rest = match(names, area.locality(address) or "", on, area.wards)
    return (towns[(found.machiaza_id, found.valid_from)] if found else None, rest)


def master_prefix(uow: UnitOfWork, on: date | None = None) -> str | None:
    """How addresses of the tenant begin (山形県長井市) when it keeps a 住所マスター — the 届出
    screens then compose 住所 = this + 町字 + 番地・号 — or None (free text).  Nothing
    personal: no permission needed."""
    with uow:
        return tenant_area(uow, on or today_jst()).name if has_master(uow) else None


def attributes_not_given(uow: UnitOfWork, address: str, on: date) -> list[str]:
    """The tenant's 付加情報 (``registry.address.attributes``) that the 町字 of *address* in
    force on *on* leaves blank: the 届出 screens offer an input for each (the registration
    then takes them from the household or the clerk, ``services.addresses``).  Empty when
    the tenant keeps no master or the address is in no 町字 (the dry run reports that).
    Nothing personal: no permission needed."""
    with uow:
        found = town_for_address(uow, tenant_area(uow, on), address, on) if address.strip() else None
        if not found or found[0] is None:
            return []
        given = found[0].attributes or {}
        return [name for name in uow.params.get("registry.address.attributes", on) or [] if not given.get(name)]


WHAT = {"tennyu": "転入先", "tenkyo": "転居先"}


def check_in_master(uow: UnitOfWork, area: Area, address: str, on: date, kind: str) -> Town | None:
    """The 町字 of a 転入・転居's new address (None: the tenant keeps no master), or the
    refusal: not a 町字 in force on the 異動日 (``REGISTRY_ADDRESS_NOT_IN_MASTER``), or no
    番地 after it (``REGISTRY_ADDRESS_BANCHI_REQUIRED``)."""
    if not address.strip():
        return None
    found = town_for_address(uow, area, address, on)
    if found is None:
        return None
    town, rest = found
    if town is None:
        message = (f"{WHAT.get(kind, '新しい住所')}の町字が{area.municipality}の住所マスターにありません"
                   f"（{format_wareki(on)}に有効な町字を一覧から選んでください。町字の名前が変わった・廃止された"
                   "場合は新しい町字を選びます）")
        raise invalid("REGISTRY_ADDRESS_NOT_IN_MASTER", message, "address.address")
    if not rest:
        raise invalid("REGISTRY_ADDRESS_BANCHI_REQUIRED",
                      f"{town.name}のあとに番地・号を入力してください（例：{town.name}1番2号）", "address.address")
    return town


def town_query(uow: UnitOfWork, q: str, on: date) -> bool:
    """Whether the search box's *q* names a 町字 in force on *on* (its name, 大字 optional,
    a designated city's ward optional, perhaps followed by a 番地): the search then looks
    at addresses (inside ``with uow``)."""
    if not town_key(q) or is_kana_query(q) or not has_master(uow):
        return False
    wards = tenant_area(uow, on).wards
    towns = [TownName(t.machiaza_id, t.name_key, t.valid_from, t.valid_to)
             for t in uow.session.scalars(select(Town).where(_in_force(on)))]
    tries = [q] + [ward + q for ward in wards if not town_key(q).startswith(ward)]
    return any(match(towns, text, on, wards)[0] is not None for text in tries)


__all__ = ["TownLoadSummary", "TownView", "attributes_not_given", "check_in_master", "has_master", "list_towns", "load_towns",
           "master_prefix", "read_upload", "town_for_address", "town_query"]
