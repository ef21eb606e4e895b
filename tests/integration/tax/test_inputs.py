"""The 課税資料 import: every problem reported with file, row and column; nothing stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.modules.tax.orm import TaxInput, TaxRelative
from municloud.modules.tax.services.inputs import InputImportRefused, get_input, import_inputs
from tests.factories import person
from tests.integration.tax.support import resident_since, write_inputs, write_relatives


def counts(platform, tenant):
    with platform.uow(tenant) as uow:
        return (uow.session.scalar(select(func.count()).select_from(TaxInput)),
                uow.session.scalar(select(func.count()).select_from(TaxRelative)))


def test_a_file_with_problems_is_refused_whole_with_every_problem_listed(platform, tenant, registrar, officer,
                                                                         tmp_path):
    a = resident_since(platform, registrar, date(2025, 1, 1), person("資料　一", "シリョウ　ハジメ")).atena_nos[0]
    write_inputs(tmp_path / "in.csv", [
        {"atena_no": a, "salary_income": 3_000_000},
        {"atena_no": "9999999999", "salary_income": 1},
        {"atena_no": a, "salary_income": 1},
        {"atena_no": "0000000777", "pension_income": "-5", "widow": "はい", "salary_income": 0, "employer_no": "E"},
    ])
    write_relatives(tmp_path / "rel.csv", [
        {"atena_no": a, "relation": "叔父", "name": "遠方　叔父", "birth_date": "1950-13-01"},
        {"atena_no": a, "relation": "扶養親族"},
    ])
    with pytest.raises(InputImportRefused) as refused:
        import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    seen = {(p.file, p.row, p.column, p.code) for p in refused.value.problems}
    assert ("in.csv", 2, "宛名番号", "TAX_ATENA_UNKNOWN") in seen
    assert ("in.csv", 3, "宛名番号", "TAX_ATENA_DUPLICATE") in seen
    assert ("in.csv", 4, "公的年金等収入", "TAX_AMOUNT_INVALID") in seen
    assert ("in.csv", 4, "寡婦", "TAX_FLAG_INVALID") in seen
    assert ("in.csv", 4, "特別徴収義務者指定番号", "TAX_INPUT_INCONSISTENT") in seen
    assert ("rel.csv", 1, "親族の生年月日", "TAX_DATE_INVALID") in seen
    assert ("rel.csv", 1, "続柄の区分", "TAX_RELATIVE_INVALID") in seen
    assert ("rel.csv", 2, "親族の氏名", "TAX_RELATIVE_INVALID") in seen
    assert all(p.reason for p in refused.value.problems)
    assert counts(platform, tenant) == (0, 0)


def test_a_good_file_replaces_the_years_inputs_and_keeps_other_years(platform, tenant, registrar, officer, tmp_path):
    a = resident_since(platform, registrar, date(2025, 1, 1), person("資料　二", "シリョウ　フタバ")).atena_nos[0]
    write_inputs(tmp_path / "in.csv", [{"atena_no": a, "salary_income": "3,000,000", "widow": 1}])
    write_relatives(tmp_path / "rel.csv", [{"atena_no": a, "relation": "扶養親族", "name": "遠方　母",
                                            "birth_date": "1950-01-01", "income": 0, "lineal_ascendant": 1}])
    import_inputs(platform.uow(tenant), officer, 2025, tmp_path / "in.csv")
    summary = import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    assert (summary.persons, summary.relatives, summary.replaced) == (1, 1, 0)
    write_inputs(tmp_path / "again.csv", [{"atena_no": a, "salary_income": 2_000_000}])
    assert import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "again.csv").replaced == 1
    now = get_input(platform.uow(tenant), officer, 2026, a)
    assert now.amounts["salary_income"] == 2_000_000 and now.relatives == [] and not now.flags["widow"]
    assert get_input(platform.uow(tenant), officer, 2025, a).amounts["salary_income"] == 3_000_000


def test_a_relative_declared_twice_or_by_two_taxpayers_is_refused(platform, tenant, registrar, officer, tmp_path):
    fam = resident_since(platform, registrar, date(2025, 1, 1),
                         person("重複　父", "チョウフク　チチ", "1980-01-01", "1"),
                         person("重複　母", "チョウフク　ハハ", "1981-01-01", "2", "妻"),
                         person("重複　子", "チョウフク　コ", "2010-01-01", "1", "子"))
    father, mother, child = fam.atena_nos
    write_inputs(tmp_path / "in.csv", [{"atena_no": father, "salary_income": 5_000_000},
                                      {"atena_no": mother, "salary_income": 4_000_000}])
    write_relatives(tmp_path / "rel.csv", [
        {"atena_no": father, "relation": "扶養親族", "relative_atena_no": child},
        {"atena_no": father, "relation": "扶養親族", "relative_atena_no": child},
        {"atena_no": mother, "relation": "扶養親族", "relative_atena_no": child},
        {"atena_no": mother, "relation": "扶養親族", "name": "遠方　祖母", "birth_date": "1940-02-02"},
    ])
    with pytest.raises(InputImportRefused) as refused:
        import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    codes = {p.code for p in refused.value.problems}
    assert {"TAX_INPUT_INCONSISTENT", "TAX_RELATIVE_CLAIMED_TWICE", "TAX_RELATIVE_INVALID"} <= codes
    assert any("合計所得金額" in p.reason for p in refused.value.problems)
    assert counts(platform, tenant) == (0, 0)
