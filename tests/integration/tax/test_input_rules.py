"""The 課税資料 CSV follows the same input rules as the API (kernel.fields, jp.policy): a bad
name, an over-long employer, a 宛名番号 with a NUL, a birth date before 明治6年 — each a
problem line naming file, row and column, and nothing imported."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.modules.tax.services.inputs import InputImportRefused, import_inputs
from tests.factories import person, registry_footprint
from tests.integration.tax.support import resident_since, write_inputs, write_relatives


@pytest.mark.parametrize(("person_row", "relative_row", "where", "code"), [
    ({"employer_name": "長井\u202e精機"}, None, ("in.csv", 1, "特別徴収義務者"), "INPUT_CONTROL_CHARACTER"),
    ({"employer_name": "長" * 101}, None, ("in.csv", 1, "特別徴収義務者"), "INPUT_TOO_LONG"),
    ({"employer_no": "E 77"}, None, ("in.csv", 1, "特別徴収義務者指定番号"), "INPUT_CHARACTER_NOT_ALLOWED"),
    (None, {"name": "課税\u200b次郎", "birth_date": "2010-01-02", "income": 0},
     ("rel.csv", 1, "親族の氏名"), "INPUT_CONTROL_CHARACTER"),
    (None, {"name": "課税　次郎", "birth_date": "0001-01-01", "income": 0},
     ("rel.csv", 1, "親族の生年月日"), "INPUT_DATE_OUT_OF_RANGE"),
])
def test_a_bad_text_item_is_a_problem_line_and_nothing_is_imported(platform, tenant, registrar, officer, tmp_path,
                                                                  person_row, relative_row, where, code):
    head = resident_since(platform, registrar, date(2024, 4, 1), person("課税　太郎", "カゼイ　タロウ")).atena_nos[0]
    write_inputs(tmp_path / "in.csv", [{"atena_no": head, "salary_income": 4_000_000, **(person_row or {})}])
    write_relatives(tmp_path / "rel.csv", [{"atena_no": head, "relation": "扶養親族", **relative_row}]
                    if relative_row else [])
    before = registry_footprint(platform, tenant)
    with pytest.raises(InputImportRefused) as caught:
        import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    here = [p for p in caught.value.problems if (p.file, p.row, p.column) == where]
    assert code in {p.code for p in here} and all(not p.reason.isascii() for p in here)
    assert registry_footprint(platform, tenant) == before
