"""The figure list (trace, docs, notice) names exactly what the calculators compute."""

from __future__ import annotations

from municloud.modules.tax import calc
from municloud.modules.tax.figures import EXTRA, PARAMETERS, STORED_FIGURES
from municloud.modules.tax.rules import KEYS
from tests.unit.tax.support import rules


def test_every_computed_figure_is_listed_and_every_listed_figure_is_computed(tax_platform):
    figures = calc.compute(calc.Case(age=40, salary_income=3_000_000), rules(tax_platform, 2026))
    assert set(figures) == set(STORED_FIGURES) | set(EXTRA)


def test_every_parameter_named_by_a_figure_exists():
    assert {name for names in PARAMETERS.values() for name in names} <= set(KEYS)


def test_unknown_years_keys_and_negative_amounts_are_refused_with_codes(tax_platform):
    import pytest

    from municloud.errors import MuniError

    for data, code in [({"age": 40, "bonus": 1}, "TAX_INPUT_UNKNOWN_KEY"),
                       ({"age": 40, "salary_income": -1}, "TAX_AMOUNT_INVALID"),
                       ({"age": 140}, "TAX_AGE_INVALID"),
                       ({"age": 40, "flags": ["rich"]}, "TAX_FLAG_UNKNOWN"),
                       ({"age": 40, "salary_income": 1.5}, "TAX_AMOUNT_INVALID")]:
        with pytest.raises(MuniError) as refused:
            calc.case_from_json(data)
        assert refused.value.code == code
    with pytest.raises(MuniError) as refused:
        rules(tax_platform, 2027)
    assert refused.value.code == "TAX_YEAR_UNSUPPORTED"
