"""Tenants (団体) are keyed by their 全国地方公共団体コード; only the operator adds them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from municloud.errors import ConflictError, PermissionDeniedError, ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_TENANT_ADD
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from municloud.kernel.tenants.services import add_tenant, get_tenant, list_tenants
from tests.factories import context, operator_context


def entries(platform, tenant_code):
    with platform.session_factory() as s:
        return s.scalars(
            select(AuditEntry).where(AuditEntry.tenant_code == tenant_code).order_by(AuditEntry.seq)
        ).all()


@pytest.mark.parametrize(("code", "name"), [("062090", "長井市"), ("341002", "広島市"), ("131016", "千代田区")])
def test_a_code_with_a_correct_check_digit_is_accepted(platform, code, name):
    info = add_tenant(platform.uow(None), operator_context(platform), code, name)
    assert (info.code, info.name, info.active) == (code, name, True)
    assert get_tenant(platform.uow(None), code).name == name


@pytest.mark.parametrize("code", ["062091", "06209", "0620900", "06209X", ""])
def test_a_code_with_a_wrong_check_digit_or_length_is_refused(platform, code):
    with pytest.raises(ValidationError) as caught:
        add_tenant(platform.uow(None), operator_context(platform), code, "長井市")
    assert caught.value.code == "JP_LG_CODE_INVALID"
    assert list_tenants(platform.uow(None), operator_context(platform)) == []


def test_full_width_digits_are_accepted_and_stored_as_ascii(platform):
    info = add_tenant(platform.uow(None), operator_context(platform), "０６２０９０", "長井市")
    assert info.code == "062090"


def test_a_tenant_cannot_be_added_twice(platform, nagai):
    with pytest.raises(ConflictError) as caught:
        add_tenant(platform.uow(None), operator_context(platform), "062090", "長井市（重複）")
    assert caught.value.code == "TENANT_EXISTS"
    assert [t.name for t in list_tenants(platform.uow(None), operator_context(platform))] == ["長井市"]


def test_an_empty_name_and_an_unknown_kind_are_refused(platform):
    op = operator_context(platform)
    with pytest.raises(ValidationError) as caught:
        add_tenant(platform.uow(None), op, "062090", "  ")
    assert caught.value.code == "TENANT_NAME_REQUIRED"
    with pytest.raises(ValidationError) as caught:
        add_tenant(platform.uow(None), op, "062090", "長井市", kind="県")
    assert caught.value.code == "TENANT_KIND_INVALID"


@pytest.mark.parametrize("role", ["tenant_admin", "registry_clerk", "auditor"])
def test_only_the_operator_may_add_a_tenant_and_the_refusal_is_audited(platform, nagai, role):
    ctx = context(platform, nagai, role)
    with pytest.raises(PermissionDeniedError):
        add_tenant(platform.uow(None), ctx, "341002", "広島市")
    assert [t.code for t in list_tenants(platform.uow(None), operator_context(platform))] == [nagai]
    refusal = entries(platform, nagai)[-1]
    assert (refusal.action, refusal.outcome, refusal.actor) == (A_TENANT_ADD, "denied", ctx.actor)
    assert refusal.subjects == '["tenant:341002"]'


def test_adding_a_tenant_is_recorded_in_the_platform_chain_and_opens_the_tenants_chain(platform, nagai):
    platform_entry = entries(platform, PLATFORM_SCOPE)[-1]
    first = entries(platform, nagai)[0]
    for entry in (platform_entry, first):
        assert (entry.action, entry.actor, entry.subjects) == (A_TENANT_ADD, "test-operator", '["tenant:062090"]')
    assert first.seq == 1


def test_tenants_are_listed_in_code_order(platform, hiroshima, nagai):
    assert [(t.code, t.kind) for t in list_tenants(platform.uow(None), operator_context(platform))] == [
        ("062090", "市"),
        ("341002", "指定都市"),
    ]



@pytest.mark.parametrize("role", ["tenant_admin", "registry_clerk"])
def test_only_the_operator_lists_the_tenants_and_a_refusal_is_audited(platform, nagai, role):
    with pytest.raises(PermissionDeniedError):
        list_tenants(platform.uow(None), context(platform, nagai, role, actor="curious"))
    denied = [e for e in entries(platform, nagai) if e.actor == "curious"]
    assert [(e.action, e.outcome) for e in denied] == [("kernel:tenant:list", "denied")]
