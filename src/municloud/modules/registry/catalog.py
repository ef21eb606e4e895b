"""Permissions, audit actions and roles the registry adds to the platform catalog."""

from __future__ import annotations

from municloud.kernel.catalog import Catalog

P_SEARCH = "registry:resident:search"
P_VIEW = "registry:resident:view"
P_REGISTER = "registry:notification:register"
P_MY_NUMBER = "registry:my_number:view"
P_SUPPORT_VIEW = "registry:support_measure:view"
P_SUPPORT_MANAGE = "registry:support_measure:manage"
P_CERTIFICATE = "registry:certificate:issue"
P_THIRD_PARTY = "registry:third_party:accept"
P_JUMINHYO_CODE = "registry:juminhyo_code:print"
P_LATE = "registry:late_notification:view"
P_DAILY = "registry:daily:run"
P_SUPPORT_RELEASE = "registry:support_measure:release"
P_JOURNAL = "registry:certificate:journal"
P_TOWN_VIEW = "registry:town:view"
P_TOWN_LOAD = "registry:town:load"

A_SEARCH = "registry:resident:search"
A_VIEW = "registry:resident:view"
A_HISTORY = "registry:resident:history"
A_HOUSEHOLD = "registry:household:view"
A_MY_NUMBER = "registry:my_number:view"
A_NOTIFICATION_REGISTER = "registry:notification:register"
A_NOTIFICATION_CANCEL = "registry:notification:cancel"
A_NOTIFICATION_CHECK = "registry:notification:check"
A_SUPPORT_START = "registry:support_measure:start"
A_SUPPORT_CHANGE = "registry:support_measure:change"
A_SUPPORT_VIEW = "registry:support_measure:view"
A_THIRD_PARTY = "registry:third_party:request"
A_CERTIFICATE_ISSUE = "registry:certificate:issue"
A_CERTIFICATE_HISTORY = "registry:certificate:history"
A_CERTIFICATE_CHECK = "registry:certificate:check"
A_CERTIFICATE_DAY = "registry:certificate:day"
A_RECEIPT = "registry:certificate:receipt"
A_JOURNAL = "registry:certificate:journal"
A_LATE = "registry:late_notification:view"
A_DAILY = "registry:daily:run"
A_HOLD = "registry:support_hold:hold"
A_HOLD_RELEASE = "registry:support_hold:release"
A_HOLD_REFUSE = "registry:support_hold:refuse"
A_HOLD_VIEW = "registry:support_hold:view"
A_TOWN_LOAD = "registry:town:load"
A_TOWN_VIEW = "registry:town:view"


def register(catalog: Catalog) -> None:
    catalog.permission(P_SEARCH, "住民の検索（氏名・フリガナ・生年月日・住所・住民票コード）")
    catalog.permission(P_VIEW, "住民票の記載事項・履歴・世帯の表示（個人番号は伏せ字）")
    catalog.permission(P_REGISTER, "異動届（転入・転居・転出・出生・死亡・世帯変更・氏名変更・職権修正・取消し）の登録")
    catalog.permission(P_MY_NUMBER, "個人番号の表示（表示のたびに監査ログに記録）")
    catalog.permission(P_SUPPORT_VIEW, "支援措置の対象であることと期間の閲覧")
    catalog.permission(P_SUPPORT_MANAGE, "支援措置の開始（仮・本）・延長・終了", for_clients=False)
    catalog.permission(P_CERTIFICATE, "住民票の写し等の証明書の交付")
    catalog.permission(P_THIRD_PARTY, "第三者からの写しの交付請求・閲覧請求の受付（支援措置の確認を含む）")
    # 住民票コード is a right of its own (標準仕様書 10.3); the counter prints it for 本人等
    # routinely, so both counter roles hold it — a role without it cannot.
    catalog.permission(P_JUMINHYO_CODE, "住民票コードを記載した証明書の交付（本人等の請求のみ）")
    catalog.permission(P_SUPPORT_RELEASE, "支援措置の対象者を含むため保留した請求の審査（理由を付けて解除・拒否）", for_clients=False)

    catalog.permission(P_JOURNAL, "証明書の交付日計表（種類・通数・手数料・免除の理由ごとの集計）の表示・印刷（手数料の照合）")
    catalog.permission(P_LATE, "届出期間を経過した届出の一覧の表示・印刷（過料の通知の検討）")
    catalog.permission(P_DAILY, "住民記録の日次処理の実行（転出予定日が到来した方の除票）")

    catalog.permission(P_TOWN_VIEW, "住所マスター（町字・郵便番号・校区などの付加情報）の表示と検索")
    catalog.permission(P_TOWN_LOAD, "住所マスター（町字）の取込み（ファイルの内容で置き換える）", for_clients=False)

    catalog.audit_action(A_TOWN_LOAD, "住所マスター（町字）の取込み（件数とファイルのSHA-256を記録）")
    catalog.audit_action(A_TOWN_VIEW, "住所マスターの表示（拒否されたときだけ記録）")
    catalog.audit_action(A_SEARCH, "住民の検索（検索条件の種類と該当者の宛名番号を記録）")
    catalog.audit_action(A_VIEW, "住民票の表示")
    catalog.audit_action(A_HISTORY, "住民票の履歴の表示")
    catalog.audit_action(A_HOUSEHOLD, "世帯の表示")
    catalog.audit_action(A_MY_NUMBER, "個人番号の表示")
    catalog.audit_action(A_NOTIFICATION_REGISTER, "異動届の登録")
    catalog.audit_action(A_NOTIFICATION_CANCEL, "異動の取消し")
    catalog.audit_action(A_NOTIFICATION_CHECK, "異動届の確認（登録せずに検査し、取り消した試行）")
    catalog.audit_action(A_SUPPORT_START, "支援措置の開始")
    catalog.audit_action(A_SUPPORT_CHANGE, "支援措置の延長・本決定・終了")
    catalog.audit_action(A_SUPPORT_VIEW, "支援措置の閲覧")
    catalog.audit_action(A_THIRD_PARTY, "第三者からの請求（支援措置による拒否を含む）")
    catalog.audit_action(A_CERTIFICATE_ISSUE, "住民票の写し等の交付（支援措置・権限による拒否を含む）")
    catalog.audit_action(A_CERTIFICATE_HISTORY, "証明書の交付履歴の閲覧")
    catalog.audit_action(A_CERTIFICATE_CHECK, "証明書の交付の確認（手数料を示すため交付せずに検査した試行）")
    catalog.audit_action(A_CERTIFICATE_DAY, "ある日の証明書の交付履歴の閲覧（交付した証明書の宛名番号を記録）")
    catalog.audit_action(A_RECEIPT, "手数料の領収書の発行")
    catalog.audit_action(A_JOURNAL, "証明書の交付日計表の表示（集計のみ。個人の情報を含まない）")
    catalog.audit_action(A_LATE, "届出期間経過の一覧の表示（該当者の宛名番号を記録）")
    catalog.audit_action(A_DAILY, "住民記録の日次処理（転出予定日の到来による除票）")
    catalog.audit_action(A_HOLD, "支援措置の対象者を含む請求の保留（責任者の審査待ち）")
    catalog.audit_action(A_HOLD_RELEASE, "保留した請求の解除（理由を記録。1回だけ交付できる）")
    catalog.audit_action(A_HOLD_REFUSE, "保留した請求の拒否（理由を記録）")
    catalog.audit_action(A_HOLD_VIEW, "保留した請求の閲覧")

    catalog.role("registry_viewer", "住民記録の照会のみ（検索・表示）")
    catalog.grant("registry_viewer", P_SEARCH, P_VIEW, P_SUPPORT_VIEW, P_TOWN_VIEW)
    catalog.role("registry_clerk", "住民記録の窓口担当：検索・表示・異動届の登録・証明書の交付")
    catalog.grant(
        "registry_clerk", P_SEARCH, P_VIEW, P_SUPPORT_VIEW, P_REGISTER, P_CERTIFICATE, P_THIRD_PARTY, P_JUMINHYO_CODE,
        P_TOWN_VIEW,
    )
    catalog.role("registry_supervisor", "住民記録の責任者：窓口担当の権限に加え、個人番号の表示と支援措置の決定")
    catalog.grant(
        "registry_supervisor",
        P_SEARCH, P_VIEW, P_SUPPORT_VIEW, P_REGISTER, P_CERTIFICATE, P_THIRD_PARTY, P_MY_NUMBER, P_SUPPORT_MANAGE,
        P_JUMINHYO_CODE, P_LATE, P_DAILY, P_SUPPORT_RELEASE, P_JOURNAL, P_TOWN_VIEW,
    )
    # the tenant admin keeps the tenant's master data (parameters, and the 住所マスター)
    catalog.grant("tenant_admin", P_TOWN_VIEW, P_TOWN_LOAD)
