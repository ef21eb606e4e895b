"""``uow(lock_wait_ms=…)``: a write that gives up quickly when another transaction holds the
lock it needs (the idle-clock refresh of a screen session during a long 当初賦課)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from municloud.kernel import db
from municloud.kernel.db import is_lock_timeout
from municloud.kernel.sequences import TenantSequence, next_value


def test_a_lock_wait_unit_of_work_gives_up_while_another_holds_the_lock(platform, nagai, monkeypatch):
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 300)
    with platform.uow(nagai) as uow:
        next_value(uow, "test.counter")
        uow.commit()
    holder = platform.engine.connect()
    try:
        holder.execute(text("UPDATE tenant_sequences SET value = value WHERE name = 'test.counter'"))
        with pytest.raises(OperationalError) as busy, platform.uow(nagai, lock_wait_ms=100) as uow:
            next_value(uow, "test.counter")
            uow.commit()
        assert is_lock_timeout(busy.value)
    finally:
        holder.rollback()
        holder.close()
    with platform.uow(nagai, lock_wait_ms=100) as uow:  # free again: it writes
        assert next_value(uow, "test.counter") == 2
        uow.commit()
    with platform.uow(nagai, read_only=True) as uow:
        assert uow.session.get(TenantSequence, (nagai, "test.counter")).value == 2
