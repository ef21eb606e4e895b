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
