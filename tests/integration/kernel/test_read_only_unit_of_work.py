"""A read-only unit of work (resolving a request's Context) never waits for a writer."""

from __future__ import annotations

import time

import pytest

from municloud.errors import ConfigurationError
from municloud.kernel.identity.services import add_user, context_for
from tests.factories import context


def test_resolving_a_context_does_not_wait_for_a_writer_holding_the_lock(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    user = add_user(platform.uow(nagai), admin, "reader01", "a-long-password-1", ["registry_clerk"])
    writer = platform.engine.raw_connection()
    try:
        cursor = writer.cursor()
        if platform.engine.dialect.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")  # holds SQLite's only write lock
        else:
            cursor.execute("LOCK TABLE memberships IN SHARE ROW EXCLUSIVE MODE")
        started = time.perf_counter()
        ctx = context_for(platform.uow(nagai, read_only=True), user.id)
        waited = time.perf_counter() - started
    finally:
        writer.rollback()
        writer.close()
    assert ctx.roles == frozenset({"registry_clerk"})
    assert waited < 5  # the busy timeout is 30 s: a write lock would have made it wait


def test_a_read_only_unit_of_work_refuses_to_commit(platform, nagai):
    uow = platform.uow(nagai, read_only=True)
    with pytest.raises(ConfigurationError) as caught, uow:
        uow.commit()
    assert caught.value.code == "UOW_READ_ONLY"
