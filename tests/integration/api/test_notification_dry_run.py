"""``POST /notifications?dry_run=true``: the same use case as the registration, rolled back —
the API's door to what the screens' confirmation step does.  Nothing is written, no number
is consumed, and one ``registry:notification:check`` entry records the look."""

from __future__ import annotations

import json

import pytest

from tests.factories import audit_entries, days_ago, registry_footprint
from tests.integration.api.helpers import person, tennyu

CHECK = "registry:notification:check"


@pytest.fixture
def clerk(api, nagai):
    return api.login_as(nagai, "registry_clerk")


def _post(api, nagai, clerk, body, **params):
    return api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk, params=params)


def test_a_dry_run_writes_nothing_and_the_registration_then_gets_the_same_numbers(api, platform, nagai, clerk):
    body = tennyu(person("佐藤　一郎", "サトウ　イチロウ"), person("佐藤　花子", "サトウ　ハナコ", sex="2", zokugara="妻"))
    before = registry_footprint(platform, nagai)
    checked = _post(api, nagai, clerk, body, dry_run="true")
    assert checked.status_code == 200, checked.text
    would_be = checked.json()
    assert would_be["dry_run"] is True and would_be["ido_jiyu"] == "転入" and len(would_be["atena_nos"]) == 2

    after = registry_footprint(platform, nagai)
    assert after.pop("audit_success") == before.pop("audit_success") + 1
    assert after == before  # no row, and every counter (宛名番号, 世帯番号, 異動番号) as it was
    [entry] = audit_entries(platform, nagai, CHECK)
    assert entry.outcome == "success" and json.loads(entry.subjects) == []

    registered = _post(api, nagai, clerk, body)
    assert registered.status_code == 201
    done = registered.json()
    assert done["dry_run"] is False
    assert (done["notification_id"], done["atena_nos"], done["setai_nos"]) == (
        would_be["notification_id"], would_be["atena_nos"], would_be["setai_nos"])


def test_every_problem_comes_back_at_once_from_the_dry_run_and_from_the_registration(api, platform, nagai, clerk):
    family = _post(api, nagai, clerk, tennyu(person(), person("佐藤　次郎", "サトウ　ジロウ", "2001-01-01", zokugara="子"),
                                             ido_date=days_ago(60))).json()
    child = family["atena_nos"][1]
    body = {"kind": "tenkyo", "ido_date": days_ago(-3), "atena_nos": [child],
            "address": {"address": "山形県長井市栄町5番1号", "attributes": {"存在しない区分": "x"}}}
    before = registry_footprint(platform, nagai)
    for params in ({"dry_run": "true"}, {}):
        refused = _post(api, nagai, clerk, body, **params)
        assert refused.status_code == 422
        answer = refused.json()
        assert answer["code"] == "MULTIPLE_PROBLEMS"
        codes = {p["code"] for p in answer["problems"]}
        assert codes == {"REGISTRY_DATE_IN_FUTURE", "REGISTRY_PARTIAL_MOVE_NEEDS_HOUSEHOLD",
                         "REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN"}
        assert {"ido_date", "new_household", "address.attributes"} <= set(answer["fields"])
    after = registry_footprint(platform, nagai)
    assert after == before  # neither wrote anything (the failed check is not a success)
    [failed] = audit_entries(platform, nagai, CHECK)
    assert failed.outcome == "failure" and json.loads(failed.subjects) == [f"resident:{child}"]
    assert set(json.loads(failed.detail)["codes"]) == codes


def test_a_dry_run_needs_the_right_to_register(api, nagai):
    viewer = api.login_as(nagai, "registry_viewer")
    refused = _post(api, nagai, viewer, tennyu(person()), dry_run="true")
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
