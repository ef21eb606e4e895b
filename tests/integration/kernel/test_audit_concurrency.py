"""Concurrent use cases keep every chain valid (SQLite serialises writers; PostgreSQL locks
the chain head row) and still count every failed log-in."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from municloud.errors import AuthenticationError, RateLimitedError
from municloud.kernel.audit.orm import AuditChainHead, AuditEntry
from municloud.kernel.audit.services import verify_chains
from municloud.kernel.catalog import A_AUDIT_READ, A_LOGIN_FAILURE
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.orm import LoginThrottle
from municloud.kernel.identity.services import add_user
from municloud.kernel.identity.throttle import name_key
from tests.factories import context
from tests.integration.kernel.audit_helpers import report

THREADS = 4
EACH = 8


def run_together(count: int, work) -> list:
    """Run ``work(i)`` in *count* threads released at the same moment; return results/errors."""
    barrier = threading.Barrier(count)

    def start(i):
        barrier.wait()
        try:
            return work(i)
        except Exception as exc:  # collected, asserted by the caller
            return exc

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def append_reads(platform, tenant: str, times: int, actor: str, chain: str | None = None) -> None:
    ctx = context(platform, tenant, "auditor", actor=actor)
    for i in range(times):
        with platform.uow(tenant) as uow:
            uow.audit.record(ctx, A_AUDIT_READ, detail={"i": i}, tenant_code=chain)
            uow.commit()


def seqs(platform, tenant: str) -> list[int]:
    with platform.session_factory() as s:
        return list(s.scalars(select(AuditEntry.seq).where(AuditEntry.tenant_code == tenant).order_by(AuditEntry.seq)))


def test_threads_appending_to_one_tenants_chain_leave_it_valid_and_dense(platform, nagai):
    results = run_together(THREADS, lambda i: append_reads(platform, nagai, EACH, f"clerk{i}"))
    assert results == [None] * THREADS
    assert seqs(platform, nagai) == list(range(1, 1 + 1 + THREADS * EACH))
    assert report(platform, nagai)[nagai].ok


def test_threads_opening_a_new_chain_at_once_do_not_collide(platform, nagai):
    # 011002 (札幌市) is not a tenant here: its chain has no head until the first append.
    results = run_together(THREADS, lambda i: append_reads(platform, nagai, 2, f"clerk{i}", chain="011002"))
    assert results == [None] * THREADS
    assert seqs(platform, "011002") == list(range(1, 1 + THREADS * 2))
    assert report(platform, "011002")["011002"].ok


def test_parallel_wrong_passwords_each_count_towards_the_throttle(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    add_user(platform.uow(nagai), admin, "sato", "kasumi-ga-seki-2024", ["registry_clerk"])
    limit = platform.settings.login_free_failures + 4  # blocked for 8 s: no race with the next line

    def guess(i):
        authenticate(platform.uow(None), "sato", f"guess-number-{i}")

    results = run_together(limit, guess)
    assert all(isinstance(r, AuthenticationError | RateLimitedError) for r in results)
    with platform.session_factory() as s:
        assert s.get(LoginThrottle, name_key("sato")).failures == limit
    with pytest.raises(RateLimitedError) as caught:  # throttled: the password alone is not enough
        authenticate(platform.uow(None), "sato", "kasumi-ga-seki-2024")
    assert caught.value.code == "LOGIN_THROTTLED"
    with platform.session_factory() as s:
        failures = s.scalars(select(AuditEntry).where(AuditEntry.tenant_code == nagai, AuditEntry.action == A_LOGIN_FAILURE))
        assert len(failures.all()) == limit + 1


def test_a_chain_head_read_earlier_in_a_use_case_does_not_hide_later_appends(platform, nagai):
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the interleaving needs PostgreSQL")
    ctx = context(platform, nagai, "auditor")
    with platform.uow(nagai) as uow:
        assert verify_chains(uow.session, nagai)[0].ok
        head = uow.session.get(AuditChainHead, nagai)  # held by this session from now on
        append_reads(platform, nagai, 2, "other")  # another use case appends meanwhile
        uow.audit.record(ctx, A_AUDIT_READ)
        uow.commit()
        assert head.last_seq == 4
    assert seqs(platform, nagai) == [1, 2, 3, 4]
    assert report(platform, nagai)[nagai].ok
