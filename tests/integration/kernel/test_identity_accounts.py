"""A person's account: password changes and deactivation end every token and session;
linking to another tenant is the operator's act, audited in every tenant concerned."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from municloud.errors import AuthenticationError, PermissionDeniedError, ValidationError
from municloud.kernel.identity.accounts import (
    change_password,
    deactivate_user,
    link_user,
    reset_password,
)
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.orm import User
from municloud.kernel.identity.services import context_for, describe_user
from municloud.kernel.identity.sessions import resolve_session
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from tests.factories import audit_entries, context, operator_context
from tests.integration.kernel.identity_helpers import PASSWORD, add_clerk, enrol


def version_of(platform, name="sato"):
    with platform.session_factory() as s:
        return s.scalar(select(User.token_version).where(User.username == name))


def full_session(platform, name="sato"):
    from municloud.kernel.identity.sessions import open_session, second_factor

    app = enrol(platform, name)
    login = authenticate(platform.uow(None), name, PASSWORD)
    token, _ = open_session(platform.uow(None), login.user)
    token, _ = second_factor(platform.uow(None), token, app.code())
    return token


def test_a_password_change_raises_the_token_version_and_ends_every_screen_session(platform, nagai):
    user = add_clerk(platform, nagai)
    token = full_session(platform)
    version = version_of(platform)
    change_password(platform.uow(None), user.id, PASSWORD, "a-new-password-2027", token_version=version)
    assert version_of(platform) == version + 1
    with pytest.raises(AuthenticationError):
        resolve_session(platform.uow(None), token)
    with pytest.raises(AuthenticationError) as caught:  # a token of the old version
        context_for(platform.uow(nagai), user.id, token_version=version)
    assert caught.value.code == "TOKEN_INVALID"
    assert context_for(platform.uow(nagai), user.id, token_version=version + 1).actor == "sato"
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:user:password")] == ["success"]


def test_the_new_password_must_follow_the_rule_and_differ(platform, nagai):
    user = add_clerk(platform, nagai)
    for new, code in (("short", "PASSWORD_TOO_SHORT"), (PASSWORD, "PASSWORD_UNCHANGED")):
        with pytest.raises(ValidationError) as caught:
            change_password(platform.uow(None), user.id, PASSWORD, new)
        assert caught.value.code == code
    assert version_of(platform) == 0


def test_only_the_operator_resets_a_password(platform, nagai):
    add_clerk(platform, nagai)
    with pytest.raises(PermissionDeniedError):
        reset_password(platform.uow(None), context(platform, nagai, "tenant_admin"), "sato", "a-new-password-2027")
    reset_password(platform.uow(None), operator_context(platform), "sato", "a-new-password-2027")
    assert authenticate(platform.uow(None), "sato", "a-new-password-2027").user.username == "sato"
    assert len(audit_entries(platform, PLATFORM_SCOPE, "kernel:user:password")) == 1
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:user:password")] == ["denied", "success"]


def test_linking_is_audited_in_the_new_tenant_the_old_one_and_the_platform(platform, nagai, hiroshima):
    user = add_clerk(platform, nagai)
    info = link_user(platform.uow(hiroshima), operator_context(platform), "sato", ["auditor"])
    assert info.tenants == {nagai: ["registry_clerk"], hiroshima: ["auditor"]}
    for chain in (nagai, hiroshima, PLATFORM_SCOPE):
        entries = audit_entries(platform, chain, "kernel:user:link")
        assert [(e.subjects, e.actor) for e in entries] == [(f'["user:{user.id}"]', "test-operator")], chain
    assert context_for(platform.uow(hiroshima), user.id).roles == {"auditor"}


def test_a_tenant_admin_may_not_link(platform, nagai, hiroshima):
    add_clerk(platform, hiroshima)
    with pytest.raises(PermissionDeniedError):
        link_user(platform.uow(nagai), context(platform, nagai, "tenant_admin"), "sato", ["auditor"])
    assert audit_entries(platform, nagai, "kernel:user:link")[0].outcome == "denied"


def test_ending_the_roles_in_one_tenant_leaves_the_others_and_the_account(platform, nagai, hiroshima):
    user = add_clerk(platform, nagai)
    link_user(platform.uow(hiroshima), operator_context(platform), "sato", ["auditor"])
    deactivate_user(platform.uow(hiroshima), context(platform, hiroshima, "tenant_admin"), "sato")
    with pytest.raises(PermissionDeniedError):
        context_for(platform.uow(hiroshima), user.id)
    assert describe_user(platform.uow(None), user.id).tenants == {nagai: ["registry_clerk"]}
    assert version_of(platform) == 0  # the account is untouched


def test_an_admin_cannot_stop_themselves(platform, nagai):
    admin = add_clerk(platform, nagai, "kanri", roles=("tenant_admin",))
    ctx = context_for(platform.uow(nagai), admin.id)
    with pytest.raises(ValidationError) as caught:
        deactivate_user(platform.uow(nagai), ctx, "kanri")
    assert caught.value.code == "USER_DEACTIVATE_SELF"
