"""A dry-run unit of work runs a use case to its end and rolls it back (the confirmation
step of a screen, ``?dry_run=true`` on the API): no row, no number, no ordinary audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from municloud.errors import ConfigurationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.sequences import TenantSequence, next_value
from municloud.modules.registry.orm import Household
from tests.factories import context


def _state(platform, tenant):
    with platform.session_factory() as s:
        households = s.scalars(select(Household.setai_no).where(Household.tenant_code == tenant)).all()
        sequences = s.execute(select(TenantSequence.name, TenantSequence.value)
                              .where(TenantSequence.tenant_code == tenant)).all()
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.tenant_code == tenant).order_by(AuditEntry.seq)
                            .execution_options(all_tenants=True)).all()
    return sorted(households), sorted(sequences), list(actions)


def _use_case(uow, ctx):
    """A stand-in use case: takes a number, adds a row, audits (one ordinary, one always), commits."""
    with uow:
        number = next_value(uow, "registry.setai_no")
        uow.session.add(Household(tenant_code=uow.tenant_code, setai_no=f"{number:010d}",
                                  created_on=date(2026, 1, 5)))
        uow.audit.record(ctx, "registry:household:view", subjects=[f"household:{number:010d}"])
        uow.audit.record(ctx, "registry:notification:check", subjects=["resident:0000000001"], always=True)
        uow.commit()
        return number


def test_a_dry_run_writes_nothing_but_its_always_entries_and_gives_the_number_back(platform, nagai):
    clerk = context(platform, nagai, "registry_clerk")
    households, sequences, actions = _state(platform, nagai)

    first = _use_case(platform.uow(nagai, dry_run=True), clerk)
    assert _state(platform, nagai) == (households, sequences, actions + ["registry:notification:check"])
    again = _use_case(platform.uow(nagai, dry_run=True), clerk)
    assert again == first  # the number was given back

    real = _use_case(platform.uow(nagai), clerk)
    assert real == first
    households_after, _, actions_after = _state(platform, nagai)
    assert households_after == [f"{real:010d}"]
    assert actions_after[-2:] == ["registry:household:view", "registry:notification:check"]


def test_a_dry_run_that_fails_writes_its_always_entries_only(platform, nagai):
    clerk = context(platform, nagai, "registry_clerk")
    before = _state(platform, nagai)
    uow = platform.uow(nagai, dry_run=True)
    with pytest.raises(RuntimeError), uow:
        next_value(uow, "registry.setai_no")
        uow.audit.record(clerk, "registry:notification:check", outcome="failure", always=True)
        raise RuntimeError("a problem found half-way")
    households, sequences, actions = _state(platform, nagai)
    assert (households, sequences) == before[:2] and actions == before[2] + ["registry:notification:check"]


def test_a_dry_run_cannot_be_read_only(platform, nagai):
    with pytest.raises(ConfigurationError) as caught:
        platform.uow(nagai, read_only=True, dry_run=True)
    assert caught.value.code == "UOW_DRY_RUN_READ_ONLY"
