"""個人住民税 for a whole city at once: the same law as :mod:`.calc`, on numpy arrays.

Every amount is an ``int64`` array of yen (never float: a float has 53 bits and rounds
silently).  The steps mirror :func:`municloud.modules.tax.calc.compute` one for one, so the
two are easy to read side by side; ``tests/unit/tax/test_differential.py`` checks they agree
to the yen on 100,000 random taxpayers, every figure.

Input: :class:`Batch` — one array per 課税資料 item (length = persons) and the spouses and
dependants as flat arrays with the index of their taxpayer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from municloud.modules.tax.calc import rates
from municloud.modules.tax.case import FLAGS, LIFE_KINDS, QUAKE_KINDS, Case
from municloud.modules.tax.domain import (
    EXEMPT_INCOME_LEVY,
    EXEMPT_LIVELIHOOD,
    EXEMPT_LOW_INCOME,
    EXEMPT_PER_CAPITA,
)
from municloud.modules.tax.rules import Rules

I64 = np.int64

#: Codes of the ``exemption`` array (0: taxed).
EXEMPTION_CODES = {1: EXEMPT_LIVELIHOOD, 2: EXEMPT_LOW_INCOME, 3: EXEMPT_PER_CAPITA, 4: EXEMPT_INCOME_LEVY}

AMOUNTS = ("age", "salary_income", "pension_income", "other_income", "social_insurance", "medical_expenses",
           *(f"life_{k}" for k in LIFE_KINDS), *(f"quake_{k}" for k in QUAKE_KINDS))


@dataclass
class Batch:
    """Columns of a city's 課税資料 (one entry per taxpayer)."""

    size: int
    amounts: dict[str, np.ndarray]  # AMOUNTS → int64
    flags: dict[str, np.ndarray]  # FLAGS → bool
    spouse: np.ndarray  # bool: a spouse is declared
    spouse_income: np.ndarray  # int64
    spouse_age: np.ndarray  # int64
    dep_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, I64))  # taxpayer index
    dep_income: np.ndarray = field(default_factory=lambda: np.zeros(0, I64))
    dep_age: np.ndarray = field(default_factory=lambda: np.zeros(0, I64))
    dep_cohabiting: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    dep_lineal: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @classmethod
    def from_cases(cls, cases: list[Case]) -> Batch:
        """A batch from :class:`Case` objects (tests, 試算 of several persons)."""
        n = len(cases)
        amounts = {k: np.zeros(n, I64) for k in AMOUNTS}
        flags = {k: np.zeros(n, bool) for k in FLAGS}
        spouse = np.zeros(n, bool)
        s_income = np.zeros(n, I64)
        s_age = np.zeros(n, I64)
        owner, d_income, d_age, d_coh, d_lin = [], [], [], [], []
        for i, c in enumerate(cases):
            for k in ("age", "salary_income", "pension_income", "other_income", "social_insurance",
                      "medical_expenses"):
                amounts[k][i] = getattr(c, k)
            for k in LIFE_KINDS:
                amounts[f"life_{k}"][i] = c.life_insurance.get(k, 0)
            for k in QUAKE_KINDS:
                amounts[f"quake_{k}"][i] = c.earthquake_insurance.get(k, 0)
            for flag in c.flags:
                flags[flag][i] = True
            if c.spouse is not None:
                spouse[i] = True
                s_income[i] = c.spouse.income
                s_age[i] = c.spouse.age
            for d in c.dependants:
                owner.append(i)
                d_income.append(d.income)
                d_age.append(d.age)
                d_coh.append(d.cohabiting)
                d_lin.append(d.lineal_ascendant)
        return cls(n, amounts, flags, spouse, s_income, s_age, np.array(owner, I64), np.array(d_income, I64),
                   np.array(d_age, I64), np.array(d_coh, bool), np.array(d_lin, bool))


def _rows_mask(rows: list[dict], x: np.ndarray):
    """Yield (row, mask) with each element in exactly the first row admitting it."""
    left = np.ones(x.shape, bool)
    for row in rows:
        if "below" in row:
            m = left & (x < row["below"])
        elif "upto" in row:
            m = left & (x <= row["upto"])
        else:
            m = left.copy()
        left &= ~m
        yield row, m


def income_from_table(rows: list[dict], revenue: np.ndarray, extra: np.ndarray | int = 0) -> np.ndarray:
    out = np.zeros(revenue.shape, I64)
    for row, m in _rows_mask(rows, revenue):
        step = row.get("step")
        base = revenue // step * step if step else revenue
        out = np.where(m, base * row["mul"] // 100 + row["add"], out)
    out = np.minimum(revenue, np.maximum(0, out + extra))
    return np.where(revenue > 0, out, 0)


def premium_deduction(rows: list[dict], premium: np.ndarray) -> np.ndarray:
    out = np.zeros(premium.shape, I64)
    for row, m in _rows_mask(rows, premium):
        out = np.where(m, -(-premium * row["num"] // row["den"]) + row["add"], out)
    return np.where(premium > 0, out, 0)


def lookup(rows: list[dict], x: np.ndarray, key: str, default: int = 0) -> np.ndarray:
    out = np.full(x.shape, default, I64)
    for row, m in _rows_mask(rows, x):
        out = np.where(m, row[key], out)
    return out


def compute(batch: Batch, rules: Rules) -> dict[str, np.ndarray]:
    """Every figure for every person of *batch* (the keys of :func:`calc.compute`;
    ``exemption`` as codes, see :data:`EXEMPTION_CODES`; instalments as ``*_first`` /
    ``*_each``)."""
    r = rules
    a = batch.amounts
    fl = batch.flags
    n_people = batch.size
    f: dict[str, np.ndarray] = {}

    # 1. 所得
    salary = income_from_table(r["salary_table"], a["salary_income"])
    reduction = np.zeros(n_people, I64)
    decided = np.zeros(n_people, bool)
    for row in r["pension_other_income_reduction"]:
        m = ~decided & (salary + a["other_income"] > row["over"])
        reduction = np.where(m, row["amount"], reduction)
        decided |= m
    elderly = a["age"] >= 65
    pension = np.where(
        elderly,
        income_from_table(r["pension_table_65_and_over"], a["pension_income"], reduction),
        income_from_table(r["pension_table_under_65"], a["pension_income"], reduction),
    )
    after_deduction = salary
    ch = r["income_adjustment_children"]
    young = np.zeros(n_people, bool)
    if batch.dep_owner.size:
        young_dep = (batch.dep_age < ch["young_age"]) & (batch.dep_income <= r["relative_income_cap"])
        young[batch.dep_owner[young_dep]] = True
    children = (a["salary_income"] > ch["salary_over"]) & (
        fl["specially_disabled"] | fl["cohabiting_specially_disabled"] | young)
    child_adj = -(-(np.minimum(a["salary_income"], ch["salary_cap"]) - ch["salary_over"]) * ch["percent"] // 100)
    salary = np.where(children, salary - child_adj, salary)
    cap_adj = r["income_adjustment"]
    both = (after_deduction > 0) & (pension > 0)
    adjust = np.maximum(0, np.minimum(after_deduction, cap_adj) + np.minimum(pension, cap_adj) - cap_adj)
    salary = np.where(both, np.maximum(0, salary - adjust), salary)
    total_income = salary + pension + a["other_income"]
    f.update(salary_earnings=salary, pension_earnings=pension, other_income=a["other_income"].copy(),
             total_income=total_income)

    # 2. 所得控除
    basic = lookup(r["basic_deduction"], total_income, "amount")
    cap = r["relative_income_cap"]
    pd = r["personal_deductions"]
    dd = r["dependant_deduction"]
    difference = np.where(basic > 0, pd["basic_difference"], 0).astype(I64)
    n = np.ones(n_people, I64)

    brackets = r["spouse_deduction"]
    column = np.full(n_people, -1, I64)
    for i, row in reversed(list(enumerate(brackets))):
        column = np.where(total_income <= row["upto"], i, column)
    in_bracket = column >= 0
    same_household = batch.spouse & (batch.spouse_income <= cap)
    n += same_household
    spouse_elderly = batch.spouse_age >= dd["elderly_from_age"]
    spouse_deduction = np.zeros(n_people, I64)
    spouse_special = np.zeros(n_people, I64)
    for i, row in enumerate(brackets):
        m = same_household & (column == i)
        spouse_deduction = np.where(m, np.where(spouse_elderly, row["elderly"], row["general"]), spouse_deduction)
        difference += np.where(m, np.where(spouse_elderly, row["elderly_difference"], row["difference"]), 0)
    # 配偶者特別控除 by the spouse's income row and the taxpayer's column
    special = batch.spouse & ~same_household & in_bracket
    for row, m in _rows_mask(r["spouse_special_deduction"], batch.spouse_income):
        for i in range(len(brackets)):
            mm = special & m & (column == i)
            spouse_special = np.where(mm, row["amounts"][i], spouse_special)
            difference += np.where(mm, row["differences"][i], 0)

    dependant = np.zeros(n_people, I64)
    specified_relative = np.zeros(n_people, I64)
    if batch.dep_owner.size:
        di, dage = batch.dep_income, batch.dep_age
        counted = di <= cap
        kind_specified = counted & (dage >= dd["specified_from_age"]) & (dage <= dd["specified_to_age"])
        kind_elderly = counted & (dage >= dd["elderly_from_age"])
        kind_parent = kind_elderly & batch.dep_cohabiting & batch.dep_lineal
        kind_general = counted & (dage >= dd["deduction_from_age"]) & ~kind_specified & ~kind_elderly
        amount = (np.where(kind_general, dd["general"], 0) + np.where(kind_specified, dd["specified"], 0)
                  + np.where(kind_parent, dd["cohabiting_parent"], 0)
                  + np.where(kind_elderly & ~kind_parent, dd["elderly"], 0)).astype(I64)
        diff = (np.where(kind_general, dd["general_difference"], 0)
                + np.where(kind_specified, dd["specified_difference"], 0)
                + np.where(kind_parent, dd["cohabiting_parent_difference"], 0)
                + np.where(kind_elderly & ~kind_parent, dd["elderly_difference"], 0)).astype(I64)
        relative_age = ~counted & (dage >= dd["specified_from_age"]) & (dage <= dd["specified_to_age"])
        rel = np.where(relative_age, lookup(r["specified_relative_deduction"], di, "amount"), 0) \
            if r["specified_relative_deduction"] else np.zeros(di.shape, I64)
        np.add.at(dependant, batch.dep_owner, amount)
        np.add.at(difference, batch.dep_owner, diff)
        np.add.at(n, batch.dep_owner, counted.astype(I64))
        np.add.at(specified_relative, batch.dep_owner, rel)

    special_dis = fl["specially_disabled"]
    plain_dis = fl["disabled"] & ~special_dis
    cohab = fl["cohabiting_specially_disabled"]
    disability = (np.where(special_dis, pd["specially_disabled"], 0) + np.where(plain_dis, pd["disabled"], 0)
                  + np.where(cohab, pd["cohabiting_specially_disabled"], 0)).astype(I64)
    difference += (np.where(special_dis, pd["specially_disabled_difference"], 0)
                   + np.where(plain_dis, pd["disabled_difference"], 0)
                   + np.where(cohab, pd["cohabiting_specially_disabled_difference"], 0))
    is_single_parent = fl["single_parent"] & (total_income <= pd["single_parent_income_limit"])
    is_widow = ~is_single_parent & fl["widow"] & (total_income <= pd["widow_income_limit"])
    single_parent = np.where(is_single_parent, pd["single_parent"], 0).astype(I64)
    widow = np.where(is_widow, pd["widow"], 0).astype(I64)
    difference += np.where(
        is_single_parent,
        np.where(fl["single_parent_father"], pd["single_parent_father_difference"],
                 pd["single_parent_mother_difference"]),
        0,
    ) + np.where(is_widow, pd["widow_difference"], 0)
    is_student = fl["working_student"] & (total_income <= pd["working_student_income_limit"])
    student = np.where(is_student, pd["working_student"], 0).astype(I64)
    difference += np.where(is_student, pd["working_student_difference"], 0)

    lt = r["life_insurance"]

    def category(new: np.ndarray, old: np.ndarray) -> np.ndarray:
        dn = premium_deduction(lt["new"], new)
        do = premium_deduction(lt["old"], old)
        mixed = np.maximum(do, np.minimum(dn + do, lt["mixed_cap"]))
        return np.where((new > 0) & (old > 0), mixed, dn + do)

    zero = np.zeros(n_people, I64)
    life = np.minimum(
        category(a["life_general_new"], a["life_general_old"]) + category(a["life_care_medical"], zero)
        + category(a["life_pension_new"], a["life_pension_old"]),
        lt["total_cap"],
    )
    eq = r["earthquake_insurance"]
    quake = np.minimum(
        np.minimum(-(-a["quake_earthquake"] * eq["earthquake_num"] // eq["earthquake_den"]), eq["earthquake_cap"])
        + premium_deduction(eq["long_term_old"], a["quake_long_term_old"]),
        eq["total_cap"],
    )
    med = r["medical_expenses"]
    threshold = np.minimum(med["threshold"], total_income * med["income_percent"] // 100)
    medical = np.minimum(med["cap"], np.maximum(0, a["medical_expenses"] - threshold))
    social = a["social_insurance"]
    f.update(
        basic_deduction=basic, spouse_deduction=spouse_deduction, spouse_special_deduction=spouse_special,
        dependant_deduction=dependant, specified_relative_deduction=specified_relative,
        disability_deduction=disability, widow_deduction=widow, single_parent_deduction=single_parent,
        working_student_deduction=student, social_insurance_deduction=social.copy(),
        life_insurance_deduction=life, earthquake_insurance_deduction=quake, medical_expense_deduction=medical,
    )
    total_deductions = (basic + spouse_deduction + spouse_special + dependant + specified_relative + disability
                        + widow + single_parent + student + social + life + quake + medical)
    f["total_deductions"] = total_deductions
    f["household_count"] = n

    # 3. 税額
    taxable = np.maximum(0, total_income - total_deductions) // 1000 * 1000
    f["taxable_income"] = taxable
    rate_m, rate_p, pct_m, pct_p = rates(r)
    gross_m = taxable * rate_m // 100000
    gross_p = taxable * rate_p // 100000
    ac = r["adjustment_credit"]
    base = np.where(
        taxable <= ac["threshold"],
        np.minimum(difference, taxable),
        np.maximum(difference - (taxable - ac["threshold"]), ac["minimum_base"]),
    )
    base = np.where(total_income > ac["income_limit"], 0, base)
    credit_m = np.minimum(base * pct_m // 100, gross_m)
    credit_p = np.minimum(base * pct_p // 100, gross_p)
    f.update(personal_deduction_difference=difference, income_levy_municipal_gross=gross_m,
             income_levy_prefectural_gross=gross_p, adjustment_credit_municipal=credit_m,
             adjustment_credit_prefectural=credit_p)
    levy_m = gross_m - credit_m
    levy_p = gross_p - credit_p
    pc = r["per_capita"]
    per_m = np.full(n_people, pc["municipal"] + r["per_capita_surcharge_municipal"], I64)
    per_p = np.full(n_people, pc["prefectural"] + r["per_capita_surcharge_prefectural"], I64)
    forest = np.full(n_people, r["forest_environment_tax"], I64)

    # 4. 非課税
    fe = r["full_exemption"]
    category_ = (fl["disabled"] | fl["specially_disabled"] | (a["age"] < fe["adult_age"])
                 | (widow > 0) | (single_parent > 0))
    relatives = n > 1
    grade = r.grade_limits(r["grade"])
    per_capita_limit = grade["per_person"] * n + grade["base"] + np.where(relatives, grade["with_relatives"], 0)
    ie = r["income_levy_exemption"]
    income_levy_limit = ie["per_person"] * n + ie["base"] + np.where(relatives, ie["with_relatives"], 0)
    exemption = np.select(
        [fl["livelihood_assistance"], category_ & (total_income <= fe["income_limit"]),
         total_income <= per_capita_limit, total_income <= income_levy_limit],
        [1, 2, 3, 4],
        0,
    ).astype(np.int8)
    # 限度額を超える者（附則第3条の3第2項・第5項; calc.above_limit_levies）: the combined 所得割
    # cut to the excess, shared in proportion.  The product is formed only where it applies
    # (there it is below levy², far from int64's range).
    levy = levy_m + levy_p
    reduce = (exemption == 0) & (levy > total_income - income_levy_limit)
    over = np.where(reduce, total_income - income_levy_limit, 0)
    share = np.where(reduce, levy, 1)
    cut_m = np.where(reduce, levy_m - over * levy_m // share, 0)
    cut_p = np.where(reduce, levy_p - over * levy_p // share, 0)
    levy_m = np.where(exemption > 0, 0, levy_m - cut_m) // 100 * 100
    levy_p = np.where(exemption > 0, 0, levy_p - cut_p) // 100 * 100
    full = (exemption > 0) & (exemption != 4)
    per_m = np.where(full, 0, per_m)
    per_p = np.where(full, 0, per_p)
    forest = np.where(full, 0, forest)
    total = levy_m + per_m + levy_p + per_p + forest
    f.update(per_capita_limit=per_capita_limit, income_levy_limit=income_levy_limit, exemption=exemption,
             income_levy_adjustment_municipal=cut_m, income_levy_adjustment_prefectural=cut_p,
             income_levy_municipal=levy_m, income_levy_prefectural=levy_p, per_capita_municipal=per_m,
             per_capita_prefectural=per_p, forest_environment_tax=forest, municipal_tax=levy_m + per_m,
             prefectural_tax=levy_p + per_p, total=total)

    # 5. 納期
    count = len(r["ordinary_due_months"])
    unit = r["instalment_unit"]
    each = total // count // unit * unit
    f["ordinary_each"] = each
    f["ordinary_first"] = total - each * (count - 1)
    s_unit = r["special_collection_unit"]
    s_each = total // 12 // s_unit * s_unit
    f["special_each"] = s_each
    f["special_first"] = total - s_each * 11
    return f
