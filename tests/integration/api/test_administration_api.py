"""Tenant administration through the API: users and roles, parameters, tenants."""

from __future__ import annotations

from tests.integration.api.helpers import PASSWORD


def test_a_tenant_admin_adds_a_clerk_who_can_then_log_in(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    added = api.client.post(
        f"/api/v1/t/{nagai}/users",
        json={"username": "tanaka", "password": PASSWORD, "roles": ["registry_clerk"], "display_name": "田中 窓口"},
        headers=admin,
    )
    assert added.status_code == 201, added.text
    assert added.json()["tenants"] == {nagai: ["registry_clerk"]}
    assert added.json()["display_name"] == "田中 窓口"
    assert "password" not in added.text and "hash" not in added.text
    listed = api.client.get(f"/api/v1/t/{nagai}/users", headers=admin)
    assert "tanaka" in {u["username"] for u in listed.json()}
    token = api.token("tanaka")
    assert api.client.get("/api/v1/me", headers=token).json()["display_name"] == "田中 窓口"


def test_a_weak_password_or_unknown_role_is_refused_in_japanese(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    url = f"/api/v1/t/{nagai}/users"
    short = api.client.post(url, json={"username": "suzuki", "password": "short", "roles": ["registry_clerk"]}, headers=admin)
    assert short.status_code == 422
    assert short.json()["code"] == "PASSWORD_TOO_SHORT"
    assert short.json()["fields"] == {"password": "10文字以上にしてください"}
    role = api.client.post(url, json={"username": "suzuki", "password": PASSWORD, "roles": ["mayor"]}, headers=admin)
    assert role.status_code == 422
    assert role.json()["code"] == "ROLE_UNKNOWN"


def test_a_clerk_cannot_manage_users(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    assert api.client.get(f"/api/v1/t/{nagai}/users", headers=clerk).status_code == 403
    response = api.client.post(
        f"/api/v1/t/{nagai}/users",
        json={"username": "intruder", "password": PASSWORD, "roles": ["tenant_admin"]},
        headers=clerk,
    )
    assert response.status_code == 403


def test_a_tenant_admin_overrides_a_parameter_from_a_date_and_a_clerk_reads_it(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    url = f"/api/v1/t/{nagai}/parameters/registry.certificate.fee"
    response = api.client.put(
        url, json={"effective_from": "2024-04-01", "value": 350, "reason": "手数料条例の改正"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert (response.json()["value"], response.json()["source"]) == (350, "tenant")

    clerk = api.login_as(nagai, "registry_clerk")
    before = api.client.get(url, params={"on": "2024-03-31"}, headers=clerk).json()
    after = api.client.get(url, params={"on": "2024-04-01"}, headers=clerk).json()
    assert (before["value"], before["source"]) == (300, "national")
    assert (after["value"], after["source"], after["reason"]) == (350, "tenant", "手数料条例の改正")
    assert after["unit"] == "円" and after["reference"]


def test_a_clerk_cannot_override_and_a_wrong_type_is_refused(api, nagai):
    url = f"/api/v1/t/{nagai}/parameters/registry.certificate.fee"
    body = {"effective_from": "2024-04-01", "value": "三百五十", "reason": "改正"}
    clerk = api.login_as(nagai, "registry_clerk")
    assert api.client.put(url, json=body, headers=clerk).status_code == 403
    admin = api.login_as(nagai, "tenant_admin")
    wrong = api.client.put(url, json=body, headers=admin)
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "PARAMETER_TYPE_INVALID"
    assert api.client.get(url, headers=clerk).json()["value"] == 300


def test_an_unknown_parameter_is_404_and_a_bad_date_is_422(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    unknown = api.client.get(f"/api/v1/t/{nagai}/parameters/no.such.key", headers=clerk)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "PARAMETER_UNKNOWN"
    bad = api.client.get(
        f"/api/v1/t/{nagai}/parameters/registry.certificate.fee", params={"on": "令和6年4月1日"}, headers=clerk
    )
    assert bad.status_code == 422
    assert bad.json()["fields"] == {"on": "入力形式が正しくありません"}


def test_a_wrong_tenant_code_is_refused_in_japanese(api):
    operator = api.login_as(None, "operator")
    response = api.client.post("/api/v1/tenants", json={"code": "062091", "name": "長井市"}, headers=operator)
    assert response.status_code == 422
    assert response.json()["message"]
    duplicate = api.client.post("/api/v1/tenants", json={"code": "062090", "name": "長井市"}, headers=operator)
    assert duplicate.status_code == 201
    again = api.client.post("/api/v1/tenants", json={"code": "062090", "name": "長井市"}, headers=operator)
    assert again.status_code == 409
    assert again.json()["code"] == "TENANT_EXISTS"


def test_only_the_operator_lists_every_tenant_and_users_see_their_own_in_me(api, nagai, hiroshima):
    for role in ("registry_clerk", "tenant_admin"):  # docs/permissions.md: kernel:tenant:manage, operator only
        refused = api.client.get("/api/v1/tenants", headers=api.login_as(nagai, role))
        assert refused.status_code == 403 and "広島市" not in refused.text
    clerk = api.login_as(nagai, "registry_clerk")
    assert api.client.get("/api/v1/me", headers=clerk).json()["tenants"] == {nagai: ["registry_clerk"]}
    operator = api.login_as(None, "operator")
    listed = api.client.get("/api/v1/tenants", headers=operator)
    assert listed.status_code == 200
    assert [(t["code"], t["name"]) for t in listed.json()] == [(nagai, "長井市"), (hiroshima, "広島市")]
    assert api.client.get("/api/v1/tenants").status_code == 401
