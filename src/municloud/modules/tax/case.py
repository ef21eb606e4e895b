"""A taxpayer's case for the calculators (課税資料 of one person as the law reads it), and
the 試算 JSON it is read from (keys in ``docs/tax.md``; unknown keys and bad values refused
with ``TAX_*`` codes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from municloud.errors import ValidationError

FLAGS = (
    "disabled", "specially_disabled", "cohabiting_specially_disabled", "widow", "single_parent",
    "single_parent_father", "working_student", "livelihood_assistance",
)
LIFE_KINDS = ("general_new", "general_old", "care_medical", "pension_new", "pension_old")
QUAKE_KINDS = ("earthquake", "long_term_old")


@dataclass(frozen=True)
class Relative:
    """A spouse (配偶者) or dependant (扶養親族候補): 合計所得金額 and age at 31 December."""

    income: int
    age: int
    cohabiting: bool = False
    lineal_ascendant: bool = False


@dataclass(frozen=True)
class Case:
    """One taxpayer's 課税資料 for the income year (amounts in yen, age at 31 December)."""

    age: int
    salary_income: int = 0  # 給与収入
    pension_income: int = 0  # 公的年金等収入
    other_income: int = 0  # その他の所得（必要経費控除後）
    social_insurance: int = 0  # 社会保険料
    spouse: Relative | None = None
    dependants: tuple[Relative, ...] = ()
    flags: frozenset[str] = frozenset()
    life_insurance: dict[str, int] = field(default_factory=dict)
    earthquake_insurance: dict[str, int] = field(default_factory=dict)
    medical_expenses: int = 0  # 医療費（保険金などで補填される額を除く）


def _int(value: Any, name: str, label: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            "TAX_AMOUNT_INVALID", f"{label}は0以上の整数（円）で入力してください", fields={name: "0以上の整数"}
        )
    return value


def _age(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 130:
        raise ValidationError("TAX_AGE_INVALID", "年齢は0〜130の整数で入力してください", fields={name: "年齢"})
    return value


def _relative(data: Any, name: str) -> Relative:
    if not isinstance(data, dict):
        raise ValidationError("TAX_RELATIVE_INVALID", "配偶者・扶養親族は項目の組で入力してください", fields={name: "形式"})
    unknown = set(data) - {"income", "age", "cohabiting", "lineal_ascendant"}
    if unknown:
        raise ValidationError("TAX_INPUT_UNKNOWN_KEY", f"知らない項目があります：{', '.join(sorted(unknown))}",
                              fields={name: "項目名"})
    return Relative(
        income=_int(data.get("income"), f"{name}.income", "合計所得金額"),
        age=_age(data.get("age"), f"{name}.age"),
        cohabiting=bool(data.get("cohabiting", False)),
        lineal_ascendant=bool(data.get("lineal_ascendant", False)),
    )


INPUT_KEYS = {
    "salary_income", "pension_income", "other_income", "social_insurance", "age", "spouse", "dependants",
    "flags", "life_insurance", "earthquake_insurance", "medical_expenses", "grade", "designated_city",
}


def case_from_json(data: Any) -> Case:
    """A :class:`Case` from the 試算 JSON (keys in ``docs/tax.md``); unknown keys refused."""
    if not isinstance(data, dict):
        raise ValidationError("TAX_INPUT_INVALID", "入力は JSON のオブジェクトにしてください")
    unknown = set(data) - INPUT_KEYS
    if unknown:
        raise ValidationError("TAX_INPUT_UNKNOWN_KEY", f"知らない項目があります：{', '.join(sorted(unknown))}")
    flags = data.get("flags") or []
    bad = [f for f in flags if f not in FLAGS]
    if bad:
        raise ValidationError("TAX_FLAG_UNKNOWN", f"知らない区分があります：{', '.join(map(str, bad))}",
                              fields={"flags": ", ".join(FLAGS)})
    life = data.get("life_insurance") or {}
    quake = data.get("earthquake_insurance") or {}
    for group, kinds, label in ((life, LIFE_KINDS, "生命保険料"), (quake, QUAKE_KINDS, "地震保険料")):
        if set(group) - set(kinds):
            raise ValidationError("TAX_INPUT_UNKNOWN_KEY",
                                  f"{label}の区分は {', '.join(kinds)} のいずれかです")
    spouse = data.get("spouse")
    return Case(
        age=_age(data.get("age"), "age"),
        salary_income=_int(data.get("salary_income"), "salary_income", "給与収入"),
        pension_income=_int(data.get("pension_income"), "pension_income", "公的年金等収入"),
        other_income=_int(data.get("other_income"), "other_income", "その他の所得"),
        social_insurance=_int(data.get("social_insurance"), "social_insurance", "社会保険料"),
        spouse=_relative(spouse, "spouse") if spouse is not None else None,
        dependants=tuple(_relative(d, f"dependants[{i}]") for i, d in enumerate(data.get("dependants") or [])),
        flags=frozenset(flags),
        life_insurance={k: _int(v, f"life_insurance.{k}", "生命保険料") for k, v in life.items()},
        earthquake_insurance={k: _int(v, f"earthquake_insurance.{k}", "地震保険料") for k, v in quake.items()},
        medical_expenses=_int(data.get("medical_expenses"), "medical_expenses", "医療費"),
    )
