"""Who may act where: memberships give roles per tenant; the operator reads no resident data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from municloud.errors import AuthenticationError, PermissionDeniedError, ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_ACCESS_DENIED, A_ROLE_GRANT, A_USER_ADD, P_AUDIT_READ
from municloud.kernel.identity.accounts import link_user
from municloud.kernel.identity.services import add_user, context_for, list_users
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from municloud.modules.registry.catalog import P_MY_NUMBER, P_SEARCH
from tests.factories import context, operator_context

PASSWORD = "kasumi-ga-seki-2024"


def add(platform, tenant, username, *roles, password=PASSWORD):
    admin = context(platform, tenant, "tenant_admin", actor="admin")
    return add_user(platform.uow(tenant), admin, username, password, list(roles))


def add_operator(platform, username="ops"):
    return add_user(platform.uow(None), operator_context(platform), username, PASSWORD, ["operator"])


def last_entry(platform, tenant_code):
    with platform.session_factory() as s:
        return s.scalars(
            select(AuditEntry).where(AuditEntry.tenant_code == tenant_code).order_by(AuditEntry.seq.desc())
        ).first()


def test_the_operator_holds_no_registry_permission(platform):
    granted = platform.catalog.permissions_of({"operator"})
    assert granted
    assert not [p for p in granted if p.startswith("registry:")]


def test_a_registry_clerk_may_not_see_my_numbers_nor_read_the_audit_log(platform):
    granted = platform.catalog.permissions_of({"registry_clerk"})
    assert P_SEARCH in granted
    assert P_MY_NUMBER not in granted
    assert P_AUDIT_READ not in granted


def test_an_auditor_reads_the_audit_log_and_nothing_of_the_registry(platform):
    granted = platform.catalog.permissions_of({"auditor"})
    assert P_AUDIT_READ in granted
    assert not [p for p in granted if p.startswith("registry:")]


def test_a_member_gets_a_context_with_the_permissions_of_their_roles(platform, nagai):
    user = add(platform, nagai, "sato", "registry_clerk", "auditor")
    ctx = context_for(platform.uow(nagai), user.id, request_id="r1", client_addr="192.0.2.1")
    assert (ctx.tenant_code, ctx.actor, ctx.actor_id) == (nagai, "sato", user.id)
    assert ctx.roles == {"registry_clerk", "auditor"}
    assert ctx.permissions == platform.catalog.permissions_of({"registry_clerk", "auditor"})
    assert (ctx.request_id, ctx.client_addr) == ("r1", "192.0.2.1")


def test_a_user_without_membership_is_refused_alike_whether_or_not_the_tenant_exists(platform, nagai, hiroshima):
    user = add(platform, nagai, "sato", "registry_clerk")
    with pytest.raises(PermissionDeniedError) as existing:
        context_for(platform.uow(hiroshima), user.id)
    with pytest.raises(PermissionDeniedError) as missing:
        context_for(platform.uow("011002"), user.id)  # 札幌市: a valid code, not a tenant here
    assert (existing.value.code, existing.value.message) == (missing.value.code, missing.value.message)
    assert existing.value.code == "TENANT_ACCESS_DENIED"


def test_the_refusal_is_audited_in_the_tenants_chain_or_the_platform_chain(platform, nagai, hiroshima):
    user = add(platform, nagai, "sato", "registry_clerk")
    for tenant, chain in ((hiroshima, hiroshima), ("011002", PLATFORM_SCOPE)):
        with pytest.raises(PermissionDeniedError):
            context_for(platform.uow(tenant), user.id)
        entry = last_entry(platform, chain)
        assert (entry.action, entry.outcome, entry.actor) == (A_ACCESS_DENIED, "denied", "sato")


def test_the_operator_acts_at_platform_level_and_has_no_tenant_context(platform, nagai):
    ops = add_operator(platform)
    ctx = context_for(platform.uow(None), ops.id)
    assert ctx.tenant_code is None and ctx.roles == {"operator"}
    with pytest.raises(PermissionDeniedError):
        context_for(platform.uow(nagai), ops.id)


def test_a_tenant_user_has_no_platform_context(platform, nagai):
    user = add(platform, nagai, "sato", "tenant_admin")
    with pytest.raises(PermissionDeniedError) as caught:
        context_for(platform.uow(None), user.id)
    assert caught.value.code == "PLATFORM_ACCESS_DENIED"


def test_an_unknown_user_id_must_log_in_again(platform, nagai):
    with pytest.raises(AuthenticationError):
        context_for(platform.uow(nagai), 999)


def test_the_operator_role_cannot_be_given_inside_a_tenant(platform, nagai):
    with pytest.raises(ValidationError) as caught:
        add(platform, nagai, "sato", "operator")
    assert caught.value.code == "ROLE_UNKNOWN"


def test_an_operator_account_cannot_be_given_a_tenant_role(platform, nagai):
    add_operator(platform, "ops")
    with pytest.raises(ValidationError) as caught:  # a tenant admin: a name from elsewhere
        add(platform, nagai, "ops", "registry_clerk", password=None)
    assert caught.value.code == "USERNAME_UNAVAILABLE"
    with pytest.raises(ValidationError) as caught:  # nor may the operator link it
        link_user(platform.uow(nagai), operator_context(platform), "ops", ["registry_clerk"])
    assert caught.value.code == "OPERATOR_NO_TENANT_ROLES"


def test_a_tenant_user_cannot_be_made_operator_by_adding_them_again(platform, nagai):
    user = add(platform, nagai, "sato", "registry_clerk")
    with pytest.raises(ValidationError) as caught:
        add_user(platform.uow(None), operator_context(platform), "sato", PASSWORD, ["operator"])
    assert caught.value.code == "USER_IS_NOT_OPERATOR"
    with pytest.raises(PermissionDeniedError):
        context_for(platform.uow(None), user.id)


def test_adding_a_user_and_their_roles_is_audited(platform, nagai):
    user = add(platform, nagai, "sato", "registry_clerk")
    with platform.session_factory() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.actor == "admin").order_by(AuditEntry.seq)).all()
    assert [(e.action, e.subjects) for e in rows] == [
        (A_USER_ADD, f'["user:{user.id}"]'),
        (A_ROLE_GRANT, f'["user:{user.id}"]'),
    ]


def test_a_tenant_admin_sees_only_their_own_tenants_memberships(platform, nagai, hiroshima):
    add(platform, hiroshima, "sato", "registry_clerk")
    link_user(platform.uow(nagai), operator_context(platform), "sato", ["registry_viewer"])
    info = add(platform, nagai, "sato", "registry_viewer", password=None)  # a member here: roles only
    assert info.tenants == {nagai: ["registry_viewer"]}
    admin = context(platform, nagai, "tenant_admin")
    assert [(u.username, u.tenants) for u in list_users(platform.uow(nagai), admin)] == [
        ("sato", {nagai: ["registry_viewer"]})
    ]


def test_a_context_of_one_tenant_is_refused_in_another_tenants_unit_of_work(platform, nagai, hiroshima):
    admin = context(platform, nagai, "tenant_admin")
    with pytest.raises(PermissionDeniedError) as caught:
        add_user(platform.uow(hiroshima), admin, "sato", PASSWORD, ["registry_clerk"])
    assert caught.value.code == "TENANT_MISMATCH"
    entry = last_entry(platform, hiroshima)
    assert (entry.action, entry.outcome) == (A_USER_ADD, "denied")
