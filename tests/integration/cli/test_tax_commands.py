"""``municloud tax calc|import|assess|show`` run for real on a fresh database."""

from __future__ import annotations

import json


def test_tax_calc_prints_every_figure_and_the_parameters_without_touching_data(db_url, cli, tmp_path):
    case = {"salary_income": 5_000_000, "age": 40, "social_insurance": 700_000, "spouse": {"income": 0, "age": 38},
            "dependants": [{"income": 0, "age": 20, "cohabiting": True, "lineal_ascendant": False}]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    result = cli("tax", "calc", "--year", "2026", "--json", str(path))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["income_year"] == 2025
    assert (out["salary_earnings"], out["taxable_income"], out["total"]) == (3_560_000, 1_650_000, 156_000)
    assert out["ordinary_instalments"] == [39_000] * 4 and len(out["special_instalments"]) == 12
    grade = next(p for p in out["parameters"] if p["key"] == "welfare.livelihood_grade")
    assert grade["value"] == 1 and grade["source"] == "standard"
    designated = {**case, "designated_city": True, "grade": 3}
    path.write_text(json.dumps(designated), encoding="utf-8")
    out = json.loads(cli("tax", "calc", "--year", "2026", "--json", str(path)).output)
    assert (out["income_levy_municipal_gross"], out["income_levy_prefectural_gross"]) == (132_000, 33_000)


def test_tax_calc_refuses_bad_input_with_a_code(db_url, cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"age": 40, "salary": 1}), encoding="utf-8")
    result = cli("tax", "calc", "--year", "2026", "--json", str(path))
    assert result.exit_code != 0 and "TAX_INPUT_UNKNOWN_KEY" in result.output
    path.write_text(json.dumps({"age": 40}), encoding="utf-8")
    result = cli("tax", "calc", "--year", "2019", "--json", str(path))
    assert result.exit_code != 0 and "TAX_YEAR_UNSUPPORTED" in result.output


def test_tax_import_assess_and_show_from_the_command_line(migrated, cli, tmp_path):
    from datetime import date

    from municloud.bootstrap import create_platform
    from municloud.config import load_settings
    from tests.factories import context, make_tenant, person
    from tests.integration.tax.support import resident_since, write_inputs

    platform = create_platform(load_settings())
    try:
        make_tenant(platform, "062090", "長井市")
        clerk = context(platform, "062090", "registry_clerk")
        atena = resident_since(platform, clerk, date(2025, 5, 1), person("端末　一郎", "タンマツ　イチロウ")).atena_nos[0]
    finally:
        platform.dispose()
    bad = write_inputs(tmp_path / "bad.csv", [{"atena_no": atena, "salary_income": "三百万"}])
    result = cli("tax", "import", "--tenant", "062090", "--year", "2026", str(bad),
                 "--report", str(tmp_path / "report.csv"))
    assert result.exit_code != 0 and "TAX_INPUT_FILE_INVALID" in result.output
    assert "給与収入" in (tmp_path / "report.csv").read_text(encoding="utf-8")
    good = write_inputs(tmp_path / "in.csv", [{"atena_no": atena, "salary_income": 3_000_000}])
    result = cli("tax", "import", "--tenant", "062090", "--year", "2026", str(good))
    assert result.exit_code == 0, result.output
    result = cli("tax", "assess", "--tenant", "062090", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "当初賦課" in result.output
    result = cli("tax", "assess", "--tenant", "062090", "--year", "2026")
    assert result.exit_code != 0 and "TAX_REASON_REQUIRED" in result.output
    result = cli("tax", "show", "--tenant", "062090", "--year", "2026", "--atena", atena)
    assert result.exit_code == 0, result.output
    assert "給与所得" in result.output and "当初賦課" in result.output
