"""個人住民税 API: the CSV import → assessment → results with their trace → the notice PDF,
one person's 課税資料, the 422 problem list, who may do what, and the 試算."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from municloud.modules.tax import calc
from municloud.modules.tax.inputs import AMOUNT_COLUMNS, FLAG_COLUMNS
from municloud.modules.tax.rules import rules_for
from municloud.web.app import create_app
from tests.factories import audit_entries, person
from tests.integration.api.helpers import Api
from tests.integration.certificates.helpers import has, pages, printed_code
from tests.integration.tax.support import TENANT, resident_since, write_inputs, write_relatives

BASE = f"/api/v1/t/{TENANT}"


@pytest.fixture
def client(platform):
    with TestClient(create_app(platform=platform)) as test_client:
        yield test_client


@pytest.fixture
def api(client, platform) -> Api:
    return Api(client, platform)


def family(platform, registrar):
    return resident_since(platform, registrar, date(2024, 4, 1),
                          person("課税　太郎", "カゼイ　タロウ", "1980-04-01", "1"),
                          person("課税　花子", "カゼイ　ハナコ", "1982-05-05", "2", "妻")).atena_nos


def upload(api, headers, *files, year=2026):
    names = ("inputs", "relatives")
    return api.client.post(f"{BASE}/tax/{year}/inputs:import", headers=headers,
                           files={n: (p.name, p.read_bytes(), "text/csv") for n, p in zip(names, files, strict=False)})


def test_import_assess_results_and_notice_round_trip(api, platform, tenant, registrar, tmp_path):
    head, wife = family(platform, registrar)
    write_inputs(tmp_path / "kazei.csv", [
        {"atena_no": head, "salary_income": 5_000_000, "social_insurance": 700_000},
        {"atena_no": wife, "salary_income": 1_000_000},
    ])
    write_relatives(tmp_path / "shinzoku.csv", [{"atena_no": head, "relation": "配偶者", "relative_atena_no": wife}])
    officer = api.login_as(tenant, "tax_officer")
    supervisor = api.login_as(tenant, "tax_supervisor")

    imported = upload(api, officer, tmp_path / "kazei.csv", tmp_path / "shinzoku.csv")
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"year": 2026, "persons": 2, "relatives": 1, "replaced": 0}

    run = api.client.post(f"{BASE}/tax/2026/assessments", headers=supervisor, json={})
    assert run.status_code == 201, run.text
    assert run.json()["kind"] == "assessment" and run.json()["taxpayers"] == 2 and run.json()["written"] == 2

    shown = api.client.get(f"{BASE}/tax/2026/results/{head}", headers=officer)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    current = body["revisions"][-1]
    assert current["revision"] == 1 and current["reason"] == "当初賦課" and current["collection"] == "ordinary"
    trace = {t["key"]: t for t in current["trace"]}
    assert trace["salary_earnings"]["label"] == "給与所得" and trace["salary_earnings"]["value"] == 3_560_000
    assert trace["spouse_deduction"]["value"] == 330_000
    assert any("別表第五" in p["reference"] for p in trace["salary_earnings"]["parameters"])
    assert trace["total"]["value"] == current["total"] > 0
    assert sum(current["instalments"]) == current["total"] and len(current["instalments"]) == 4
    assert {p["key"] for p in body["parameters"]} >= {"tax.resident.salary_table", "welfare.livelihood_grade"}

    notice = api.client.get(f"{BASE}/tax/2026/results/{head}/notice.pdf", headers=officer)
    assert notice.status_code == 200, notice.text
    assert notice.headers["content-type"] == "application/pdf" and notice.content.startswith(b"%PDF")
    issue_no = notice.headers["x-issue-number"]
    assert issue_no.startswith(f"{TENANT}-")
    text = "".join(pages(notice.content))
    assert has(text, issue_no) and has(text, f"{current['total']:,}円") and has(text, "令和8年度")
    assert has(text, "課税　太郎") and has(text, "税額決定通知書") and has(text, "第4期")

    code = printed_code(notice.content)  # the 確認コード printed beside the 発行番号
    verified = api.client.get(f"/api/v1/verify/{issue_no}", params={"code": code, "sha256": _sha256(notice.content)})
    assert verified.status_code == 200 and verified.json()["matches"] is True
    assert verified.json()["title"] == "税額決定通知書"
    assert api.client.get(f"/verify/{issue_no}", params={"code": code}).status_code == 200
    issued = audit_entries(platform, tenant, "tax:notice:issue")
    assert [json.loads(e.detail) for e in issued] == [{"year": 2026, "revision": 1, "issue_no": issue_no}]


def complete(**items) -> dict:
    """A 課税資料 body with every figure and flag (the API assumes none): 0 / false unless given."""
    body = {c: 0 for c, _ in AMOUNT_COLUMNS} | {c: False for c, _ in FLAG_COLUMNS}
    body |= {"employer_no": None, "employer_name": None, "relatives": []}
    for r in items.get("relatives", []):
        r.setdefault("cohabiting", False)
        r.setdefault("lineal_ascendant", False)
    return body | items


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_one_persons_inputs_are_put_and_read_back(api, platform, tenant, registrar):
    head, wife = family(platform, registrar)
    officer = api.login_as(tenant, "tax_officer")
    body = complete(salary_income=4_200_000, social_insurance=600_000, life_general_new=80_000,
                    employer_no="E-77", employer_name="長井精機株式会社", single_parent=False,
                    relatives=[{"relation": "spouse", "relative_atena_no": wife},
                               {"relation": "扶養親族", "name": "課税　次郎", "birth_date": "2010-01-02", "income": 0}])
    put = api.client.put(f"{BASE}/tax/2026/inputs/{head}", headers=officer, json=body)
    assert put.status_code == 200, put.text
    got = api.client.get(f"{BASE}/tax/2026/inputs/{head}", headers=officer)
    assert got.status_code == 200, got.text
    g = got.json()
    assert g["salary_income"] == 4_200_000 and g["life_general_new"] == 80_000 and g["employer_no"] == "E-77"
    assert [r["relation"] for r in g["relatives"]] == ["spouse", "dependant"]
    assert g["relatives"][0]["relative_atena_no"] == wife and g["relatives"][1]["name"] == "課税　次郎"

    unknown = api.client.put(f"{BASE}/tax/2026/inputs/{head}", headers=officer,
                             json=complete(relatives=[{"relation": "spouse", "relative_atena_no": "9999999999"}]))
    assert unknown.status_code == 422 and unknown.json()["code"] == "TAX_INPUT_INVALID"
    negative = api.client.put(f"{BASE}/tax/2026/inputs/{head}", headers=officer, json=complete(salary_income=-1))
    assert negative.status_code == 422 and "salary_income" in negative.json()["fields"]
    assert api.client.get(f"{BASE}/tax/2026/inputs/{wife}", headers=officer).status_code == 404


def test_an_empty_or_partial_body_zeroes_nothing(api, platform, tenant, registrar):
    """``PUT … {}`` used to replace a person's 課税資料 with zeros: every figure must be given."""
    head, _ = family(platform, registrar)
    officer = api.login_as(tenant, "tax_officer")
    url = f"{BASE}/tax/2026/inputs/{head}"
    assert api.client.put(url, headers=officer, json=complete(salary_income=4_200_000)).status_code == 200
    empty = api.client.put(url, headers=officer, json={})
    assert empty.status_code == 422 and empty.json()["code"] == "REQUEST_INVALID"
    assert {c for c, _ in AMOUNT_COLUMNS} | {c for c, _ in FLAG_COLUMNS} <= set(empty.json()["fields"])
    partial = complete(salary_income=4_200_000)
    del partial["social_insurance"]
    del partial["relatives"]
    refused = api.client.put(url, headers=officer, json=partial)
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"social_insurance", "relatives"}
    assert api.client.get(url, headers=officer).json()["salary_income"] == 4_200_000


def test_a_bad_csv_is_refused_with_every_problem_and_nothing_imported(api, platform, tenant, registrar, tmp_path):
    head, wife = family(platform, registrar)
    write_inputs(tmp_path / "kazei.csv", [
        {"atena_no": head, "salary_income": "五百万"},
        {"atena_no": "9999999999", "salary_income": 1_000_000},
        {"atena_no": wife, "salary_income": 1_000_000, "widow": 2},
    ])
    officer = api.login_as(tenant, "tax_officer")
    refused = upload(api, officer, tmp_path / "kazei.csv")
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "TAX_INPUT_FILE_INVALID" and "何も取り込んでいません" in body["message"]
    problems = {(p["file"], p["row"], p["column"], p["code"]) for p in body["problems"]}
    assert problems == {
        ("kazei.csv", 1, "給与収入", "TAX_AMOUNT_INVALID"),
        ("kazei.csv", 2, "宛名番号", "TAX_ATENA_UNKNOWN"),
        ("kazei.csv", 3, "寡婦", "TAX_FLAG_INVALID"),
    }
    assert all(p["reason"] for p in body["problems"])
    assert api.client.get(f"{BASE}/tax/2026/inputs/{wife}", headers=officer).status_code == 404


def test_an_officer_cannot_assess_and_a_registry_clerk_cannot_read_tax(api, platform, tenant, registrar):
    head, _ = family(platform, registrar)
    officer = api.login_as(tenant, "tax_officer")
    clerk = api.login_as(tenant, "registry_clerk")
    assert api.client.post(f"{BASE}/tax/2026/assessments", headers=officer, json={}).status_code == 403
    supervisor = api.login_as(tenant, "tax_supervisor")
    assert api.client.post(f"{BASE}/tax/2026/assessments", headers=supervisor).status_code == 201
    for path in (f"/tax/2026/results/{head}", f"/tax/2026/results/{head}/notice.pdf", f"/tax/2026/inputs/{head}"):
        denied = api.client.get(BASE + path, headers=clerk)
        assert denied.status_code == 403, path
        assert denied.json()["code"].startswith("PERMISSION")
    assert api.client.post(f"{BASE}/tax/calc", params={"year": 2026}, headers=clerk,
                           json={"age": 40}).status_code == 403
    assert api.client.get(f"{BASE}/tax/2026/results/{head}").status_code == 401
    refusals = [json.loads(e.detail) for e in audit_entries(platform, tenant, "kernel:access:denied")]
    assert {"missing_permission": "tax:assessment:run"} in refusals  # refused at the door, and audited


def test_a_correction_through_the_api_needs_a_reason(api, platform, tenant, registrar, tmp_path):
    head, _ = family(platform, registrar)
    supervisor = api.login_as(tenant, "tax_supervisor")
    assert api.client.post(f"{BASE}/tax/2026/assessments", headers=supervisor, json={}).status_code == 201
    again = api.client.post(f"{BASE}/tax/2026/assessments", headers=supervisor, json={})
    assert again.status_code == 422 and again.json()["code"] == "TAX_REASON_REQUIRED"
    assert "reason" in again.json()["fields"]
    write_inputs(tmp_path / "kazei.csv", [{"atena_no": head, "salary_income": 6_000_000}])
    assert upload(api, supervisor, tmp_path / "kazei.csv").status_code == 200
    fixed = api.client.post(f"{BASE}/tax/2026/assessments", headers=supervisor,
                            json={"reason": "給与支払報告書の追加", "atena_nos": [head]})
    assert fixed.status_code == 201 and fixed.json()["kind"] == "reassessment" and fixed.json()["written"] == 1
    revisions = api.client.get(f"{BASE}/tax/2026/results/{head}", headers=supervisor).json()["revisions"]
    assert [r["revision"] for r in revisions] == [1, 2] and revisions[1]["reason"] == "給与支払報告書の追加"
    assert revisions[0]["total"] == 0 and revisions[1]["total"] > 0


CASE = {
    "salary_income": 5_000_000, "social_insurance": 700_000, "age": 45,
    "spouse": {"income": 0, "age": 43}, "dependants": [{"income": 0, "age": 17, "cohabiting": True}],
    "life_insurance": {"general_new": 80_000}, "medical_expenses": 150_000,
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_trial_calculation_is_calc_compute_with_the_tenants_parameters(api, platform, tenant, year):
    officer = api.login_as(tenant, "tax_officer")
    answer = api.client.post(f"{BASE}/tax/calc", params={"year": year}, headers=officer, json=CASE)
    assert answer.status_code == 200, answer.text
    with platform.uow(tenant) as uow:
        rules = rules_for(platform, year, uow=uow)
    expected = calc.compute(calc.case_from_json(CASE), rules)
    assert answer.json()["figures"] == expected and answer.json()["total"] == expected["total"] > 0
    grade = next(p for p in answer.json()["parameters"] if p["key"] == "welfare.livelihood_grade")
    assert grade["value"] == 3 and grade["source"] == "tenant"  # the tenant's 級地, not the standard

    chosen = api.client.post(f"{BASE}/tax/calc", params={"year": year}, headers=officer,
                             json=CASE | {"grade": 1, "designated_city": True})
    expected = calc.compute(calc.case_from_json(CASE), rules_for(platform, year, choices={
        "grade": 1, "designated_city": True}))
    assert chosen.json()["figures"] == expected
    assert chosen.json()["figures"]["income_levy_municipal"] > answer.json()["figures"]["income_levy_municipal"]


def test_the_trial_calculation_refuses_bad_input_in_japanese(api, tenant):
    officer = api.login_as(tenant, "tax_officer")
    unknown = api.client.post(f"{BASE}/tax/calc", params={"year": 2026}, headers=officer, json={"age": 40, "x": 1})
    assert unknown.status_code == 422 and unknown.json()["code"] == "TAX_INPUT_UNKNOWN_KEY"
    old = api.client.post(f"{BASE}/tax/calc", params={"year": 2019}, headers=officer, json={"age": 40})
    assert old.status_code == 422 and old.json()["code"] == "TAX_YEAR_UNSUPPORTED"
    assert api.client.post(f"{BASE}/tax/calc", headers=officer, json={"age": 40}).status_code == 422
