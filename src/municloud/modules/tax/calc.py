"""個人住民税 of one person, figure by figure (the plain reference implementation).

:func:`compute` follows the law step by step in ordinary Python integers — easy to read
beside ``docs/tax.md`` and the scenario files.  The whole-city batch uses
:mod:`municloud.modules.tax.vector` (numpy); a differential test checks both give the same
figures to the yen.  Every amount is integer yen; every table and rate comes from
:class:`~municloud.modules.tax.rules.Rules`.

Rounding (端数処理), as the law and practice have it:
* 給与所得・公的年金等に係る雑所得 computed by a percentage: fractions of a yen dropped.
* 生命保険料控除・地震保険料控除: fractions of a yen rounded up.
* 課税標準 (taxable income): 1,000円未満切捨て.  所得割 (市・県 separately, after 調整控除
  and the reduction just above the 非課税限度額): 100円未満切捨て.
* That reduction's share of 市 and 県 (附則第3条の3第2項・第5項): taken to the yen below, which
  changes nothing after the 100-yen truncation (:func:`above_limit_levies`).
"""

from __future__ import annotations

from typing import Any

from municloud.modules.tax.case import (  # noqa: F401  (the calculator's inputs, importable from here)
    FLAGS,
    INPUT_KEYS,
    LIFE_KINDS,
    QUAKE_KINDS,
    Case,
    Relative,
    case_from_json,
)
from municloud.modules.tax.domain import (  # noqa: F401
    EXEMPT_INCOME_LEVY,
    EXEMPT_LIVELIHOOD,
    EXEMPT_LOW_INCOME,
    EXEMPT_PER_CAPITA,
    EXEMPTIONS,
)
from municloud.modules.tax.rules import Rules

# --- table helpers ---------------------------------------------------------------------

def row_for(rows: list[dict], amount: int) -> dict | None:
    """The first row whose ``below`` (未満) / ``upto`` (以下) admits *amount*."""
    for row in rows:
        if "below" in row:
            if amount < row["below"]:
                return row
        elif "upto" in row:
            if amount <= row["upto"]:
                return row
        else:
            return row
    return None


def income_from_table(rows: list[dict], revenue: int, extra: int = 0) -> int:
    """所得 from 収入 by an income table (``floor(base × mul / 100) + add``, not below 0);
    *extra* is a reduction of the deduction (it raises the income, never above the revenue)."""
    if revenue <= 0:
        return 0
    row = row_for(rows, revenue)
    step = row.get("step")
    base = revenue // step * step if step else revenue
    return min(revenue, max(0, base * row["mul"] // 100 + row["add"] + extra))


def premium_deduction(rows: list[dict], premium: int) -> int:
    """An insurance deduction by a premium table (``premium × num / den + add``, rounded up)."""
    if premium <= 0:
        return 0
    row = row_for(rows, premium)
    return -(-premium * row["num"] // row["den"]) + row["add"]


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# --- the calculation ---------------------------------------------------------------------

def compute(case: Case, rules: Rules) -> dict[str, Any]:
    """Every figure of *case*'s assessment under *rules* (keys in :data:`figures.FIGURES`)."""
    r = rules
    f: dict[str, Any] = {}
    flags = case.flags

    # 1. 所得
    salary = income_from_table(r["salary_table"], case.salary_income)
    pension_rows = r["pension_table_65_and_over"] if case.age >= 65 else r["pension_table_under_65"]
    reduction = 0  # 公的年金等控除の減額（年金以外の合計所得金額が1,000万円・2,000万円超）
    for row in r["pension_other_income_reduction"]:
        if salary + case.other_income > row["over"]:
            reduction = row["amount"]
            break
    pension = income_from_table(pension_rows, case.pension_income, reduction)
    after_deduction = salary  # 給与所得控除後の給与等の金額
    ch = r["income_adjustment_children"]  # 所得金額調整控除（子ども・特別障害者等）
    if case.salary_income > ch["salary_over"] and (
        flags & {"specially_disabled", "cohabiting_specially_disabled"}
        or any(d.age < ch["young_age"] and d.income <= r["relative_income_cap"] for d in case.dependants)
    ):
        salary -= ceil_div((min(case.salary_income, ch["salary_cap"]) - ch["salary_over"]) * ch["percent"], 100)
    if after_deduction > 0 and pension > 0:  # 所得金額調整控除（給与と年金の両方）
        cap = r["income_adjustment"]
        salary = max(0, salary - max(0, min(after_deduction, cap) + min(pension, cap) - cap))
    total_income = salary + pension + case.other_income
    f["salary_earnings"] = salary
    f["pension_earnings"] = pension
    f["other_income"] = case.other_income
    f["total_income"] = total_income

    # 2. 所得控除
    basic = row_for(r["basic_deduction"], total_income)["amount"]
    cap = r["relative_income_cap"]
    pd = r["personal_deductions"]
    dd = r["dependant_deduction"]
    difference = pd["basic_difference"] if basic > 0 else 0
    n = 1  # 本人 + 同一生計配偶者 + 扶養親族
    spouse_deduction = spouse_special = 0
    sp = case.spouse
    if sp is not None and sp.income <= cap:
        n += 1
        row = row_for(r["spouse_deduction"], total_income)  # none above 10,000,000
        if row is not None:
            elderly = sp.age >= dd["elderly_from_age"]
            spouse_deduction = row["elderly"] if elderly else row["general"]
            difference += row["elderly_difference"] if elderly else row["difference"]
    elif sp is not None and (column := _taxpayer_column(r, total_income)) is not None:
        row = row_for(r["spouse_special_deduction"], sp.income)
        if row is not None:
            spouse_special = row["amounts"][column]
            difference += row["differences"][column]
    dependant = specified_relative = 0
    for d in case.dependants:
        if d.income <= cap:
            n += 1
            kind = _dependant_kind(d, dd)
            if kind is not None:
                dependant += dd[kind]
                difference += dd[f"{kind}_difference"]
        elif dd["specified_from_age"] <= d.age <= dd["specified_to_age"]:
            row = row_for(r["specified_relative_deduction"], d.income)
            if row is not None:
                specified_relative += row["amount"]
    disability = 0
    if "specially_disabled" in flags:
        disability += pd["specially_disabled"]
        difference += pd["specially_disabled_difference"]
    elif "disabled" in flags:
        disability += pd["disabled"]
        difference += pd["disabled_difference"]
    if "cohabiting_specially_disabled" in flags:
        disability += pd["cohabiting_specially_disabled"]
        difference += pd["cohabiting_specially_disabled_difference"]
    widow = single_parent = student = 0
    if "single_parent" in flags and total_income <= pd["single_parent_income_limit"]:
        single_parent = pd["single_parent"]
        father = "single_parent_father" in flags
        difference += pd["single_parent_father_difference" if father else "single_parent_mother_difference"]
    elif "widow" in flags and total_income <= pd["widow_income_limit"]:
        widow = pd["widow"]
        difference += pd["widow_difference"]
    if "working_student" in flags and total_income <= pd["working_student_income_limit"]:
        student = pd["working_student"]
        difference += pd["working_student_difference"]
    life = _life_insurance(r["life_insurance"], case.life_insurance)
    quake = _earthquake(r["earthquake_insurance"], case.earthquake_insurance)
    med = r["medical_expenses"]
    threshold = min(med["threshold"], total_income * med["income_percent"] // 100)
    medical = min(med["cap"], max(0, case.medical_expenses - threshold))
    f.update(
        basic_deduction=basic, spouse_deduction=spouse_deduction, spouse_special_deduction=spouse_special,
        dependant_deduction=dependant, specified_relative_deduction=specified_relative,
        disability_deduction=disability, widow_deduction=widow, single_parent_deduction=single_parent,
        working_student_deduction=student, social_insurance_deduction=case.social_insurance,
        life_insurance_deduction=life, earthquake_insurance_deduction=quake, medical_expense_deduction=medical,
    )
    total_deductions = (basic + spouse_deduction + spouse_special + dependant + specified_relative + disability
                        + widow + single_parent + student + case.social_insurance + life + quake + medical)
    f["total_deductions"] = total_deductions
    f["household_count"] = n

    # 3. 税額
    taxable = max(0, total_income - total_deductions) // 1000 * 1000
    f["taxable_income"] = taxable
    rate_m, rate_p, pct_m, pct_p = rates(r)
    gross_m = taxable * rate_m // 100000
    gross_p = taxable * rate_p // 100000
    ac = r["adjustment_credit"]
    if total_income > ac["income_limit"]:
        base = 0
    elif taxable <= ac["threshold"]:
        base = min(difference, taxable)
    else:
        base = max(difference - (taxable - ac["threshold"]), ac["minimum_base"])
    credit_m = min(base * pct_m // 100, gross_m)
    credit_p = min(base * pct_p // 100, gross_p)
    f["personal_deduction_difference"] = difference
    f["income_levy_municipal_gross"] = gross_m
    f["income_levy_prefectural_gross"] = gross_p
    f["adjustment_credit_municipal"] = credit_m
    f["adjustment_credit_prefectural"] = credit_p
    levy_m = gross_m - credit_m
    levy_p = gross_p - credit_p
    pc = r["per_capita"]
    per_m = pc["municipal"] + r["per_capita_surcharge_municipal"]
    per_p = pc["prefectural"] + r["per_capita_surcharge_prefectural"]
    forest = r["forest_environment_tax"]

    # 4. 非課税
    fe = r["full_exemption"]
    category = (
        bool(flags & {"disabled", "specially_disabled"}) or case.age < fe["adult_age"]
        or widow > 0 or single_parent > 0
    )
    relatives = n > 1
    grade = r.grade_limits(r["grade"])
    per_capita_limit = grade["per_person"] * n + grade["base"] + (grade["with_relatives"] if relatives else 0)
    ie = r["income_levy_exemption"]
    income_levy_limit = ie["per_person"] * n + ie["base"] + (ie["with_relatives"] if relatives else 0)
    exemption = None
    if "livelihood_assistance" in flags:
        exemption = EXEMPT_LIVELIHOOD
    elif category and total_income <= fe["income_limit"]:
        exemption = EXEMPT_LOW_INCOME
    elif total_income <= per_capita_limit:
        exemption = EXEMPT_PER_CAPITA
    elif total_income <= income_levy_limit:
        exemption = EXEMPT_INCOME_LEVY
    cut_m = cut_p = 0
    if exemption is not None:
        levy_m = levy_p = 0
        if exemption != EXEMPT_INCOME_LEVY:
            per_m = per_p = forest = 0
    else:  # 限度額を超える者: 総所得金額等 − 所得割 が限度額を下回らないように減額
        reduced_m, reduced_p = above_limit_levies(levy_m, levy_p, total_income - income_levy_limit)
        cut_m, cut_p = levy_m - reduced_m, levy_p - reduced_p
        levy_m, levy_p = reduced_m, reduced_p
    levy_m = levy_m // 100 * 100  # 100円未満切捨て
    levy_p = levy_p // 100 * 100
    f["per_capita_limit"] = per_capita_limit
    f["income_levy_limit"] = income_levy_limit
    f["income_levy_adjustment_municipal"] = cut_m
    f["income_levy_adjustment_prefectural"] = cut_p
    f["exemption"] = exemption
    f["income_levy_municipal"] = levy_m
    f["income_levy_prefectural"] = levy_p
    f["per_capita_municipal"] = per_m
    f["per_capita_prefectural"] = per_p
    f["forest_environment_tax"] = forest
    f["municipal_tax"] = levy_m + per_m
    f["prefectural_tax"] = levy_p + per_p
    total = levy_m + per_m + levy_p + per_p + forest
    f["total"] = total

    # 5. 納期
    f["ordinary_instalments"] = split_ordinary(total, r["instalment_unit"], len(r["ordinary_due_months"]))
    f["special_instalments"] = split_special(total, r["special_collection_unit"])
    return f


def above_limit_levies(levy_m: int, levy_p: int, over: int) -> tuple[int, int]:
    """所得割 of a person whose 総所得金額等 exceeds the 所得割の非課税限度額 by *over* yen
    (地方税法附則第3条の3第2項 for 道府県民税, 第5項 for 市町村民税).

    *levy_m*, *levy_p* are the 市町村民税・道府県民税 所得割 after 調整控除 (the articles'
    所得割の額: after the 税額控除 of 第314条の6〜・第37条〜), before any rounding.  When
    総所得金額等 − (levy_m + levy_p) would fall below the limit — i.e. levy_m + levy_p > over —
    the combined 所得割 is cut to *over* (100% of the excess, not 10% of it), shared between
    市 and 県 in proportion to their own 所得割: each is ``over × own / (levy_m + levy_p)``.
    Otherwise both stay as they are.  (棚倉町's worked case: 所得割 99,000, excess 30,000 →
    30,000; 坂戸市 writes the same as 調整額 = 限度額 − (総所得金額等 − 算出税額).)

    Rounding: the articles round neither the share nor the 減額; the only rounding is the
    100円未満切捨て of each tax (地方税法第20条の4の2第3項), which the caller applies.  The share
    is floored to whole yen here; since ⌊⌊x⌋ / 100⌋ = ⌊x / 100⌋, that gives exactly the
    exact share truncated to 100 yen (flooring the 減額 instead could be one yen off).
    """
    levy = levy_m + levy_p
    if levy <= over:
        return levy_m, levy_p
    return over * levy_m // levy, over * levy_p // levy


def rates(r: Rules) -> tuple[int, int, int, int]:
    """The 所得割 rates of the municipality and the prefecture (standard, by 政令市 or not,
    with 超過課税; 0.001% units) and their 調整控除 shares (percent)."""
    designated = bool(r["designated_city"])
    rate = r["income_rate_designated_city"] if designated else r["income_rate"]
    ac = r["adjustment_credit"]
    return (
        rate["municipal"] + r["income_rate_surcharge_municipal"],
        rate["prefectural"] + r["income_rate_surcharge_prefectural"],
        ac["designated_municipal_percent"] if designated else ac["municipal_percent"],
        ac["designated_prefectural_percent"] if designated else ac["prefectural_percent"],
    )


def split_ordinary(total: int, unit: int, count: int = 4) -> list[int]:
    """普通徴収: *count* instalments; each a multiple of *unit*, the rest in the first."""
    each = total // count // unit * unit
    return [total - each * (count - 1)] + [each] * (count - 1)


def split_special(total: int, unit: int) -> list[int]:
    """特別徴収: twelve monthly amounts June–May; the rest below *unit* in June."""
    each = total // 12 // unit * unit
    return [total - each * 11] + [each] * 11


def _taxpayer_column(r: Rules, total_income: int) -> int | None:
    """The taxpayer's income bracket for 配偶者控除・配偶者特別控除 (None above the last)."""
    for i, row in enumerate(r["spouse_deduction"]):
        if total_income <= row["upto"]:
            return i
    return None


def _dependant_kind(d: Relative, dd: dict) -> str | None:
    if d.age < dd["deduction_from_age"]:
        return None  # 年少扶養親族: no deduction, counted for 非課税
    if dd["specified_from_age"] <= d.age <= dd["specified_to_age"]:
        return "specified"
    if d.age >= dd["elderly_from_age"]:
        return "cohabiting_parent" if d.cohabiting and d.lineal_ascendant else "elderly"
    return "general"


def _life_insurance(t: dict, paid: dict[str, int]) -> int:
    def category(new: int, old: int) -> int:
        n = premium_deduction(t["new"], new)
        o = premium_deduction(t["old"], old)
        if new > 0 and old > 0:
            return max(o, min(n + o, t["mixed_cap"]))
        return n + o

    total = (
        category(paid.get("general_new", 0), paid.get("general_old", 0))
        + category(paid.get("care_medical", 0), 0)
        + category(paid.get("pension_new", 0), paid.get("pension_old", 0))
    )
    return min(total, t["total_cap"])


def _earthquake(t: dict, paid: dict[str, int]) -> int:
    quake = min(ceil_div(paid.get("earthquake", 0) * t["earthquake_num"], t["earthquake_den"]), t["earthquake_cap"])
    old = premium_deduction(t["long_term_old"], paid.get("long_term_old", 0))
    return min(quake + old, t["total_cap"])
