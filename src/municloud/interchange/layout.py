"""The published standard layout, version 1.0 — defined once, as data.

Each :class:`Entity` is one CSV file; its columns are generated from the SQLAlchemy table
(minus ``tenant_code`` and the columns in :data:`EXCLUDED`) with the Japanese item names of
:data:`HEADERS`, so a new column cannot be forgotten: ``tests/integration/interchange``
fails when a tenant-owned column is neither in the layout nor excluded with a reason.
``python -m municloud.interchange.layout > docs/standard-layout.md`` writes the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, LargeBinary, Table

from municloud.modules.registry import moves, protection
from municloud.modules.registry.services.bulk import INITIAL_LOAD
from municloud.modules.seals.domain import IDENTITY_METHODS as SEAL_IDENTITY_METHODS
from municloud.modules.seals.domain import REQUESTERS as SEAL_REQUESTERS
from municloud.modules.seals.domain import STATUSES as SEAL_STATUSES
from municloud.modules.tax.domain import COLLECTIONS as TAX_COLLECTIONS
from municloud.modules.tax.domain import EXEMPTIONS as TAX_EXEMPTIONS
from municloud.modules.tax.domain import INPUT_SOURCES as TAX_INPUT_SOURCES
from municloud.modules.tax.domain import RELATIONS as TAX_RELATIONS
from municloud.modules.tax.domain import RESULT_STATUSES as TAX_RESULT_STATUSES
from municloud.modules.tax.domain import RUN_KINDS as TAX_RUN_KINDS
from municloud.modules.tax.inputs import INPUT_COLUMNS as TAX_INPUT_COLUMNS
from municloud.modules.tax.inputs import RELATIVE_COLUMNS as TAX_RELATIVE_COLUMNS

LAYOUT_VERSION = "1.2"
#: What changed from the previous version (docs/standard-layout.md prints it).
LAYOUT_CHANGES = {
    "1.1": (
        "届出に届出期間経過・転出予定日などの4項目、住民票の履歴に転出予定年月日、支援措置に終了事由、"
        "発行台帳に確認コードのハッシュを追加。支援措置による保留（support_holds.csv）と証明書の確認の件数"
        "（document_verifications.csv）を追加。利用者の失敗回数・ロックの列はなくなった（持ち出さない列）。"
        "1.0 の書き出しは版が違うため取り込まない（IMPORT_LAYOUT_VERSION。1.0 から 1.1 への変換はまだない）",
    ),
    "1.2": (
        "証明書の交付履歴（certificate_issuances.csv）に1通の手数料・手数料の免除の理由・本人確認書類の種類"
        "（種類のコードだけ。書類の番号は記録しない）・領収書の発行番号を、支援措置に終了の理由・相談機関の名称・"
        "相談機関の意見の日付・意見を、印鑑登録に申請者の区分・本人確認の方法・保証人の宛名番号・照会書の送付日を追加。"
        "課税資料の修正履歴（tax_input_revisions.csv）と住所マスター（町字。towns.csv：町字ID・効力発生日・廃止日・"
        "名前・フリガナ・郵便番号・付加情報）を追加。"
        "1.1 の書き出しは版が違うため取り込まない（IMPORT_LAYOUT_VERSION）",
    ),
}

TYPE_FORMATS = {
    "text": "UTF-8 の文字列（異体字セレクタを含め、そのまま）",
    "int": "10進の整数",
    "date": "ISO 8601 の日付 YYYY-MM-DD",
    "datetime": "ISO 8601 の日時 YYYY-MM-DDTHH:MM:SS.ffffff（UTC、時差なし）",
    "bool": "1（はい）または 0（いいえ）",
    "json": "JSON（キー順・空白なしの正規形）",
    "base64": "Base64（RFC 4648、改行なし）",
}

HEADERS: dict[str, dict[str, str]] = {
    "registry_households": {"setai_no": "世帯番号", "created_on": "世帯の作成日", "dissolved_on": "世帯の消除日"},
    "registry_notifications": {
        "notification_id": "届出番号", "kind": "届出の種類", "ido_jiyu": "異動事由", "ido_date": "異動日",
        "todoke_date": "届出日", "processed_at": "処理日時", "processed_by": "処理者", "atena_nos": "宛名番号一覧",
        "setai_nos": "世帯番号一覧", "cancelled_by": "取消した届出の届出番号", "cancels": "取消対象の届出番号",
        "note": "備考", "request_key": "重複登録防止キー", "late_notice": "届出期間経過",
        "due_on": "転出予定日（未処理）", "plan": "転出予定日の世帯の処理", "carries_out": "処理した転出予定の届出番号",
    },
    "registry_resident_history": {
        "atena_no": "宛名番号", "rireki_no": "履歴番号", "status": "住民の状態", "resident_kind": "住民種別",
        "setai_no": "世帯番号", "zokugara": "続柄", "shimei": "氏名", "shimei_kana": "氏名フリガナ",
        "name_ivs_collection": "氏名の異体字の収録先", "kyu_uji": "旧氏", "kyu_uji_kana": "旧氏フリガナ",
        "tsusho": "通称", "tsusho_kana": "通称フリガナ", "birth_date": "生年月日", "sex": "性別", "honseki": "本籍",
        "hittosha": "筆頭者", "nationality": "国籍・地域", "zairyu_shikaku": "在留資格", "zairyu_kikan": "在留期間",
        "zairyu_kikan_end": "在留期間の満了の日", "zairyu_card_no": "在留カード番号", "juminhyo_code": "住民票コード",
        "my_number": "個人番号", "address": "住所", "katagaki": "方書", "postal_code": "郵便番号",
        "address_attributes": "住所の付加情報", "became_resident_on": "住民となった年月日",
        "address_fixed_on": "住所を定めた年月日", "previous_address": "転入前住所", "removal_reason": "消除事由",
        "removed_on": "消除日", "moved_out_to": "転出先住所", "move_out_stage": "転出の段階",
        "move_in_notified_on": "転入届出日", "move_out_planned_on": "転出予定年月日", "ido_jiyu": "異動事由", "ido_date": "異動日", "todoke_date": "届出日",
        "processed_at": "処理日時", "input_place": "入力場所", "input_terminal": "入力端末",
        "processed_by": "処理者", "notification_id": "届出番号",
    },
    "registry_support_measures": {
        "measure_id": "支援措置番号", "atena_no": "宛名番号", "stage": "段階", "category": "支援措置の区分",
        "applied_on": "申出日", "start_on": "開始日", "end_on": "終了予定日", "ended_on": "終了日",
        "end_reason": "終了事由", "end_note": "終了の理由", "consult_agency": "相談機関の名称",
        "opinion_on": "相談機関の意見の日付", "opinion": "相談機関の意見", "note": "備考", "updated_by": "更新者", "updated_at": "更新日時", "version": "版",
    },
    "registry_towns": {
        "machiaza_id": "町字ID", "valid_from": "効力発生日", "valid_to": "廃止日", "machiaza_type": "町字区分コード",
        "ward": "区", "name": "町字の名前", "kana": "町字のフリガナ", "name_key": "名前の照合キー",
        "kana_key": "フリガナの照合キー", "postal_code": "郵便番号", "attributes": "付加情報",
        "source_line": "取込みファイルの行番号",
    },
    "registry_support_holds": {
        "hold_no": "保留番号", "kind": "請求の種類", "requester_type": "請求者の区分", "atena_nos": "宛名番号一覧",
        "request": "請求の内容", "status": "状態", "held_by": "受付者", "held_at": "保留日時", "decided_by": "審査者",
        "decided_at": "審査日時", "reason": "審査の理由", "used_at": "交付日時", "issue_no": "発行番号", "version": "版",
    },
    "issued_documents": {
        "issue_no": "発行番号", "kind": "種類", "title": "表題", "issued_at": "発行日時", "issued_by": "発行者",
        "pages": "頁数", "sha256": "SHA-256", "code_hash": "確認コードのハッシュ",
    },
    "document_verifications": {
        "day": "確認日", "issue_no": "発行番号", "confirmed": "照会の件数", "matched": "一致の件数",
        "mismatched": "不一致の件数", "refused": "拒否の件数", "first_at": "最初の確認日時", "last_at": "最後の確認日時",
    },
    "registry_certificate_issuances": {
        "issue_no": "発行番号", "kind": "証明書の種類", "form": "様式", "setai_no": "世帯番号",
        "atena_nos": "宛名番号一覧", "requester_type": "請求者の区分", "requester_name": "請求者氏名",
        "purpose": "使用目的", "options": "記載事項の選択", "copies": "通数", "unit_fee": "1通の手数料",
        "fee": "手数料", "fee_exemption": "手数料の免除の理由", "identity_document": "本人確認書類の種類",
        "receipt_no": "領収書の発行番号", "issued_by": "発行者", "issued_at": "発行日時",
    },
    "registry_certificate_subjects": {"issue_no": "発行番号", "atena_no": "宛名番号"},
    "seal_registrations": {
        "registration_no": "印鑑登録番号", "atena_no": "宛名番号", "active_atena_no": "有効な登録の宛名番号",
        "card_no": "印鑑登録証番号", "status": "登録の状態", "registered_on": "登録日",
        "size_tenth_mm": "印影の大きさ（0.1mm）", "image": "印影画像", "image_mime": "画像形式",
        "image_sha256": "画像のSHA-256", "image_width": "画像の幅", "image_height": "画像の高さ",
        "registered_by": "登録者", "registered_at": "登録日時", "ended_on": "廃止日", "end_reason": "廃止事由",
        "ended_by_notification": "廃止の届出番号", "replaced_by": "後継の印鑑登録番号", "ended_by": "廃止処理者",
        "ended_at": "廃止処理日時", "version": "版", "requester": "申請者の区分", "identity_method": "本人確認の方法",
        "guarantor_atena_no": "保証人の宛名番号", "inquiry_sent_on": "照会書の送付日",
    },
    "seal_certificate_issues": {
        "issue_no": "発行番号", "registration_no": "印鑑登録番号", "atena_no": "宛名番号", "copies": "通数",
        "fee_per_copy": "1通の手数料", "fee_total": "手数料の合計", "requester": "請求者の区分",
        "purpose": "使用目的", "issued_at": "発行日時", "issued_by": "発行者",
    },
    "parameter_overrides": {
        "key": "パラメータ名", "effective_from": "適用開始日", "value": "値", "reason": "理由",
        "set_by": "設定者", "set_at": "設定日時",
    },
    "tenant_sequences": {"name": "採番の名前", "value": "最後に使った番号"},
    "users": {"username": "利用者名", "display_name": "表示名", "active": "有効"},
    "memberships": {
        "user_id": "利用者名", "role": "ロール", "granted_at": "付与日時", "granted_by": "付与者",
        "valid_until": "有効期限",
    },
    "audit_entries": {
        "seq": "連番", "occurred_at": "日時", "actor": "操作者", "actor_id": "操作者ID", "action": "操作",
        "outcome": "結果", "subjects": "対象", "request_id": "要求ID", "client_addr": "接続元", "terminal": "端末",
        "my_number_shown": "個人番号の表示", "detail": "詳細", "prev_hash": "直前のハッシュ", "hash": "ハッシュ",
    },
    "audit_chain_heads": {"last_seq": "最後の連番", "last_hash": "最後のハッシュ"},
    # the 課税資料 CSV's own item names (one definition: modules/tax/inputs.py)
    "tax_inputs": {"year": "年度", **dict(TAX_INPUT_COLUMNS), "updated_by": "更新者", "updated_at": "更新日時"},
    "tax_input_revisions": {
        "year": "年度", "atena_no": "宛名番号", "revision": "修正の版", "source": "修正の経路", "reason": "修正の理由",
        "actor": "修正者", "changed_at": "修正日時", "snapshot": "修正後の課税資料",
    },
    "tax_relatives": {"year": "年度", "seq": "連番", **dict(TAX_RELATIVE_COLUMNS)},
    "tax_runs": {
        "run_no": "賦課処理番号", "year": "年度", "kind": "処理の種類", "reason": "理由", "started_at": "開始日時",
        "finished_at": "終了日時", "actor": "処理者", "taxpayers": "計算した人数", "results": "書いた結果の件数",
        "parameters": "使ったパラメータ",
    },
    "tax_results": {
        "year": "年度", "atena_no": "宛名番号", "revision": "賦課の版", "run_no": "賦課処理番号", "reason": "理由",
        "status": "賦課の状態", "collection": "徴収方法", "employer_no": "特別徴収義務者指定番号",
        "total_income": "合計所得金額", "taxable_income": "課税標準額", "income_levy_municipal": "市町村民税所得割額",
        "income_levy_prefectural": "道府県民税所得割額", "per_capita_municipal": "市町村民税均等割額",
        "per_capita_prefectural": "道府県民税均等割額", "forest_environment_tax": "森林環境税額", "total": "年税額",
        "exemption": "非課税の理由", "instalments": "各期の額", "figures": "計算過程", "assessed_at": "賦課日時",
    },
    "legacy_ledger": {
        "system": "旧システム名", "legacy_atena_no": "旧宛名番号", "legacy_setai_no": "旧世帯番号",
        "atena_no": "宛名番号", "setai_no": "世帯番号", "notification_id": "届出番号",
    },
}

IDO_JIYU = (
    moves.TENNYU, moves.TENNYU_ABROAD, moves.TENKYO, moves.TENSHUTSU, moves.TENSHUTSU_ABROAD,
    moves.TENSHUTSU_YOTEI, moves.TENSHUTSU_KAKUTEI, moves.SHUSSEI, moves.SHIBOU, moves.HEAD_CHANGE, moves.SPLIT, moves.MERGE,
    moves.RENAME, moves.CORRECTION, moves.CANCELLATION, INITIAL_LOAD,
)
"""異動事由: those of the registry's notifications, and 職権記載 of a bulk (initial) load."""
REMOVAL_REASONS = (moves.TENSHUTSU, moves.TENSHUTSU_ABROAD, moves.SHIBOU, moves.CANCELLATION)
"""消除事由 of a 除票."""

CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("registry_resident_history", "status"): ("resident", "removed"),
    ("registry_resident_history", "resident_kind"): ("日本人", "外国人"),
    ("registry_resident_history", "sex"): ("1", "2"),
    ("audit_entries", "outcome"): ("success", "denied", "failure"),
    ("registry_resident_history", "ido_jiyu"): IDO_JIYU,
    ("registry_notifications", "ido_jiyu"): IDO_JIYU,
    ("registry_resident_history", "removal_reason"): REMOVAL_REASONS,
    ("registry_resident_history", "move_out_stage"): ("予定", "確定"),
    ("registry_support_measures", "stage"): ("仮", "本"),
    ("registry_support_measures", "category"): protection.CATEGORIES,
    ("registry_support_measures", "end_reason"): (protection.ENDED, protection.EXPIRED),
    ("registry_support_holds", "kind"): ("certificate", "third_party"),
    ("registry_support_holds", "status"): tuple(protection.HOLD_STATUS_LABELS),
    ("seal_registrations", "status"): SEAL_STATUSES,
    ("seal_registrations", "requester"): SEAL_REQUESTERS,
    ("seal_registrations", "identity_method"): tuple(SEAL_IDENTITY_METHODS),
    ("tax_input_revisions", "source"): tuple(TAX_INPUT_SOURCES),
    ("tax_relatives", "relation"): TAX_RELATIONS,
    ("tax_runs", "kind"): TAX_RUN_KINDS,
    ("tax_results", "status"): TAX_RESULT_STATUSES,
    ("tax_results", "collection"): TAX_COLLECTIONS,
    ("tax_results", "exemption"): tuple(TAX_EXEMPTIONS),
}
"""Allowed codes (続柄 is free text in the registry: any non-empty value is accepted)."""

CHECKS: dict[tuple[str, str], str] = {
    ("registry_resident_history", "juminhyo_code"): "juminhyo_code",
    ("registry_resident_history", "my_number"): "my_number",
}
"""Columns whose check digit is verified on import."""

EXCLUDED: dict[tuple[str, str], str] = {
    ("*", "tenant_code"): "団体コードは manifest.json の tenant_code に1回だけ書く",
    ("users", "id"): "内部の連番。所属（memberships）は利用者名で参照する",
    ("users", "password_hash"): "パスワードのハッシュは持ち出さない。取り込み先で管理者が設定する",
    ("users", "totp_secret"): "二要素認証の秘密鍵は持ち出さない。取り込み先で登録し直す",
    ("users", "totp_enrolled_at"): "二要素認証は取り込み先で登録し直す",
    ("users", "totp_last_step"): "二要素認証は取り込み先で登録し直す",
    ("users", "is_operator"): "運用者は基盤の利用者で、団体のデータではない",
    ("users", "token_version"): "トークンの版は取り込み先の発行分にだけ意味がある（0から始まる）",
    ("users", "created_at"): "取り込み先で作成した日時になる",
}

DERIVED: dict[str, str] = {
    "registry_residents": "住民の索引（現在の履歴番号と検索キー）。取り込み時に最大の履歴番号から作り直す",
    "api_clients": "API クライアントはその設置先の資格情報（シークレットのハッシュ）。持ち出さず、取り込み先の団体管理者が登録し直す",
}
"""Tenant-owned tables not written out: derived ones (rebuilt on import) and ones bound to
the installation."""


@dataclass(frozen=True)
class Column:
    name: str  # database column
    header: str  # Japanese item name (CSV header)
    type: str  # text / int / date / datetime / bool / json / base64
    required: bool
    codes: tuple[str, ...] = ()
    check: str | None = None

    @property
    def format(self) -> str:
        return TYPE_FORMATS[self.type]


@dataclass(frozen=True)
class Entity:
    file: str
    title: str
    table: str
    columns: tuple[Column, ...] = field(default=())
    note: str = ""

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


ENTITIES_SPEC = (
    ("households.csv", "世帯", "registry_households", ""),
    ("notifications.csv", "届出（異動の記録）", "registry_notifications", ""),
    ("resident_history.csv", "住民の履歴", "registry_resident_history",
     "宛名番号＋履歴番号ごとに全項目の写し。履歴番号は宛名番号ごとに1から欠番なし。現在の記録は最大の履歴番号"),
    ("support_measures.csv", "支援措置", "registry_support_measures", ""),
    ("support_holds.csv", "支援措置による保留（責任者の審査）", "registry_support_holds",
     "支援措置の対象の方を含むため保留した請求。請求の内容（請求者の氏名・目的を含む）と審査の理由を含む"),
    ("towns.csv", "住所マスター（町字）", "registry_towns",
     "町字ID＋効力発生日ごとに1行（名前が変わった町字は2行）。効力発生日が 1873-01-01 の行は当初から有効。"
     "照合キーは名前・フリガナから作る検索用の値（docs/address-master.md）"),
    ("legacy_ledger.csv", "移行台帳（旧システムの番号との対応）", "legacy_ledger",
     "旧システムから移行した住民の旧宛名番号・旧世帯番号と、移行で付けた宛名番号・世帯番号。"
     "旧番号で連携する他の業務システムと、移行の再実行（取り込み先でも）に要る"),
    ("issued_documents.csv", "発行台帳", "issued_documents",
     "確認コードのハッシュは SHA-256(発行番号:確認コード)。持ち出し先でも印刷された証明書を確認できるよう、"
     "導入ごとの秘密鍵は使わない（空欄：確認コードのない時期の証明書）"),
    ("document_verifications.csv", "証明書の確認の件数", "document_verifications",
     "公開の確認ページでの照会を証明書ごと・日（日本時間）ごとに数えたもの。発行番号が空欄の行は発行台帳にない番号への照会。"
     "接続元は記録しない"),
    ("certificate_issuances.csv", "証明書の交付履歴", "registry_certificate_issuances", ""),
    ("certificate_subjects.csv", "交付履歴の対象者", "registry_certificate_subjects", ""),
    ("seal_registrations.csv", "印鑑登録", "seal_registrations", "印影画像は Base64"),
    ("seal_certificate_issues.csv", "印鑑登録証明書の交付履歴", "seal_certificate_issues", ""),
    ("tax_inputs.csv", "課税資料（個人住民税）", "tax_inputs", "年度ごと・人ごとに1行。金額は円（所得年＝年度の前年の額）"),
    ("tax_input_revisions.csv", "課税資料の修正履歴", "tax_input_revisions",
     "追記のみ。修正ごとに1行で、修正後の課税資料全体を JSON（課税資料の項目名による）で持つ"),
    ("tax_relatives.csv", "課税資料の配偶者・扶養親族", "tax_relatives",
     "同じ団体の住民は宛名番号で、団体外の親族は氏名・生年月日・合計所得金額で示す"),
    ("tax_runs.csv", "賦課処理（当初賦課・更正）", "tax_runs", "使ったパラメータの値と根拠を含む（計算過程の一部）"),
    ("tax_results.csv", "賦課の結果", "tax_results",
     "追記のみ。更正は新しい版を足す（上書きしない）。計算過程は docs/tax.md の項目名による JSON"),
    ("parameter_overrides.csv", "団体パラメータの上書き", "parameter_overrides", ""),
    ("tenant_sequences.csv", "採番の状態", "tenant_sequences", ""),
    ("users.csv", "利用者", "users",
     "その団体でロールを持つ利用者。パスワードと二要素認証は含まない（取り込み先で管理者が設定する）"),
    ("memberships.csv", "所属とロール", "memberships", "利用者は利用者名で参照する"),
    ("audit_chain_heads.csv", "監査ログのチェーンの先頭", "audit_chain_heads", ""),
    ("audit_entries.csv", "監査ログ", "audit_entries",
     "ハッシュチェーン付き（docs/audit-actions.md）。受け取った側で全件のハッシュを再計算して検証できる"),
)


def column_type(sa_type) -> str:
    for cls, name in ((LargeBinary, "base64"), (JSON, "json"), (Boolean, "bool"), (DateTime, "datetime"),
                      (Date, "date"), (Integer, "int")):
        if isinstance(sa_type, cls):
            return name
    return "text"


def columns_of(table: Table) -> tuple[Column, ...]:
    headers = HEADERS.get(table.name, {})
    cols = []
    for c in table.columns:
        if (table.name, c.name) in EXCLUDED or ("*", c.name) in EXCLUDED:
            continue
        typ = "text" if (table.name, c.name) == ("memberships", "user_id") else column_type(c.type)
        cols.append(Column(c.name, headers.get(c.name, c.name), typ, required=not c.nullable,
                           codes=CODES.get((table.name, c.name), ()), check=CHECKS.get((table.name, c.name))))
    return tuple(cols)


def entities() -> tuple[Entity, ...]:
    from municloud.bootstrap import import_all_models
    from municloud.kernel.db import Base

    import_all_models()
    tables = Base.metadata.tables
    return tuple(Entity(f, title, t, columns_of(tables[t]), note) for f, title, t, note in ENTITIES_SPEC)


def render_markdown() -> str:
    from municloud.interchange.docs import render

    return render(entities())


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render_markdown())
