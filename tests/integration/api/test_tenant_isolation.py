"""Tenant isolation: a token of one municipality learns nothing about another's residents;
the platform operator manages tenants but reads no resident."""

from __future__ import annotations

import pytest

from tests.factories import context, move_in
from tests.integration.api.helpers import person, tennyu


@pytest.fixture
def hiroshima_resident(platform, hiroshima):
    """A resident of 広島市 (341002): (宛名番号, 世帯番号)."""
    result = move_in(platform, context(platform, hiroshima, "registry_clerk"), address="広島県広島市中区国泰寺町一丁目6番34号")
    return result.atena_nos[0], result.setai_nos[0]


def _both(api, headers, existing: str, missing: str):
    """The answers for an existing and a non-existing path, as (status, body) pairs."""
    a = api.client.get(existing, headers=headers)
    b = api.client.get(missing, headers=headers)
    return (a.status_code, a.json()), (b.status_code, b.json())


@pytest.mark.parametrize(
    "path",
    [
        "/residents/{atena_no}",
        "/residents/{atena_no}?show_my_number=true",
        "/residents/{atena_no}/history",
        "/residents/{atena_no}/support-measures",
        "/households/{setai_no}",
    ],
)
def test_a_token_of_nagai_on_hiroshima_paths_is_refused_without_telling_whether_the_record_exists(
    api, nagai, hiroshima, hiroshima_resident, path
):
    atena_no, setai_no = hiroshima_resident
    nagai_clerk = api.login_as(nagai, "registry_clerk")
    base = f"/api/v1/t/{hiroshima}"
    existing = base + path.format(atena_no=atena_no, setai_no=setai_no)
    missing = base + path.format(atena_no="999999999", setai_no="999999999")
    found, not_found = _both(api, nagai_clerk, existing, missing)
    assert found[0] == 403
    assert found == not_found
    assert atena_no not in str(found[1])


def test_a_token_of_nagai_cannot_search_or_write_in_hiroshima(api, nagai, hiroshima, hiroshima_resident):
    nagai_clerk = api.login_as(nagai, "registry_clerk")
    search = api.client.get(f"/api/v1/t/{hiroshima}/residents", params={"q": "ヤマダ"}, headers=nagai_clerk)
    assert search.status_code == 403
    assert search.json()["code"] == "TENANT_ACCESS_DENIED"
    write = api.client.post(f"/api/v1/t/{hiroshima}/notifications", json=tennyu(person()), headers=nagai_clerk)
    assert write.status_code == 403
    # the same refusal for a tenant that does not exist at all
    nowhere = api.client.get("/api/v1/t/011002/residents", params={"q": "ヤマダ"}, headers=nagai_clerk)
    assert (nowhere.status_code, nowhere.json()) == (search.status_code, search.json())


def test_the_refused_attempt_is_in_the_other_tenants_audit_log(api, nagai, hiroshima, hiroshima_resident):
    atena_no, _ = hiroshima_resident
    nagai_clerk = api.login_as(nagai, "registry_clerk")
    api.client.get(f"/api/v1/t/{hiroshima}/residents/{atena_no}", headers=nagai_clerk)
    hiroshima_auditor = api.login_as(hiroshima, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{hiroshima}/audit", params={"action": "kernel:access:denied"}, headers=hiroshima_auditor
    )
    assert entries.status_code == 200
    assert [e["outcome"] for e in entries.json()] == ["denied"]
    assert entries.json()[0]["actor"].startswith("registryclerk-")


def test_the_same_name_in_two_cities_is_found_only_in_ones_own(api, nagai, hiroshima, hiroshima_resident):
    nagai_clerk = api.login_as(nagai, "registry_clerk")
    api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person("山田　太郎", "ヤマダ　タロウ")),
                    headers=nagai_clerk)
    found = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤマダ　タロウ"}, headers=nagai_clerk)
    assert found.status_code == 200
    assert [r["address"] for r in found.json()] == ["山形県長井市本町一丁目1番1号"]


def test_an_operator_adds_a_tenant_but_cannot_read_any_resident(api, nagai, hiroshima_resident):
    operator = api.login_as(None, "operator")
    added = api.client.post(
        "/api/v1/tenants", json={"code": "063380", "name": "白鷹町", "kind": "町"}, headers=operator
    )
    assert added.status_code == 201, added.text
    assert added.json()["code"] == "063380"
    listed = api.client.get("/api/v1/tenants", headers=operator)
    assert "063380" in {t["code"] for t in listed.json()}

    for path in (
        f"/api/v1/t/{nagai}/residents?q=ヤマダ",
        f"/api/v1/t/341002/residents/{hiroshima_resident[0]}",
        f"/api/v1/t/{nagai}/audit",
        "/api/v1/t/063380/residents?q=ヤマダ",
    ):
        response = api.client.get(path, headers=operator)
        assert response.status_code == 403, path
        assert response.json()["code"] == "TENANT_ACCESS_DENIED"


def test_a_clerk_cannot_add_a_tenant(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.post("/api/v1/tenants", json={"code": "063380", "name": "白鷹町", "kind": "町"}, headers=clerk)
    assert response.status_code == 403
    assert response.json()["code"] == "PLATFORM_ACCESS_DENIED"


def test_a_malformed_tenant_code_is_a_validation_error(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get("/api/v1/t/06209X/residents", params={"q": "ヤマダ"}, headers=clerk)
    assert response.status_code == 422
    assert response.json()["fields"] == {"tenant": "入力形式が正しくありません"}
