"""Audit entries commit or vanish with the action they record; refusals always stay."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.errors import ConfigurationError, ConflictError, PermissionDeniedError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_AUDIT_READ, A_PARAMETER_SET, P_PARAMETER_MANAGE
from municloud.kernel.clock import utcnow
from municloud.kernel.parameters.orm import ParameterOverride
from municloud.modules.registry.catalog import A_MY_NUMBER
from tests.factories import context
from tests.integration.kernel.audit_helpers import report

KEY = "registry.certificate.fee"


def override(tenant: str, value: int = 200, on: date = date(2024, 4, 1)) -> ParameterOverride:
    return ParameterOverride(
        tenant_code=tenant, key=KEY, effective_from=on, value=json.dumps(value), reason="条例改正",
        set_by="test", set_at=utcnow(),
    )


def audit_rows(platform, tenant: str, action: str | None = None) -> list[AuditEntry]:
    with platform.session_factory() as s:
        stmt = select(AuditEntry).where(AuditEntry.tenant_code == tenant).order_by(AuditEntry.seq)
        return [e for e in s.scalars(stmt) if action is None or e.action == action]


def overrides(platform) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(ParameterOverride))


def test_an_entry_commits_with_its_action_and_carries_who_what_when_and_where(platform, nagai):
    ctx = context(platform, nagai, "registry_supervisor", actor="sato", request_id="req-1")
    with platform.uow(nagai) as uow:
        uow.session.add(override(nagai))
        uow.audit.record(ctx, A_MY_NUMBER, subjects=["resident:0000000012"], my_number_shown=True)
        uow.commit()
    [entry] = audit_rows(platform, nagai, A_MY_NUMBER)
    assert overrides(platform) == 1
    assert (entry.actor, entry.tenant_code, entry.outcome) == ("sato", nagai, "success")
    assert (entry.request_id, entry.client_addr, entry.terminal) == ("req-1", "192.0.2.10", "T-01")
    assert json.loads(entry.subjects) == ["resident:0000000012"]
    assert entry.my_number_shown is True
    assert abs((utcnow() - entry.occurred_at).total_seconds()) < 60


def test_an_action_that_fails_after_recording_leaves_neither_work_nor_entry(platform, nagai):
    ctx = context(platform, nagai, "auditor")
    before = len(audit_rows(platform, nagai))
    with pytest.raises(RuntimeError), platform.uow(nagai) as uow:
        uow.session.add(override(nagai))
        uow.audit.record(ctx, A_AUDIT_READ)
        uow.flush()
        raise RuntimeError("printer on fire")
    assert overrides(platform) == 0
    assert len(audit_rows(platform, nagai)) == before


def test_a_refusal_is_recorded_even_though_the_refused_work_is_rolled_back(platform, nagai):
    clerk = context(platform, nagai, "registry_clerk", actor="tanaka")
    with pytest.raises(PermissionDeniedError), platform.uow(nagai) as uow:
        uow.session.add(override(nagai))
        uow.audit.record(clerk, A_AUDIT_READ)
        uow.require(clerk, P_PARAMETER_MANAGE, A_PARAMETER_SET, subjects=[f"parameter:{KEY}"])
    assert overrides(platform) == 0
    [refusal] = audit_rows(platform, nagai, A_PARAMETER_SET)
    assert (refusal.actor, refusal.outcome) == ("tanaka", "denied")
    assert json.loads(refusal.detail) == {"missing_permission": P_PARAMETER_MANAGE}
    assert not audit_rows(platform, nagai, A_AUDIT_READ)
    assert report(platform, nagai)[nagai].ok


def test_an_always_entry_survives_when_the_commit_itself_fails(platform, nagai):
    ctx = context(platform, nagai, "tenant_admin", actor="kato")
    with platform.uow(nagai) as uow:
        uow.session.add(override(nagai))
        uow.commit()
    with pytest.raises(ConflictError), platform.uow(nagai) as uow:
        uow.audit.record(ctx, A_PARAMETER_SET, outcome="denied", always=True)
        uow.audit.record(ctx, A_AUDIT_READ)
        uow.session.add(override(nagai))  # same key and date: the commit fails
        uow.commit()
    assert [e.outcome for e in audit_rows(platform, nagai, A_PARAMETER_SET)] == ["denied"]
    assert not audit_rows(platform, nagai, A_AUDIT_READ)
    assert report(platform, nagai)[nagai].ok


def test_a_use_case_that_records_but_forgets_to_commit_is_a_programming_error(platform, nagai):
    ctx = context(platform, nagai, "auditor")
    before = len(audit_rows(platform, nagai))
    with pytest.raises(ConfigurationError) as caught, platform.uow(nagai) as uow:
        uow.audit.record(ctx, A_AUDIT_READ)
    assert caught.value.code == "AUDIT_NOT_COMMITTED"
    assert len(audit_rows(platform, nagai)) == before


def test_an_unregistered_action_cannot_be_recorded(platform, nagai):
    ctx = context(platform, nagai, "auditor")
    with pytest.raises(ConfigurationError) as caught, platform.uow(nagai) as uow:
        uow.audit.record(ctx, "registry:resident:peek")
    assert caught.value.code == "CATALOG_UNKNOWN_AUDIT_ACTION"


def test_an_unknown_outcome_cannot_be_recorded(platform, nagai):
    ctx = context(platform, nagai, "auditor")
    with pytest.raises(ConfigurationError) as caught, platform.uow(nagai) as uow:
        uow.audit.record(ctx, A_AUDIT_READ, outcome="maybe")
    assert caught.value.code == "AUDIT_BAD_OUTCOME"


def test_sequence_numbers_are_dense_per_tenant(platform, nagai, hiroshima):
    for tenant in (nagai, hiroshima, nagai):
        ctx = context(platform, tenant, "auditor")
        with platform.uow(tenant) as uow:
            uow.audit.record(ctx, A_AUDIT_READ)
            uow.audit.record(ctx, A_AUDIT_READ)
            uow.commit()
    assert [e.seq for e in audit_rows(platform, nagai)] == [1, 2, 3, 4, 5]
    assert [e.seq for e in audit_rows(platform, hiroshima)] == [1, 2, 3]
    assert all(r.ok for r in report(platform).values())


def test_each_entry_links_to_the_previous_ones_hash(platform, nagai):
    ctx = context(platform, nagai, "auditor")
    with platform.uow(nagai) as uow:
        for _ in range(3):
            uow.audit.record(ctx, A_AUDIT_READ)
        uow.commit()
    rows = audit_rows(platform, nagai)
    assert rows[0].prev_hash == "0" * 64
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
