"""The law of one 年度, read from dated parameters (税制は日付つきのデータ).

:func:`rules_for` reads every ``tax.resident.*`` parameter in force on the 賦課期日
(1 January of the 年度) — national values, or the tenant's overrides when a unit of work
is given — into a :class:`Rules` object that both calculators (:mod:`.calc`, one person;
:mod:`.vector`, a whole city) use.  Nothing about a year is written in code: 令和7年度 and
令和8年度 differ only in the YAML values dated 2026-01-01.

Each value keeps where it came from (:class:`ParameterUse`): the calculation trace of every
result names the parameter values and their legal references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from municloud.errors import ValidationError

PREFIX = "tax.resident."

#: Every parameter the calculation reads: short name → key.  Whether the city is a
#: 政令指定都市 and its 生活保護の級地 are the kernel's tenant parameters (other modules use
#: them too); the rest is ``parameters/resident_tax.yaml``.
KEYS = {
    name: PREFIX + name
    for name in (
        "salary_table", "income_adjustment", "income_adjustment_children", "pension_table_65_and_over", "pension_table_under_65",
        "pension_other_income_reduction", "basic_deduction", "relative_income_cap", "spouse_deduction",
        "spouse_special_deduction", "dependant_deduction", "specified_relative_deduction",
        "personal_deductions", "life_insurance", "earthquake_insurance", "medical_expenses",
        "income_rate", "income_rate_designated_city", "adjustment_credit", "per_capita",
        "forest_environment_tax", "full_exemption", "income_levy_exemption", "per_capita_exemption",
        "per_capita_surcharge_municipal", "per_capita_surcharge_prefectural",
        "income_rate_surcharge_municipal", "income_rate_surcharge_prefectural", "instalment_unit",
        "special_collection_unit", "ordinary_due_months",
    )
} | {"designated_city": "tenant.designated_city", "grade": "welfare.livelihood_grade"}

#: Without a tenant (a 試算 at standard rates) the 非課税限度額 are the law's own amounts,
#: which are those of 1級地 (2・3級地 are 0.9 and 0.8 of them).
STANDARD_GRADE = 1

#: The earliest and latest 年度 whose rules are written down (令和3年度〜令和8年度).
FIRST_YEAR, LAST_YEAR = 2021, 2026


@dataclass(frozen=True)
class ParameterUse:
    """One parameter value the calculation used, with its source (国の既定値 / 団体の上書き)."""

    key: str
    value: Any
    source: str  # national | tenant | input (試算で入力した値) | standard (1級地)
    effective_from: str | None
    reference: str

    def as_dict(self) -> dict:
        return {"key": self.key, "value": self.value, "source": self.source,
                "effective_from": self.effective_from, "reference": self.reference}


@dataclass
class Rules:
    """Every value of one 年度, by short name (``rules['salary_table']``)."""

    year: int
    values: dict[str, Any]
    uses: dict[str, ParameterUse] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def income_year(self) -> int:
        return self.year - 1

    @property
    def assessment_date(self) -> date:
        """賦課期日: 1 January of the 年度."""
        return date(self.year, 1, 1)

    def grade_limits(self, grade: int) -> dict:
        for row in self.values["per_capita_exemption"]:
            if row["grade"] == grade:
                return row
        raise ValidationError("TAX_GRADE_INVALID", f"級地 {grade} の非課税限度額が定められていません")

    def trace_parameters(self) -> list[dict]:
        return [self.uses[k].as_dict() for k in sorted(self.uses)]


def check_year(year: int) -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            "TAX_YEAR_UNSUPPORTED",
            f"{year} 年度の税制は定められていません（{FIRST_YEAR}〜{LAST_YEAR} 年度。--year は年度です）",
            fields={"year": "年度を指定してください"},
        )
    return year


def rules_for(platform, year: int, *, uow=None, choices: dict[str, Any] | None = None) -> Rules:
    """The rules of *year* (年度): national values, the tenant's overrides when *uow* (inside
    its ``with``) is given, and *choices* (``grade``, ``designated_city`` typed into a 試算)
    on top.  Without a tenant the 級地 is the standard (1級地) unless *choices* names one."""
    check_year(year)
    on = date(year, 1, 1)
    values: dict[str, Any] = {}
    uses: dict[str, ParameterUse] = {}
    choices = {k: v for k, v in (choices or {}).items() if v is not None}
    for name, key in KEYS.items():
        definition = platform.parameters.definitions.get(key)
        if name in choices:
            value = definition.check(choices[name])
            values[name] = value
            uses[name] = ParameterUse(key, value, "input", None, definition.reference)
        elif uow is not None:
            p = uow.params.explain(key, on)
            values[name] = p.value
            uses[name] = ParameterUse(key, p.value, p.source, p.effective_from.isoformat(), p.reference)
        elif name == "grade":
            values[name] = STANDARD_GRADE
            uses[name] = ParameterUse(key, STANDARD_GRADE, "standard", None,
                                      "地方税法施行令第47条の3（標準の非課税限度額＝1級地の額）")
        else:
            since, value = definition.value_on(on)
            values[name] = value
            uses[name] = ParameterUse(key, value, "national", since.isoformat(), definition.reference)
    return Rules(year, values, uses)
