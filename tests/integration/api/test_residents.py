"""A clerk's day through the API: 転入, search, the record, its history, the household, 個人番号."""

from __future__ import annotations

import random

from municloud.jp.codes import generate_my_number
from tests.integration.api.helpers import person, tennyu


def _move_in(api, tenant, headers, *persons):
    response = api.client.post(f"/api/v1/t/{tenant}/notifications", json=tennyu(*persons), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_clerk_registers_a_move_in_and_finds_the_person_by_kana(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    result = _move_in(
        api, nagai, clerk,
        person("佐藤　一郎", "サトウ　イチロウ"),
        person("佐藤　良子", "さとう　よしこ", "1977-07-07", sex="2", zokugara="妻"),
    )
    assert result["kind"] == "tennyu" and result["ido_jiyu"]
    assert len(result["atena_nos"]) == 2 and len(result["setai_nos"]) == 1

    found = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "サトウ　ヨシコ"}, headers=clerk)
    assert found.status_code == 200
    assert [(r["atena_no"], r["shimei"], r["shimei_kana"]) for r in found.json()] == [
        (result["atena_nos"][1], "佐藤　良子", "サトウ　ヨシコ")
    ]
    by_name = api.client.get(f"/api/v1/t/{nagai}/residents", params={"name": "佐藤"}, headers=clerk)
    assert {r["atena_no"] for r in by_name.json()} == set(result["atena_nos"])


def test_history_and_household_follow_a_move_within_the_city(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    result = _move_in(api, nagai, clerk, person())
    atena_no, setai_no = result["atena_nos"][0], result["setai_nos"][0]
    tenkyo = {
        "kind": "tenkyo", "ido_date": tennyu()["todoke_date"], "atena_nos": [atena_no],
        "address": {"address": "山形県長井市栄町2番3号"}, "expected_rireki": {atena_no: 1},
    }
    moved = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tenkyo, headers=clerk)
    assert moved.status_code == 201, moved.text

    history = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_no}/history", headers=clerk)
    assert history.status_code == 200
    assert [(h["rireki_no"], h["ido_jiyu"]) for h in history.json()][1] == (2, "転居")
    assert history.json()[1]["address"] == "山形県長井市栄町2番3号"
    assert history.json()[1]["input_place"] == "api"

    household = api.client.get(f"/api/v1/t/{nagai}/households/{setai_no}", headers=clerk)
    assert household.status_code == 200
    assert household.json()["head_atena_no"] == atena_no
    assert [m["atena_no"] for m in household.json()["members"]] == [atena_no]


def test_a_stale_expected_history_number_is_a_conflict(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    atena_no = _move_in(api, nagai, clerk, person())["atena_nos"][0]
    tenkyo = {
        "kind": "tenkyo", "ido_date": tennyu()["todoke_date"], "atena_nos": [atena_no],
        "address": {"address": "山形県長井市栄町2番3号"}, "expected_rireki": {atena_no: 7},
    }
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tenkyo, headers=clerk)
    assert response.status_code == 409
    assert response.json()["code"] == "REGISTRY_STALE_RECORD"


def test_an_unknown_resident_is_404_within_ones_own_tenant(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get(f"/api/v1/t/{nagai}/residents/999999999", headers=clerk)
    assert response.status_code == 404
    assert response.json()["code"] == "REGISTRY_RESIDENT_NOT_FOUND"


def test_my_number_is_masked_for_a_clerk_and_shown_to_a_supervisor_with_an_audit_entry(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    my_number = generate_my_number(random.Random(12))
    atena_no = _move_in(api, nagai, clerk, person(my_number=my_number))["atena_nos"][0]
    url = f"/api/v1/t/{nagai}/residents/{atena_no}"

    masked = api.client.get(url, headers=clerk)
    assert masked.status_code == 200
    assert masked.json()["my_number"] is None
    assert masked.json()["my_number_masked"] and my_number not in masked.json()["my_number_masked"]
    assert my_number not in masked.text

    refused = api.client.get(url, params={"show_my_number": "true"}, headers=clerk)
    assert refused.status_code == 403
    assert refused.json()["code"] == "PERMISSION_DENIED"
    assert my_number not in refused.text

    supervisor = api.login_as(nagai, "registry_supervisor")
    shown = api.client.get(url, params={"show_my_number": "true"}, headers=supervisor)
    assert shown.status_code == 200
    assert shown.json()["my_number"] == my_number

    auditor = api.login_as(nagai, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{nagai}/audit", params={"action": "registry:my_number:view"}, headers=auditor
    ).json()
    assert [(e["outcome"], e["my_number_shown"], e["subjects"]) for e in entries] == [
        ("success", True, [f"resident:{atena_no}"]),
        ("denied", False, [f"resident:{atena_no}"]),
    ]
