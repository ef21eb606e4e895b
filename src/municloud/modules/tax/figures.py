"""The figures of an assessment, in the order of the law, with their Japanese names and the
parameters each one reads — the calculation trace (計算過程) shown on screens, in the API
and on the 税額決定通知書, and the keys of ``tax calc`` output."""

from __future__ import annotations

#: (key, 項目名, parameters read (short names of ``rules.KEYS``)).
FIGURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("salary_earnings", "給与所得", ("salary_table", "income_adjustment", "income_adjustment_children")),
    ("pension_earnings", "公的年金等に係る雑所得",
     ("pension_table_65_and_over", "pension_table_under_65", "pension_other_income_reduction")),
    ("other_income", "その他の所得", ()),
    ("total_income", "合計所得金額（総所得金額等）", ()),
    ("basic_deduction", "基礎控除", ("basic_deduction",)),
    ("spouse_deduction", "配偶者控除", ("spouse_deduction", "relative_income_cap")),
    ("spouse_special_deduction", "配偶者特別控除", ("spouse_special_deduction", "relative_income_cap")),
    ("dependant_deduction", "扶養控除", ("dependant_deduction", "relative_income_cap")),
    ("specified_relative_deduction", "特定親族特別控除", ("specified_relative_deduction",)),
    ("disability_deduction", "障害者控除", ("personal_deductions",)),
    ("widow_deduction", "寡婦控除", ("personal_deductions",)),
    ("single_parent_deduction", "ひとり親控除", ("personal_deductions",)),
    ("working_student_deduction", "勤労学生控除", ("personal_deductions",)),
    ("social_insurance_deduction", "社会保険料控除", ()),
    ("life_insurance_deduction", "生命保険料控除", ("life_insurance",)),
    ("earthquake_insurance_deduction", "地震保険料控除", ("earthquake_insurance",)),
    ("medical_expense_deduction", "医療費控除", ("medical_expenses",)),
    ("total_deductions", "所得控除の合計", ()),
    ("household_count", "非課税判定の人数（本人・同一生計配偶者・扶養親族）", ()),
    ("taxable_income", "課税標準額（1,000円未満切捨て）", ()),
    ("income_levy_municipal_gross", "市町村民税所得割（税額控除前）",
     ("income_rate", "income_rate_designated_city", "income_rate_surcharge_municipal", "designated_city")),
    ("income_levy_prefectural_gross", "道府県民税所得割（税額控除前）",
     ("income_rate", "income_rate_designated_city", "income_rate_surcharge_prefectural", "designated_city")),
    ("personal_deduction_difference", "人的控除差の合計（調整控除）",
     ("personal_deductions", "spouse_deduction", "spouse_special_deduction", "dependant_deduction")),
    ("adjustment_credit_municipal", "調整控除（市町村民税）", ("adjustment_credit", "designated_city")),
    ("adjustment_credit_prefectural", "調整控除（道府県民税）", ("adjustment_credit", "designated_city")),
    ("per_capita_limit", "均等割の非課税限度額", ("per_capita_exemption", "grade")),
    ("income_levy_limit", "所得割の非課税限度額", ("income_levy_exemption",)),
    ("income_levy_adjustment_municipal", "非課税限度額を超える者の所得割の減額（市町村民税。附則第3条の3第5項）",
     ("income_levy_exemption",)),
    ("income_levy_adjustment_prefectural", "非課税限度額を超える者の所得割の減額（道府県民税。附則第3条の3第2項）",
     ("income_levy_exemption",)),
    ("income_levy_municipal", "市町村民税所得割額（100円未満切捨て）", ("income_levy_exemption",)),
    ("income_levy_prefectural", "道府県民税所得割額（100円未満切捨て）", ("income_levy_exemption",)),
    ("per_capita_municipal", "市町村民税均等割額", ("per_capita", "per_capita_surcharge_municipal")),
    ("per_capita_prefectural", "道府県民税均等割額", ("per_capita", "per_capita_surcharge_prefectural")),
    ("forest_environment_tax", "森林環境税", ("forest_environment_tax",)),
    ("municipal_tax", "市町村民税", ()),
    ("prefectural_tax", "道府県民税", ()),
    ("total", "年税額", ()),
)
LABELS = {key: label for key, label, _ in FIGURES}
PARAMETERS = {key: params for key, _, params in FIGURES}

#: Integer figures stored in every result's trace (``exemption`` is stored beside them).
STORED_FIGURES = tuple(key for key, _, _ in FIGURES)

#: Keys of the trace that are not amounts.
EXTRA = {"exemption": "非課税の理由", "ordinary_instalments": "普通徴収の各期", "special_instalments": "特別徴収の各月"}
