"""Codes of the resident tax (pure: no database)."""

from __future__ import annotations

SPOUSE, DEPENDANT = "spouse", "dependant"
RELATIONS = (SPOUSE, DEPENDANT)  # 配偶者 / 扶養親族

ASSESSMENT, REASSESSMENT = "assessment", "reassessment"
RUN_KINDS = (ASSESSMENT, REASSESSMENT)  # 当初賦課 / 更正

ASSESSED, WITHDRAWN = "assessed", "withdrawn"
RESULT_STATUSES = (ASSESSED, WITHDRAWN)  # 賦課 / 課税取消し（賦課期日に住民でなかった）

ORDINARY, SPECIAL = "ordinary", "special"
COLLECTIONS = (ORDINARY, SPECIAL)  # 普通徴収 / 特別徴収

LABELS = {
    SPOUSE: "配偶者", DEPENDANT: "扶養親族", ASSESSMENT: "当初賦課", REASSESSMENT: "更正",
    ASSESSED: "賦課", WITHDRAWN: "課税取消し", ORDINARY: "普通徴収", SPECIAL: "特別徴収",
}

INITIAL_REASON = "当初賦課"

#: How a 課税資料 was changed (課税資料の修正履歴の経路).
INPUT_ENTRY, INPUT_IMPORT = "entry", "import"
INPUT_SOURCES = {INPUT_ENTRY: "画面・API", INPUT_IMPORT: "一括取込み"}

#: Exemption reasons (非課税の理由).
EXEMPT_LIVELIHOOD = "livelihood_assistance"  # 生活扶助
EXEMPT_LOW_INCOME = "low_income_category"  # 障害者・未成年者・寡婦・ひとり親で合計所得135万円以下
EXEMPT_PER_CAPITA = "per_capita"  # 均等割非課税（所得割も）
EXEMPT_INCOME_LEVY = "income_levy"  # 所得割のみ非課税
EXEMPTIONS = {
    EXEMPT_LIVELIHOOD: "生活扶助を受けている",
    EXEMPT_LOW_INCOME: "障害者・未成年者・寡婦・ひとり親で前年の合計所得金額が135万円以下",
    EXEMPT_PER_CAPITA: "合計所得金額が均等割の非課税限度額以下",
    EXEMPT_INCOME_LEVY: "総所得金額等が所得割の非課税限度額以下（均等割のみ課税）",
}
