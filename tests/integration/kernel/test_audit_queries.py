"""Reading and verifying the audit log is for auditors, and is itself audited."""

from __future__ import annotations

import pytest

from municloud.errors import PermissionDeniedError
from municloud.kernel.audit.queries import search_audit, verify_audit
from municloud.kernel.catalog import A_AUDIT_READ, A_AUDIT_VERIFY
from municloud.modules.registry.catalog import A_VIEW
from tests.factories import context
from tests.integration.kernel.audit_helpers import rewrite


def view(platform, tenant, actor, atena_no):
    ctx = context(platform, tenant, "registry_viewer", actor=actor)
    with platform.uow(tenant) as uow:
        uow.audit.record(ctx, A_VIEW, subjects=[f"resident:{atena_no}"])
        uow.commit()


@pytest.fixture
def auditor(platform, nagai):
    return context(platform, nagai, "auditor", actor="kansa")


def test_an_auditor_finds_who_viewed_a_resident_newest_first(platform, nagai, auditor):
    view(platform, nagai, "sato", "0000000012")
    view(platform, nagai, "tanaka", "0000000034")
    view(platform, nagai, "sato", "0000000034")
    found = search_audit(platform.uow(nagai), auditor, subject="resident:0000000034")
    assert [(r.actor, r.action) for r in found] == [("sato", A_VIEW), ("tanaka", A_VIEW)]
    assert [r.actor for r in search_audit(platform.uow(nagai), auditor, actor="sato", action="registry:")] == ["sato", "sato"]


def test_reading_the_audit_log_is_itself_recorded(platform, nagai, auditor):
    search_audit(platform.uow(nagai), auditor, actor="sato")
    [latest, *_] = search_audit(platform.uow(nagai), auditor, action=A_AUDIT_READ)
    assert (latest.actor, latest.detail) == ("kansa", {"filters": {"actor": "sato"}, "rows": 0})


def test_an_auditor_sees_only_their_own_tenants_log(platform, nagai, hiroshima, auditor):
    view(platform, hiroshima, "sato", "0000000012")
    assert search_audit(platform.uow(nagai), auditor, subject="resident:0000000012") == []


@pytest.mark.parametrize("role", ["registry_clerk", "registry_supervisor", "tenant_admin"])
def test_other_roles_may_not_read_the_audit_log(platform, nagai, role):
    with pytest.raises(PermissionDeniedError):
        search_audit(platform.uow(nagai), context(platform, nagai, role))


def test_the_operator_may_not_read_a_tenants_audit_log(platform, nagai):
    operator = context(platform, None, "operator")
    with pytest.raises(PermissionDeniedError):
        search_audit(platform.uow(nagai), operator)


def test_an_auditor_verifies_the_chain_and_the_check_is_recorded(platform, nagai, auditor):
    view(platform, nagai, "sato", "0000000012")
    report = verify_audit(platform.uow(nagai), auditor)
    assert (report.ok, report.entries) == (True, 2)
    [latest] = search_audit(platform.uow(nagai), auditor, action=A_AUDIT_VERIFY)
    assert latest.detail == {"ok": True, "entries": 2}


def test_an_auditors_verification_names_a_tampered_entry(platform, nagai, auditor):
    view(platform, nagai, "sato", "0000000012")
    rewrite(platform, nagai, 2, {"actor": "someone"})
    report = verify_audit(platform.uow(nagai), auditor)
    assert (report.problem.seq, report.problem.reason_code) == (2, "AUDIT_ENTRY_MODIFIED")
