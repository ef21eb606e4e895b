"""The registry's rules through the JSON API: the late flag in the answer, the supervisor's
late list, a 出生 of 昭和50年 as a 422 on ``ido_date``, a 転居 out of the city refused."""

from __future__ import annotations

from datetime import timedelta

from municloud.kernel.clock import today_jst
from tests.integration.api.helpers import person, tennyu
from tests.integration.registry.test_notification_dates import last_open_weekday_before


def _move_in(api, tenant, headers, **kw):
    response = api.client.post(f"/api/v1/t/{tenant}/notifications", json=tennyu(person(), **kw), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_late_notification_is_registered_flagged_and_listed_for_the_supervisor(api, nagai):
    clerk, chief = api.login_as(nagai, "registry_clerk"), api.login_as(nagai, "registry_supervisor")
    moved = last_open_weekday_before(40)
    body = tennyu(person(), ido_date=moved.isoformat())
    body["todoke_date"] = (moved + timedelta(days=16)).isoformat()
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["late_notice"] is True and result["notice_deadline"] == (moved + timedelta(days=14)).isoformat()
    history = api.client.get(f"/api/v1/t/{nagai}/residents/{result['atena_nos'][0]}/history", headers=clerk).json()
    assert [h["late_notice"] for h in history] == [True]

    period = {"since": moved.isoformat(), "until": today_jst().isoformat()}
    listed = api.client.get(f"/api/v1/t/{nagai}/late-notifications", params=period, headers=chief)
    assert listed.status_code == 200, listed.text
    [row] = listed.json()
    assert (row["notification_id"], row["kind_label"], row["article"], row["days_late"]) == (
        result["notification_id"], "転入届", "第22条", 2)
    assert api.client.get(f"/api/v1/t/{nagai}/late-notifications", params=period, headers=clerk).status_code == 403
    bad = api.client.get(f"/api/v1/t/{nagai}/late-notifications", params={"since": "x", "until": "y"}, headers=chief)
    assert bad.status_code == 422 and "since" in bad.json()["fields"]


def test_a_birth_of_showa_50_is_a_422_on_the_ido_date(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    home = _move_in(api, nagai, clerk)
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", headers=clerk, json={
        "kind": "shussei", "ido_date": "昭和50年1月1日", "setai_no": home["setai_nos"][0],
        "person": {"shimei": "佐藤　二郎", "shimei_kana": "サトウ　ジロウ", "sex": "1", "zokugara": "子",
                   "resident_kind": "日本人"}})
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "DATE_BEFORE_RULES" and list(error["fields"]) == ["ido_date"]
    assert "パラメータ" not in error["message"]


def test_a_move_within_to_another_municipality_is_a_422_that_says_it_is_a_move_out(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    home = _move_in(api, nagai, clerk)
    response = api.client.post(f"/api/v1/t/{nagai}/notifications", headers=clerk, json={
        "kind": "tenkyo", "ido_date": today_jst().isoformat(), "atena_nos": home["atena_nos"],
        "address": {"address": "東京都千代田区千代田1番1号"}})
    assert response.status_code == 422
    assert response.json()["code"] == "REGISTRY_ADDRESS_OUTSIDE_TENANT" and "転出" in response.json()["message"]
