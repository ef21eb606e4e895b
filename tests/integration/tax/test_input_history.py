"""課税資料の修正履歴: every entry, correction and import of a person's 課税資料 appends a
revision with who, when, how and why; a refused or dry-run entry appends nothing."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from municloud.errors import ValidationError
from municloud.modules.tax.inputs import AMOUNT_COLUMNS, FLAG_COLUMNS, PersonInput
from municloud.modules.tax.services.history import input_history
from municloud.modules.tax.services.inputs import import_inputs, set_input
from municloud.web.app import create_app
from tests.factories import person
from tests.integration.api.helpers import Api
from tests.integration.tax.support import TENANT, resident_since, write_inputs


@pytest.fixture
def atena(platform, registrar):
    return resident_since(platform, registrar, date(2025, 4, 1), person("履歴　一郎", "リレキ　イチロウ")).atena_nos[0]


def test_an_import_then_a_correction_are_both_in_the_history_newest_first(platform, tenant, officer, atena,
                                                                           tmp_path):
    import_inputs(platform.uow(tenant), officer, 2026,
                  write_inputs(tmp_path / "kazei.csv", [{"atena_no": atena, "salary_income": 3_000_000}]))
    replaced = set_input(platform.uow(tenant), officer, 2026,
                         PersonInput(atena, {"salary_income": 3_100_000}, flags={"widow": True}), "源泉徴収票の訂正")
    assert replaced is True
    history = input_history(platform.uow(tenant), officer, 2026, atena)
    assert [(h.revision, h.source_label, h.reason) for h in history] == [
        (2, "画面・API", "源泉徴収票の訂正"), (1, "一括取込み", "一括取込み")]
    assert [(c.label, c.before, c.after) for c in history[0].changes] == [
        ("給与収入", "3,000,000円", "3,100,000円"), ("寡婦", "非該当", "該当")]
    assert history[0].actor == officer.actor
    assert [c.label for c in history[1].changes] == ["給与収入"]  # the first entry: what is not zero


def test_a_refused_or_dry_run_entry_leaves_no_revision(platform, tenant, officer, atena):
    with pytest.raises(ValidationError):
        set_input(platform.uow(tenant), officer, 2026,
                  PersonInput(atena, {"salary_income": 0}, employer_no="E-1"), "理由")
    set_input(platform.uow(tenant, dry_run=True), officer, 2026, PersonInput(atena, {"salary_income": 1}))
    assert input_history(platform.uow(tenant), officer, 2026, atena) == []


def test_the_api_records_the_reason_it_is_given(platform, tenant, officer, atena):
    body = {c: 0 for c, _ in AMOUNT_COLUMNS} | {c: False for c, _ in FLAG_COLUMNS}
    body |= {"employer_no": None, "employer_name": None, "relatives": [], "salary_income": 2_000_000,
             "reason": "申告書の提出"}
    with TestClient(create_app(platform=platform)) as client:
        api = Api(client, platform)
        headers = api.login_as(tenant, "tax_officer")
        put = client.put(f"/api/v1/t/{TENANT}/tax/2026/inputs/{atena}", headers=headers, json=body)
        assert put.status_code == 200 and "reason" not in put.json()
    history = input_history(platform.uow(tenant), officer, 2026, atena)
    assert history[0].reason == "申告書の提出"
