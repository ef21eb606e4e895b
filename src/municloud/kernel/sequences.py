"""Per-tenant counters (宛名番号, 世帯番号, 発行番号 …) allocated inside the unit of work.

The counter row is locked ``FOR UPDATE`` (PostgreSQL) or covered by ``BEGIN IMMEDIATE``
(SQLite), so two transactions never hand out the same number; a rolled-back use case
gives its numbers back.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, UnitOfWork, tenant_code_column


class TenantSequence(TenantOwned, Base):
    __tablename__ = "tenant_sequences"

    tenant_code: Mapped[str] = tenant_code_column()
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Allocator:
    """Hands out numbers of one counter from memory after locking its row once.

    For bulk work: the counter row is read (and locked) once; the new value is written
    when the unit of work flushes, so a rolled-back load gives every number back.
    """

    def __init__(self, uow: UnitOfWork, name: str) -> None:
        self._row = _locked_row(uow, name)

    def take(self, count: int = 1) -> range:
        start = self._row.value + 1
        self._row.value += count
        return range(start, start + count)


def next_values(uow: UnitOfWork, name: str, count: int = 1) -> range:
    """Reserve *count* consecutive numbers of counter *name* in the uow's tenant."""
    return Allocator(uow, name).take(count)


def _locked_row(uow: UnitOfWork, name: str) -> TenantSequence:
    assert uow.session is not None and uow.tenant_code is not None
    stmt = (select(TenantSequence)
            .where(TenantSequence.tenant_code == uow.tenant_code, TenantSequence.name == name)
            .with_for_update())
    row = uow.session.scalars(stmt).one_or_none()
    if row is None and uow.session.get_bind().dialect.name == "postgresql":
        # A counter's first use by two transactions at once: the second waits for the
        # first's row (instead of failing on the duplicate key), then locks it as usual.
        from sqlalchemy.dialects.postgresql import insert

        uow.session.execute(insert(TenantSequence).values(tenant_code=uow.tenant_code, name=name, value=0)
                            .on_conflict_do_nothing())
        row = uow.session.scalars(stmt).one()
    if row is None:
        row = TenantSequence(tenant_code=uow.tenant_code, name=name, value=0)
        uow.session.add(row)
    return row


def next_value(uow: UnitOfWork, name: str) -> int:
    return next_values(uow, name, 1)[0]
