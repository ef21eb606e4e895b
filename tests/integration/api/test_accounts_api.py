"""People across tenants: a tenant admin adds new users only; linking a person to another
tenant is the operator's act, audited everywhere it matters; deactivation kills tokens."""

from __future__ import annotations

from sqlalchemy import select

from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from tests.integration.api.helpers import PASSWORD


def entries(api, tenant, action):
    with api.platform.session_factory() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.tenant_code == tenant, AuditEntry.action == action)
                         .execution_options(all_tenants=True)).all()


def add(api, admin, tenant, username, roles=("registry_viewer",), password=PASSWORD):
    return api.client.post(f"/api/v1/t/{tenant}/users", headers=admin,
                           json={"username": username, "password": password, "roles": list(roles)})


def test_a_tenant_admin_cannot_attach_another_tenants_user_and_learns_nothing_of_them(api, nagai, hiroshima):
    api.add_user(hiroshima, "registry_clerk", username="hayashi")
    admin = api.login_as(nagai, "tenant_admin")
    foreign = add(api, admin, nagai, "hayashi", password=None)
    reserved = add(api, admin, nagai, "system")
    assert foreign.status_code == reserved.status_code == 422
    assert foreign.json() == reserved.json()
    assert foreign.json()["code"] == "USERNAME_UNAVAILABLE"
    assert "hayashi" not in {u["username"] for u in api.client.get(f"/api/v1/t/{nagai}/users", headers=admin).json()}
    refused = [e for e in entries(api, nagai, "kernel:user:add") if e.outcome == "denied"]
    assert len(refused) == 2 and all("username_unavailable" in e.detail for e in refused)


def test_a_name_differing_only_in_case_or_holding_a_colon_is_refused(api, nagai, hiroshima):
    api.add_user(hiroshima, "registry_clerk", username="hayashi")
    admin = api.login_as(nagai, "tenant_admin")
    assert add(api, admin, nagai, "Hayashi").json()["code"] == "USERNAME_UNAVAILABLE"
    assert add(api, admin, nagai, "client:062090-0123456789ab").json()["code"] == "USERNAME_INVALID"


def test_a_tenant_admin_still_grants_more_roles_to_a_member_of_their_tenant(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    assert add(api, admin, nagai, "tanaka").status_code == 201
    again = add(api, admin, nagai, "tanaka", roles=("registry_clerk",), password=None)
    assert again.status_code == 201 and again.json()["tenants"] == {nagai: ["registry_clerk", "registry_viewer"]}


def test_the_operator_links_a_person_to_another_tenant_audited_in_both(api, nagai, hiroshima):
    api.add_user(hiroshima, "registry_clerk", username="hayashi")
    operator = api.login_as(None, "operator")
    linked = api.client.post(f"/api/v1/users/hayashi/tenants/{nagai}", json={"roles": ["auditor"]}, headers=operator)
    assert linked.status_code == 200, linked.text
    assert linked.json()["tenants"] == {nagai: ["auditor"], hiroshima: ["registry_clerk"]}
    for chain in (nagai, hiroshima, PLATFORM_SCOPE):
        assert len(entries(api, chain, "kernel:user:link")) == 1, chain
    me = api.client.get("/api/v1/me", headers=api.token("hayashi")).json()
    assert me["tenants"] == {nagai: ["auditor"], hiroshima: ["registry_clerk"]}


def test_a_tenant_admin_cannot_link(api, nagai, hiroshima):
    api.add_user(hiroshima, "registry_clerk", username="hayashi")
    admin = api.login_as(nagai, "tenant_admin")
    response = api.client.post(f"/api/v1/users/hayashi/tenants/{nagai}", json={"roles": ["auditor"]}, headers=admin)
    assert response.status_code == 403


def test_a_tenant_admin_ends_a_members_roles_and_their_token_stops_working_there(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    clerk_name = api.add_user(nagai, "registry_clerk")
    clerk = api.token(clerk_name)
    response = api.client.post(f"/api/v1/t/{nagai}/users/{clerk_name}/deactivate", headers=admin)
    assert response.status_code == 204, response.text
    refused = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"}, headers=clerk)
    assert refused.status_code == 401  # no role left anywhere: the account itself went off
    assert len(entries(api, nagai, "kernel:user:deactivate")) == 1


def test_a_tenant_admin_may_not_end_another_tenants_user_and_cannot_tell_it_exists(api, nagai, hiroshima):
    api.add_user(hiroshima, "registry_clerk", username="hayashi")
    admin = api.login_as(nagai, "tenant_admin")
    foreign = api.client.post(f"/api/v1/t/{nagai}/users/hayashi/deactivate", headers=admin)
    unknown = api.client.post(f"/api/v1/t/{nagai}/users/nobody-at-all/deactivate", headers=admin)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert api.client.get("/api/v1/me", headers=api.token("hayashi")).status_code == 200


def test_the_operator_deactivates_an_account_and_its_tokens_die(api, nagai):
    name = api.add_user(nagai, "registry_clerk")
    headers = api.token(name)
    operator = api.login_as(None, "operator")
    assert api.client.post(f"/api/v1/users/{name}/deactivate", headers=operator).status_code == 204
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401
    assert api.client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD}).json()["code"] == \
        "AUTH_FAILED"
