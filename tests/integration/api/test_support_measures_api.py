"""支援措置 through the API: started by a supervisor, it blocks third-party requests and
shows staff that the person is protected; ended, the block lifts."""

from __future__ import annotations

import pytest

from municloud.kernel.clock import today_jst
from tests.factories import days_ago, support_opinion
from tests.integration.api.helpers import person, tennyu

MEASURE = {"stage": "本", "category": "DV", "applied_on": days_ago(0), "start_on": days_ago(0),
           "end_on": days_ago(-364), **support_opinion()}


@pytest.fixture
def protected_person(api, nagai):
    """(clerk headers, supervisor headers, 宛名番号, measure) with a 支援措置 started via the API."""
    clerk = api.login_as(nagai, "registry_clerk")
    supervisor = api.login_as(nagai, "registry_supervisor")
    result = api.client.post(
        f"/api/v1/t/{nagai}/notifications",
        json=tennyu(person("鈴木　花子", "スズキ　ハナコ", sex="2"), person("鈴木　太一", "スズキ　タイチ", "2015-01-01", zokugara="子")),
        headers=clerk,
    ).json()
    atena_no = result["atena_nos"][0]
    started = api.client.post(
        f"/api/v1/t/{nagai}/residents/{atena_no}/support-measures",
        json=MEASURE,
        headers=supervisor,
    )
    assert started.status_code == 201, started.text
    return clerk, supervisor, result["atena_nos"], started.json()


def _third_party(api, tenant, headers, atena_nos, requester_type="third_party", **extra):
    return api.client.post(
        f"/api/v1/t/{tenant}/third-party-requests",
        json={"atena_nos": atena_nos, "requester_type": requester_type, "purpose": "債権回収のため", **extra},
        headers=headers,
    )


def test_a_started_measure_is_active_and_listed(api, nagai, protected_person):
    clerk, _, atena_nos, measure = protected_person
    assert measure["active"] is True and measure["stage"] == "本"
    assert measure["end_on"] > measure["start_on"]
    listed = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_nos[0]}/support-measures", headers=clerk)
    assert listed.status_code == 200
    assert [m["measure_id"] for m in listed.json()] == [measure["measure_id"]]


def test_a_third_party_request_about_a_protected_person_is_held_and_an_agents_refused(api, nagai, protected_person):
    clerk, supervisor, atena_nos, _ = protected_person
    held = _third_party(api, nagai, clerk, atena_nos)
    assert held.status_code == 202
    assert (held.json()["held"], held.json()["allowed"]) == (True, False)
    assert held.json()["atena_nos"] == atena_nos and atena_nos[0] not in held.json()["message"]  # not who is protected
    refused = _third_party(api, nagai, clerk, atena_nos, requester_type="agent")
    assert refused.status_code == 403
    assert refused.json()["code"] == "REGISTRY_SUPPORT_MEASURE_ACTIVE"
    assert atena_nos[0] not in refused.text

    shown = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_nos[0]}", headers=clerk)
    assert shown.status_code == 200 and shown.json()["protected"] is True
    found = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "スズキ"}, headers=clerk).json()
    assert {r["atena_no"]: r["protected"] for r in found} == {atena_nos[0]: True, atena_nos[1]: False}

    auditor = api.login_as(nagai, "auditor")
    entries = api.client.get(
        f"/api/v1/t/{nagai}/audit", params={"action": "registry:third_party:request"}, headers=auditor
    ).json()
    assert [(e["outcome"], e["detail"]["reason"], e["detail"]["rule"]) for e in entries] == [
        ("denied", "support_measure", "agent")]

    hold_no = held.json()["hold_no"]
    decided = api.client.post(f"/api/v1/t/{nagai}/support-holds/{hold_no}/decision", headers=supervisor,
                              json={"decision": "release", "reason": "債務名義（判決正本）を確認"})
    assert decided.status_code == 200 and decided.json()["status"] == "released"
    accepted = _third_party(api, nagai, clerk, atena_nos, hold_no=hold_no)
    assert accepted.status_code == 200 and accepted.json()["allowed"] is True
    assert _third_party(api, nagai, clerk, atena_nos, hold_no=hold_no).status_code == 409


def test_a_request_about_an_unprotected_person_is_accepted(api, nagai, protected_person):
    clerk, _, atena_nos, _ = protected_person
    accepted = _third_party(api, nagai, clerk, [atena_nos[1]])
    assert accepted.status_code == 200
    assert accepted.json() == {"allowed": True, "atena_nos": [atena_nos[1]], "held": False, "hold_no": None,
                               "message": None}


def test_a_clerk_cannot_start_a_measure(api, nagai, protected_person):
    clerk, _, atena_nos, _ = protected_person
    response = api.client.post(
        f"/api/v1/t/{nagai}/residents/{atena_nos[1]}/support-measures", json=MEASURE, headers=clerk
    )
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


def test_ending_the_measure_lifts_the_block(api, nagai, protected_person):
    clerk, supervisor, atena_nos, measure = protected_person
    url = f"/api/v1/t/{nagai}/residents/{atena_nos[0]}/support-measures/{measure['measure_id']}"
    ended = api.client.post(
        url, json={"action": "end", "end_on": today_jst().isoformat(), "expected_version": measure["version"],
                   "reason": "申出の取下げ"}, headers=supervisor
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_on"] is not None
    assert _third_party(api, nagai, clerk, atena_nos).status_code == 200
    shown = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_nos[0]}", headers=clerk)
    assert shown.json()["protected"] is False


def test_an_unknown_action_on_a_measure_asks_to_choose(api, nagai, protected_person):
    _, supervisor, atena_nos, measure = protected_person
    url = f"/api/v1/t/{nagai}/residents/{atena_nos[0]}/support-measures/{measure['measure_id']}"
    response = api.client.post(url, json={"action": "pause"}, headers=supervisor)
    assert response.status_code == 422
    assert response.json()["fields"] == {"action": "選択肢から選んでください"}


def test_an_empty_body_starts_nothing(api, nagai, platform):
    """``{}`` used to start a 本支援措置 of kind DV for a year: every item must now be given."""
    from tests.factories import registry_footprint

    clerk = api.login_as(nagai, "registry_clerk")
    supervisor = api.login_as(nagai, "registry_supervisor")
    atena_no = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=clerk).json()[
        "atena_nos"][0]
    before = registry_footprint(platform, nagai)
    response = api.client.post(f"/api/v1/t/{nagai}/residents/{atena_no}/support-measures", json={},
                               headers=supervisor)
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"
    assert set(response.json()["fields"]) == {"stage", "category", "applied_on", "start_on", "end_on"}
    assert registry_footprint(platform, nagai) == before


def test_a_measure_without_the_opinion_is_refused_with_every_problem(api, nagai, platform):
    """A 本 measure needs the 相談機関's opinion (要領 第5-10); the answer names every problem."""
    from tests.factories import registry_footprint

    clerk = api.login_as(nagai, "registry_clerk")
    supervisor = api.login_as(nagai, "registry_supervisor")
    atena_no = api.client.post(f"/api/v1/t/{nagai}/notifications", json=tennyu(person()), headers=clerk).json()[
        "atena_nos"][0]
    before = registry_footprint(platform, nagai)
    body = {**MEASURE, "consult_agency": None, "opinion_on": None, "opinion": None, "category": "不明"}
    response = api.client.post(f"/api/v1/t/{nagai}/residents/{atena_no}/support-measures", json=body,
                               headers=supervisor)
    assert response.status_code == 422 and response.json()["code"] == "MULTIPLE_PROBLEMS"
    assert set(response.json()["fields"]) == {"category", "consult_agency", "opinion_on", "opinion"}
    assert {p["code"] for p in response.json()["problems"]} == {"REGISTRY_SUPPORT_CATEGORY_INVALID",
                                                                 "REGISTRY_ITEM_REQUIRED"}
    assert registry_footprint(platform, nagai) == before


def test_the_supervisor_lists_the_measures_in_force_and_a_clerk_does_not_see_the_opinion(api, nagai,
                                                                                         protected_person):
    clerk, supervisor, atena_nos, measure = protected_person
    active = api.client.get(f"/api/v1/t/{nagai}/support-measures/active", headers=supervisor)
    assert active.status_code == 200
    assert [(m["atena_no"], m["shimei"], m["status"]) for m in active.json()] == [(atena_nos[0], "鈴木　花子", "active")]
    assert active.json()[0]["consult_agency"] == MEASURE["consult_agency"]
    assert api.client.get(f"/api/v1/t/{nagai}/support-measures/active", headers=clerk).status_code == 403
    seen = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_nos[0]}/support-measures", headers=clerk).json()
    assert seen[0]["active"] is True and seen[0]["opinion"] is None and seen[0]["consult_agency"] is None
