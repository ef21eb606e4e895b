"""The migration ledger (移行台帳): reading what a legacy system's numbers became, and recording it.

A re-run recognises a person it loaded before by (system, legacy 宛名番号) — not only by
住民票コード, which a vendor may have corrected between two hand-overs — and the ledger
is written in the load's own transaction (``load_households(before_commit=…)``), so it
names exactly the people that were loaded.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from municloud.interchange.legacy.orm import LegacyLedgerEntry
from municloud.kernel.db import UnitOfWork

CHUNK = 500


def known_atena_nos(uow: UnitOfWork, system: str, legacy_atena_nos: set[str]) -> dict[str, str]:
    """legacy 宛名番号 → our 宛名番号, for those of *legacy_atena_nos* already in the ledger."""
    wanted = sorted(n for n in legacy_atena_nos if n)
    found: dict[str, str] = {}
    with uow:
        for i in range(0, len(wanted), CHUNK):
            stmt = select(LegacyLedgerEntry.legacy_atena_no, LegacyLedgerEntry.atena_no).where(
                LegacyLedgerEntry.tenant_code == uow.tenant_code, LegacyLedgerEntry.system == system,
                LegacyLedgerEntry.legacy_atena_no.in_(wanted[i : i + CHUNK]))
            found.update((legacy, ours) for legacy, ours in uow.session.execute(stmt))
    return found


def recorder(system: str, legacy: list[tuple[str, list[str]]]):
    """A ``before_commit`` for ``load_households``: *legacy* holds (legacy 世帯番号, legacy
    宛名番号 in member order) of each household, in the order they were handed to the loader."""

    def record(uow: UnitOfWork, notification_id: int, loaded: list[tuple[str, list[str]]]) -> None:
        rows = []
        for (legacy_setai, legacy_atenas), (setai_no, atena_nos) in zip(legacy, loaded, strict=True):
            for legacy_atena, atena_no in zip(legacy_atenas, atena_nos, strict=True):
                rows.append({"tenant_code": uow.tenant_code, "system": system, "legacy_atena_no": legacy_atena,
                             "legacy_setai_no": legacy_setai, "atena_no": atena_no, "setai_no": setai_no,
                             "notification_id": notification_id})
        conn = uow.session.connection()
        for i in range(0, len(rows), 5000):
            conn.execute(insert(LegacyLedgerEntry), rows[i : i + 5000])

    return record
