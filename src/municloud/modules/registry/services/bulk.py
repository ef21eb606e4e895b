"""Bulk load of households (初期移行・デモデータ): one transaction, batched inserts.

The same rules as a 転入 apply to every person (``normalise_person``: check digits,
フリガナ, kind-specific items) and every household must have exactly one head; the rows
are then written with executemany-style inserts in batches — the path the load benchmark
measures against a bare ``executemany`` of the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert

from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import Allocator, next_values
from municloud.modules.registry import moves
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import A_NOTIFICATION_REGISTER, P_REGISTER
from municloud.modules.registry.domain import RESIDENT, Person, normalise_person
from municloud.modules.registry.orm import Household, Notification, ResidentIndex, ResidentRecord

INITIAL_LOAD = "職権記載"  # 異動事由 of records created by a bulk load


@dataclass(frozen=True)
class LoadReport:
    households: int
    residents: int
    seconds: float
    notification_id: int


def load_households(
    uow: UnitOfWork,
    ctx: Context,
    households: Iterable[list[dict]],
    *,
    ido_date: date | None = None,
    ido_jiyu: str = INITIAL_LOAD,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    member_ido_jiyu: bool = False,
    before_commit: Callable[[UnitOfWork, int, list[tuple[str, list[str]]]], None] | None = None,
) -> LoadReport:
    """Load households given as lists of member items (first member: the head).

    Each member is a dict of :class:`Person` items without ``atena_no``, ``setai_no``,
    ``status`` and ``rireki_no`` (numbers are allocated here).  All or nothing.

    With ``member_ido_jiyu`` a member may carry its own ``"ido_jiyu"`` item: the 異動事由 of
    its history row (a migration keeps the legacy system's reason); the others, and the
    load's notification, get *ido_jiyu*.  ``before_commit(uow, notification_id, loaded)``
    runs inside the transaction with ``loaded`` = (世帯番号, 宛名番号 in member order) per
    household in input order, so a caller can record what became of its rows atomically.
    """
    started = time.perf_counter()
    with uow:
        uow.require(ctx, P_REGISTER, A_NOTIFICATION_REGISTER)
        uow.prepare_bulk_load()
        today = today_jst()
        ido_date = ido_date or today
        allowed = tuple(uow.params.get("registry.address.attributes", ido_date))
        notification_id = next_values(uow, "registry.notification", 1)[0]
        now = utcnow()
        meta = repo.ChangeMeta(notification_id, ido_date, None, now, ctx.actor, ctx.place, ctx.terminal)
        uow.session.add(
            Notification(
                tenant_code=uow.tenant_code, notification_id=notification_id, kind="bulk_load", ido_jiyu=ido_jiyu,
                ido_date=ido_date, todoke_date=None, processed_at=now, processed_by=ctx.actor, atena_nos=[],
                setai_nos=[], note="一括登録",
            )
        )
        uow.flush()
        setai_numbers = Allocator(uow, "registry.setai_no")
        atena_numbers = Allocator(uow, "registry.atena_no")
        conn = uow.session.connection()
        n_households = n_residents = 0
        loaded: list[tuple[str, list[str]]] = []
        batch_h: list[dict] = []
        batch_r: list[dict] = []
        batch_i: list[dict] = []

        def flush() -> None:
            if batch_h:
                conn.execute(insert(Household), batch_h)
            if batch_r:
                conn.execute(insert(ResidentRecord), batch_r)
                conn.execute(insert(ResidentIndex), batch_i)
            if progress and batch_r:
                progress(len(batch_r))
            batch_h.clear(), batch_r.clear(), batch_i.clear()

        for members in households:
            setai_no = f"{setai_numbers.take()[0]:010d}"
            numbers = atena_numbers.take(len(members))
            people = {}
            reasons = {}
            for atena, items in zip(numbers, members, strict=True):
                if member_ido_jiyu and "ido_jiyu" in items:
                    items = dict(items)
                    reasons[f"{atena:010d}"] = items.pop("ido_jiyu") or ido_jiyu
                person = normalise_person(
                    Person(atena_no=f"{atena:010d}", setai_no=setai_no, status=RESIDENT, **items),
                    today=today,
                    allowed_attributes=allowed,
                )
                people[person.atena_no] = person
            moves.check_households(people, {setai_no})
            batch_h.append({"tenant_code": uow.tenant_code, "setai_no": setai_no, "created_on": ido_date})
            for person in people.values():
                batch_r.append(repo.record_row(uow.tenant_code, person, 1, reasons.get(person.atena_no, ido_jiyu), meta))
                batch_i.append({**repo.index_row(uow.tenant_code, person, 1), "version": 1})
            if before_commit is not None:
                loaded.append((setai_no, list(people)))
            n_households += 1
            n_residents += len(people)
            if len(batch_r) >= batch_size:
                flush()
        flush()
        if before_commit is not None:
            before_commit(uow, notification_id, loaded)
        uow.audit.record(
            ctx, A_NOTIFICATION_REGISTER,
            detail={"notification_id": notification_id, "kind": "bulk_load", "households": n_households,
                    "residents": n_residents},
        )
        uow.commit()
    return LoadReport(n_households, n_residents, time.perf_counter() - started, notification_id)
