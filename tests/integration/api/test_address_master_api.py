"""The 住所マスター through the JSON API: ``GET /towns`` searches it, and a 転入 to an address
outside it is a 422 with a stable code and a Japanese message; the 郵便番号 is derived."""

from __future__ import annotations

import pytest

from municloud.demo.profiles import NAGAI
from municloud.demo.towns import town_csv
from municloud.modules.registry.services.towns import load_towns
from tests.factories import context
from tests.integration.api.helpers import person, tennyu


@pytest.fixture
def master(platform, nagai):
    load_towns(platform.uow(nagai), context(platform, nagai, "tenant_admin"), town_csv(NAGAI).encode())


def test_the_towns_are_listed_and_searched_by_kana(api, nagai, master):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get(f"/api/v1/t/{nagai}/towns", params={"q": "ナリタ"}, headers=clerk)
    assert response.status_code == 200, response.text
    [town] = response.json()
    assert (town["machiaza_id"], town["name"], town["postal_code"], town["attributes"], town["in_force"]) == (
        "0009000", "大字成田", "9930051", {"校区": "西根小学校区"}, True)
    before = api.client.get(f"/api/v1/t/{nagai}/towns", params={"q": "館町", "on": "1970-01-01"}, headers=clerk)
    assert [t["name"] for t in before.json()] == ["館町"]


def test_a_move_in_outside_the_master_is_refused_and_one_inside_gets_its_postal_code(api, nagai, master):
    clerk = api.login_as(nagai, "registry_clerk")
    body = tennyu(person(), address="山形県長井市緑町1番1号")
    del body["address"]["postal_code"]
    refused = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert refused.status_code == 422
    assert refused.json()["code"] == "REGISTRY_ADDRESS_NOT_IN_MASTER" and "住所マスター" in refused.json()["message"]
    body["address"]["address"] = "山形県長井市館町南2番1号"
    done = api.client.post(f"/api/v1/t/{nagai}/notifications", json=body, headers=clerk)
    assert done.status_code == 201, done.text
    atena_no = done.json()["atena_nos"][0]
    shown = api.client.get(f"/api/v1/t/{nagai}/residents/{atena_no}", headers=clerk).json()
    assert shown["postal_code"] == "9930015"


def test_the_tenant_admin_loads_a_file_through_the_api_after_a_dry_run(api, nagai, platform):
    admin, clerk = api.login_as(nagai, "tenant_admin"), api.login_as(nagai, "registry_clerk")
    data = town_csv(NAGAI).encode()
    url = f"/api/v1/t/{nagai}/towns:load"
    checked = api.client.post(url, params={"dry_run": "true"}, files={"file": ("towns.csv", data)}, headers=admin)
    assert checked.status_code == 200 and checked.json()["rows"] == 19 and checked.json()["dry_run"] is True
    assert api.client.get(f"/api/v1/t/{nagai}/towns", headers=clerk).json() == []
    bad = api.client.post(url, files={"file": ("towns.csv", data.replace(b"9930051", b"99", 1))}, headers=admin)
    assert bad.status_code == 422 and bad.json()["code"] == "REGISTRY_TOWNS_FILE_INVALID"
    assert [(p["row"], p["column"], p["code"]) for p in bad.json()["problems"]] == [
        (13, "post_code", "JP_POSTAL_CODE_INVALID")]
    assert api.client.post(url, files={"file": ("towns.csv", data)}, headers=clerk).status_code == 403
    done = api.client.post(url, files={"file": ("towns.csv", data)}, headers=admin)
    assert done.status_code == 200 and done.json()["in_force"] == 17
    assert len(api.client.get(f"/api/v1/t/{nagai}/towns", headers=clerk).json()) == 17
