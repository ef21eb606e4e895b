"""Bad input through the API: 422, a stable code, Japanese messages per field, nothing written."""

from __future__ import annotations

import pytest

from tests.integration.api.helpers import person, tennyu


def _nothing_registered(api, tenant, headers) -> None:
    for q in ("サトウ", "佐藤"):
        found = api.client.get(f"/api/v1/t/{tenant}/residents", params={"q": q}, headers=headers)
        assert found.status_code == 200
        assert found.json() == []


def test_kanji_in_furigana_is_refused_with_a_japanese_message_and_nothing_is_written(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    body = tennyu(person("佐藤　一郎", "佐藤　イチロウ"), person("佐藤　二郎", "サトウ　ジロウ", zokugara="子"))
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert response.status_code == 422
    assert response.json()["code"] == "JP_FURIGANA_INVALID"
    assert "フリガナ" in response.json()["message"]
    assert [f for f in response.json()["fields"] if f.endswith("shimei_kana")]
    _nothing_registered(api, nagai, clerk)


@pytest.mark.parametrize("birth", ["昭和64年1月8日", "2020-02-30"])
def test_an_impossible_birth_date_is_refused_in_japanese(api, nagai, birth):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person(birth=birth)), headers=clerk)
    assert response.status_code == 422
    assert response.json()["code"] == "JP_DATE_INVALID"
    assert response.json()["message"].startswith("生年月日")
    assert [f for f in response.json()["fields"] if f.endswith("birth_date")]
    _nothing_registered(api, nagai, clerk)


def test_a_malformed_notification_names_each_field_in_japanese(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    body = tennyu(person())
    del body["previous_address"]
    body["persons"][0]["shimei"] = 123
    body["persons"][0]["favourite_colour"] = "青"
    body["from_abroad"] = "maybe"
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert response.status_code == 422
    assert response.json() == {
        "code": "REQUEST_INVALID",
        "message": "入力内容に誤りがあります",
        "fields": {
            "previous_address": "必須項目です",
            "persons.0.shimei": "文字列で入力してください",
            "persons.0.favourite_colour": "この項目は使えません",
            "from_abroad": "入力形式が正しくありません",
        },
    }
    assert "青" not in response.text  # the rejected input is not echoed back
    _nothing_registered(api, nagai, clerk)


def test_an_unknown_notification_kind_asks_to_choose(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.post(
        f"/api/v1/t/{nagai}/notifications", json={**tennyu(person()), "kind": "hikkoshi"}, headers=clerk
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"kind": "選択肢から選んでください"}
    missing = {k: v for k, v in tennyu(person()).items() if k != "kind"}
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=missing, headers=clerk)
    assert response.json()["fields"] == {"kind": "必須項目です"}


def test_a_body_that_is_not_json_is_a_validation_error(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.post(
        f"/api/v1/t/{nagai}/notifications", content=b"{not json",
        headers={**clerk, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"


def test_an_empty_search_asks_for_a_condition(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get(f"/api/v1/t/{nagai}/residents", headers=clerk)
    assert response.status_code == 422
    assert response.json()["code"] == "REGISTRY_SEARCH_EMPTY"
    assert response.json()["fields"] == {"q": "検索条件を入力してください"}


def test_an_error_in_the_second_person_of_a_move_in_names_that_person(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    body = tennyu(person(), person("佐藤　良子", "佐藤　良子", "1977-07-07", sex="2", zokugara="妻"))
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert response.status_code == 422
    assert response.json()["code"] == "JP_FURIGANA_INVALID"
    assert list(response.json()["fields"]) == ["persons.1.shimei_kana"]

    body = tennyu(person())
    body["address"]["postal_code"] = "99-1"
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["address.postal_code"]
