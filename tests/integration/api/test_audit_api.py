"""The audit log through the API: auditors read and verify it; everyone else is refused,
and the refusal is itself on record."""

from __future__ import annotations

from datetime import datetime, timedelta

from municloud.kernel.clock import JST
from tests.integration.api.helpers import person, tennyu


def test_an_auditor_reads_the_log_but_a_clerk_is_refused_and_the_refusal_is_logged(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=clerk)
    api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "サトウ"}, headers=clerk)

    refused = api.client.get(f"/api/v1/t/{nagai}/audit", headers=clerk)
    assert refused.status_code == 403
    assert refused.json()["code"] == "PERMISSION_DENIED"
    assert "記録" in refused.json()["message"]

    auditor = api.login_as(nagai, "auditor")
    log = api.client.get(f"/api/v1/t/{nagai}/audit", params={"limit": 100}, headers=auditor)
    assert log.status_code == 200
    actions = [(e["action"], e["outcome"]) for e in log.json()]
    assert ("kernel:access:denied", "denied") in actions  # refused at the door (web.access)
    assert ("registry:resident:search", "success") in actions
    assert ("registry:notification:register", "success") in actions
    denied = next(e for e in log.json() if e["action"] == "kernel:access:denied" and e["outcome"] == "denied")
    assert denied["actor"].startswith("registryclerk-")
    assert denied["client_addr"] == "testclient"
    assert denied["detail"] == {"missing_permission": "kernel:audit:read"}


def test_audit_entries_carry_the_callers_request_id_and_terminal(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    headers = {**clerk, "X-Request-ID": "req-0001", "X-Terminal-ID": "NAGAI-SHIMIN-03"}
    response = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "サトウ"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "req-0001"
    auditor = api.login_as(nagai, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{nagai}/audit", params={"action": "registry:resident:search"}, headers=auditor
    ).json()
    assert [(e["request_id"], e["terminal"]) for e in entries] == [("req-0001", "NAGAI-SHIMIN-03")]


def test_a_generated_request_id_is_the_one_in_the_audit_log(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "サトウ"}, headers=clerk)
    auditor = api.login_as(nagai, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{nagai}/audit", params={"action": "registry:resident:search"}, headers=auditor
    ).json()
    assert [e["request_id"] for e in entries] == [response.headers["X-Request-ID"]]


def test_audit_search_by_time_accepts_japan_time(api, nagai):
    auditor = api.login_as(nagai, "auditor")
    url = f"/api/v1/t/{nagai}/audit"
    now_jst = datetime.now(JST).replace(microsecond=0)
    recent = api.client.get(url, params={"since": (now_jst - timedelta(minutes=5)).isoformat()}, headers=auditor)
    assert recent.status_code == 200 and recent.json()
    future = api.client.get(url, params={"since": (now_jst + timedelta(minutes=5)).isoformat()}, headers=auditor)
    assert future.json() == []


def test_audit_search_filters_by_actor_and_subject(api, nagai):
    clerk_name = api.add_user(nagai, "registry_clerk")
    clerk = api.token(clerk_name)
    atena_no = api.client.post(
        f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=clerk
    ).json()["atena_nos"][0]
    api.client.get(f"/api/v1/t/{nagai}/residents/{atena_no}", headers=clerk)
    auditor = api.login_as(nagai, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{nagai}/audit",
        params={"actor": clerk_name, "subject": f"resident:{atena_no}"},
        headers=auditor,
    ).json()
    assert [e["action"] for e in entries] == ["registry:resident:view", "registry:notification:register"]


def test_an_auditor_verifies_the_chain_and_a_clerk_may_not(api, nagai):
    auditor = api.login_as(nagai, "auditor")
    report = api.client.get(f"/api/v1/t/{nagai}/audit/verify", headers=auditor)
    assert report.status_code == 200
    assert report.json()["ok"] is True and report.json()["problem"] is None
    assert report.json()["entries"] > 0
    clerk = api.login_as(nagai, "registry_clerk")
    assert api.client.get(f"/api/v1/t/{nagai}/audit/verify", headers=clerk).status_code == 403


def test_a_bad_audit_query_parameter_is_a_japanese_validation_error(api, nagai):
    auditor = api.login_as(nagai, "auditor")
    response = api.client.get(f"/api/v1/t/{nagai}/audit", params={"limit": "many"}, headers=auditor)
    assert response.status_code == 422
    assert response.json()["fields"] == {"limit": "数字で入力してください"}
