"""API clients: machines get credentials of their own — scopes, one tenant, an expiry —
created and revoked by the tenant admin, audited, and dead the moment they are revoked."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import select, update

from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.identity.orm import ApiClient
from tests.factories import door_refusals
from tests.integration.api.helpers import TOKEN, person, tennyu

READ = ["registry:resident:search", "registry:resident:view"]


def create(api, admin, tenant, scopes=READ, days=30, name="住民税バッチ"):
    expires = (today_jst() + timedelta(days=days)).isoformat()
    return api.client.post(f"/api/v1/t/{tenant}/api-clients", headers=admin,
                           json={"name": name, "scopes": scopes, "expires_on": expires})


def client_token(api, client_id, secret):
    return api.client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": client_id,
                                        "client_secret": secret})


def bearer(response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def registered_client(api, tenant, scopes=READ):
    admin = api.login_as(tenant, "tenant_admin")
    created = create(api, admin, tenant, scopes)
    assert created.status_code == 201, created.text
    return admin, created.json()


def test_a_tenant_admin_registers_a_client_whose_secret_is_shown_once_and_stored_hashed(api, nagai):
    admin, body = registered_client(api, nagai)
    assert body["client_id"].startswith(f"{nagai}-") and len(body["client_secret"]) >= 40
    assert body["scopes"] == sorted(READ) and body["active"] is True
    listed = api.client.get(f"/api/v1/t/{nagai}/api-clients", headers=admin)
    assert [c["client_id"] for c in listed.json()] == [body["client_id"]]
    assert body["client_secret"] not in listed.text
    with api.platform.session_factory() as s:
        row = s.get(ApiClient, (nagai, body["client_id"]))
        assert row.secret_hash.startswith("$argon2id$") and body["client_secret"] not in row.secret_hash
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "kernel:api_client:add")).all()
    assert len(audit) == 1 and body["client_secret"] not in audit[0].detail


def test_a_client_acts_with_exactly_its_scopes_in_its_own_tenant_only(api, nagai, hiroshima):
    _, body = registered_client(api, nagai)
    headers = bearer(client_token(api, body["client_id"], body["client_secret"]))
    search = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"}, headers=headers)
    assert search.status_code == 200, search.text
    write = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=headers)
    assert write.status_code == 403 and write.json()["code"] == "PERMISSION_DENIED"
    other = api.client.get(f"/api/v1/t/{hiroshima}/residents", params={"q": "ヤマダ"}, headers=headers)
    assert other.status_code == 403 and other.json()["code"] == "TENANT_ACCESS_DENIED"
    assert api.client.get("/api/v1/me", headers=headers).status_code == 403
    assert api.client.get("/api/v1/tenants", headers=headers).status_code == 403
    with api.platform.session_factory() as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.tenant_code == nagai,
                                                              AuditEntry.action == "registry:resident:search")))
    assert actors == {f"client:{body['client_id']}"}


def test_a_client_with_the_write_scope_registers_a_notification(api, nagai):
    _, body = registered_client(api, nagai, READ + ["registry:notification:register"])
    headers = bearer(client_token(api, body["client_id"], body["client_secret"]))
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=headers)
    assert response.status_code == 201, response.text


def test_revoking_a_client_refuses_its_tokens_at_once(api, nagai):
    admin, body = registered_client(api, nagai)
    headers = bearer(client_token(api, body["client_id"], body["client_secret"]))
    revoked = api.client.post(f"/api/v1/t/{nagai}/api-clients/{body['client_id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    refused = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ"}, headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "TOKEN_INVALID"
    again = client_token(api, body["client_id"], body["client_secret"])
    assert again.status_code == 401 and again.json()["code"] == "CLIENT_INACTIVE"
    twice = api.client.post(f"/api/v1/t/{nagai}/api-clients/{body['client_id']}/revoke", headers=admin)
    assert twice.status_code == 409


def test_an_expired_client_gets_no_token_and_its_tokens_stop(api, nagai):
    _, body = registered_client(api, nagai)
    headers = bearer(client_token(api, body["client_id"], body["client_secret"]))
    with api.platform.engine.begin() as conn:
        conn.execute(update(ApiClient).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤ"}, headers=headers).status_code == 401
    assert client_token(api, body["client_id"], body["client_secret"]).json()["code"] == "CLIENT_INACTIVE"


def test_a_token_never_outlives_its_client(api, nagai):
    _, body = registered_client(api, nagai)
    with api.platform.engine.begin() as conn:
        conn.execute(update(ApiClient).values(expires_at=utcnow() + timedelta(seconds=600)))
    response = client_token(api, body["client_id"], body["client_secret"])
    assert 0 < response.json()["expires_in"] <= 600 < api.platform.settings.client_token_ttl_seconds


def test_a_wrong_secret_and_an_unknown_client_get_the_same_answer(api, nagai):
    _, body = registered_client(api, nagai)
    wrong = client_token(api, body["client_id"], "x" * 43)
    unknown = client_token(api, f"{nagai}-0123456789ab", "x" * 43)
    malformed = client_token(api, "no-such-client", "x" * 43)
    assert wrong.status_code == unknown.status_code == malformed.status_code == 401
    assert wrong.json() == unknown.json() == malformed.json()
    assert wrong.json()["code"] == "CLIENT_AUTH_FAILED"


def test_client_credentials_may_come_as_http_basic(api, nagai):
    _, body = registered_client(api, nagai)
    basic = base64.b64encode(f"{body['client_id']}:{body['client_secret']}".encode()).decode()
    response = api.client.post(TOKEN, data={"grant_type": "client_credentials"},
                               headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.text


def test_a_client_can_never_manage_users_or_clients_nor_export_the_tenant(api, nagai):
    admin = api.login_as(nagai, "tenant_admin")
    for scope in ("kernel:user:manage", "kernel:api_client:manage", "kernel:tenant:export", "kernel:tenant:manage",
                  "registry:support_measure:manage", "registry:support_measure:release"):  # who is protected: people
        response = create(api, admin, nagai, [scope])
        assert response.status_code == 422 and response.json()["code"] == "CLIENT_SCOPE_INVALID", scope
    assert create(api, admin, nagai, days=400).json()["code"] == "CLIENT_EXPIRY_INVALID"
    assert create(api, admin, nagai, days=0).json()["code"] == "CLIENT_EXPIRY_INVALID"
    assert api.client.get(f"/api/v1/t/{nagai}/api-clients", headers=admin).json() == []


def test_only_the_tenant_admin_manages_clients_and_refusals_are_audited(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    assert create(api, clerk, nagai).status_code == 403
    assert api.client.get(f"/api/v1/t/{nagai}/api-clients", headers=clerk).status_code == 403
    # refused at the door (web.access), before the body is read: one entry per attempt
    assert len(door_refusals(api.platform, nagai, "kernel:api_client:manage")) == 2


def test_tokens_issued_to_a_client_and_failed_attempts_are_audited_in_its_tenant(api, nagai):
    _, body = registered_client(api, nagai)
    bearer(client_token(api, body["client_id"], body["client_secret"]))
    client_token(api, body["client_id"], "wrong-" * 8)
    with api.platform.session_factory() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.tenant_code == nagai,
                                                  AuditEntry.action.like("kernel:auth:client%"))
                          .order_by(AuditEntry.seq)).all()
    assert [(e.action, e.outcome, e.actor) for e in rows] == [
        ("kernel:auth:client_token", "success", f"client:{body['client_id']}"),
        ("kernel:auth:client_failed", "failure", f"client:{body['client_id']}"),
    ]
