"""Permissions and audit actions of seal registration, granted to the registry's roles.

Registered after the registry (``bootstrap.installed_modules`` order: kernel → registry →
seals), so the registry's counter roles exist when this module grants to them.
"""

from __future__ import annotations

from municloud.kernel.catalog import Catalog

P_MANAGE = "seals:registration:manage"
P_VIEW = "seals:registration:view"
P_CERTIFICATE = "seals:certificate:issue"

A_REGISTER = "seals:registration:register"
A_END = "seals:registration:end"
A_VIEW = "seals:registration:view"
A_CERTIFICATE = "seals:certificate:issue"
A_CHECK = "seals:registration:check"


def register(catalog: Catalog) -> None:
    catalog.permission(P_MANAGE, "印鑑の登録・再登録と、印鑑登録証の亡失・登録の廃止の受付")
    catalog.permission(P_VIEW, "印鑑登録の照会（登録の状態と印影の表示。印鑑登録証の番号は下2桁のみ）")
    catalog.permission(P_CERTIFICATE, "印鑑登録証明書の交付（印鑑登録証の提示が必要）")

    catalog.audit_action(A_REGISTER, "印鑑の登録（再登録による前の登録の廃止を含む）")
    catalog.audit_action(A_END, "印鑑登録の終了（亡失・廃止、住民票の消除による職権抹消）")
    catalog.audit_action(A_VIEW, "印鑑登録の照会・印影の表示")
    catalog.audit_action(A_CHECK, "印鑑の登録・登録の終了の確認（確認画面の試行：本人の記録と印鑑登録を読んだ。何も登録しない）")
    catalog.audit_action(A_CERTIFICATE, "印鑑登録証明書の交付（印鑑登録証の不一致・亡失による拒否を含む）")

    catalog.role("seals_clerk", "印鑑登録の窓口担当：印鑑の登録・亡失・廃止、印鑑登録証明書の交付（住民の検索・表示を含む）")
    catalog.grant("seals_clerk", P_VIEW, P_MANAGE, P_CERTIFICATE)
    # to find the applicant and see the resident page (names checked by the catalog: the
    # registry's catalog is not imported, a module only reaches another through its api)
    catalog.grant("seals_clerk", "registry:resident:search", "registry:resident:view")

    catalog.grant("registry_viewer", P_VIEW)
    catalog.grant("registry_clerk", P_VIEW, P_MANAGE, P_CERTIFICATE)
    catalog.grant("registry_supervisor", P_VIEW, P_MANAGE, P_CERTIFICATE)
