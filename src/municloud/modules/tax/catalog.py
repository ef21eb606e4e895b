"""Permissions, audit actions and roles of the resident tax (税務)."""

from __future__ import annotations

from municloud.kernel.catalog import Catalog

P_INPUT_MANAGE = "tax:input:manage"
P_INPUT_VIEW = "tax:input:view"
P_ASSESS = "tax:assessment:run"
P_RESULT_VIEW = "tax:assessment:view"
P_NOTICE = "tax:notice:issue"

A_INPUT_IMPORT = "tax:input:import"
A_INPUT_SET = "tax:input:set"
A_INPUT_VIEW = "tax:input:view"
A_ASSESS = "tax:assessment:run"
A_REASSESS = "tax:assessment:reassess"
A_RESULT_VIEW = "tax:assessment:view"
A_NOTICE = "tax:notice:issue"


def register(catalog: Catalog) -> None:
    catalog.permission(P_INPUT_MANAGE, "課税資料の取込み・登録・修正")
    catalog.permission(P_INPUT_VIEW, "課税資料の照会")
    catalog.permission(P_ASSESS, "個人住民税の一括賦課と更正（再計算）")
    catalog.permission(P_RESULT_VIEW, "賦課の結果（税額・計算過程・納期割）の照会")
    catalog.permission(P_NOTICE, "税額決定通知書の発行")

    catalog.audit_action(A_INPUT_IMPORT, "課税資料の一括取込み（CSV。件数を記録）")
    catalog.audit_action(A_INPUT_SET, "課税資料の登録・修正（1人分）")
    catalog.audit_action(A_INPUT_VIEW, "課税資料の照会")
    catalog.audit_action(A_ASSESS, "個人住民税の一括賦課（年度・件数・結果の番号を記録）")
    catalog.audit_action(A_REASSESS, "個人住民税の更正（理由を記録）")
    catalog.audit_action(A_RESULT_VIEW, "賦課の結果・計算過程の照会")
    catalog.audit_action(A_NOTICE, "税額決定通知書の発行")

    catalog.role("tax_officer", "税務担当：課税資料の取込み・照会、賦課の結果の照会、通知書の発行")
    catalog.role("tax_supervisor", "税務責任者：税務担当の権限に加え、一括賦課と更正")
    catalog.grant("tax_officer", P_INPUT_MANAGE, P_INPUT_VIEW, P_RESULT_VIEW, P_NOTICE)
    catalog.grant("tax_supervisor", P_INPUT_MANAGE, P_INPUT_VIEW, P_ASSESS, P_RESULT_VIEW, P_NOTICE)
