"""The embedded database runs in WAL mode with foreign keys on and serialised writers."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text


@pytest.fixture
def sqlite_platform(platform):
    if platform.engine.dialect.name != "sqlite":
        pytest.skip("SQLite engine settings")
    return platform


def test_the_sqlite_database_is_in_wal_mode_with_foreign_keys_on(sqlite_platform):
    with sqlite_platform.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_platform, nagai):
    """Both units of work take the write lock at BEGIN (IMMEDIATE): the second waits."""
    order = []
    first_has_lock = threading.Event()

    def first():
        with sqlite_platform.uow(nagai) as uow:
            uow.session.execute(text("SELECT 1"))
            first_has_lock.set()
            time.sleep(0.3)
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    first_has_lock.wait(5)
    with sqlite_platform.uow(nagai) as uow:
        uow.session.execute(text("SELECT 1"))
        order.append("second")
    thread.join()
    assert order == ["first", "second"]
