"""The registry's input items: kind (character policy), label and maximum length (one place).

Used by the API shapes (``schemas.py``: ``SHIMEI.type`` …), the pure rules
(``domain.check_text``), the screens (they build the same models), the standard-layout
import (``columns``) and the legacy migration (through ``domain.normalise_person``).
Lengths match the columns of ``orm.py`` (a test compares them).  Dates are typed as text
(西暦 or 和暦, read by ``jp.wareki.parse_date``, which keeps them in ``jp.policy``'s range).
"""

from __future__ import annotations

from municloud.jp.policy import TextKind
from municloud.kernel.fields import text_field

H = "registry_resident_history."
NAME, ADDRESS, KANA, TEXT, NOTE, CODE = (TextKind.NAME, TextKind.ADDRESS, TextKind.KANA, TextKind.TEXT,
                                         TextKind.NOTE, TextKind.CODE)

# 住民票の記載事項 (a person's items) -------------------------------------------------------
SHIMEI = text_field("registry.shimei", "氏名", NAME, 100, columns=(H + "shimei",))
SHIMEI_KANA = text_field("registry.shimei_kana", "フリガナ", KANA, 100, columns=(H + "shimei_kana",))
KYU_UJI = text_field("registry.kyu_uji", "旧氏", NAME, 50, columns=(H + "kyu_uji",))
KYU_UJI_KANA = text_field("registry.kyu_uji_kana", "旧氏フリガナ", KANA, 100, columns=(H + "kyu_uji_kana",))
TSUSHO = text_field("registry.tsusho", "通称", NAME, 100, columns=(H + "tsusho",))
TSUSHO_KANA = text_field("registry.tsusho_kana", "通称フリガナ", KANA, 100, columns=(H + "tsusho_kana",))
HONSEKI = text_field("registry.honseki", "本籍", ADDRESS, 200, columns=(H + "honseki",))
HITTOSHA = text_field("registry.hittosha", "筆頭者", NAME, 100, columns=(H + "hittosha",))
NATIONALITY = text_field("registry.nationality", "国籍・地域", TEXT, 60, columns=(H + "nationality",))
ZAIRYU_SHIKAKU = text_field("registry.zairyu_shikaku", "在留資格", TEXT, 60, columns=(H + "zairyu_shikaku",))
ZAIRYU_KIKAN = text_field("registry.zairyu_kikan", "在留期間", TEXT, 30, columns=(H + "zairyu_kikan",))
ZAIRYU_CARD_NO = text_field("registry.zairyu_card_no", "在留カード番号", TEXT, 12, columns=(H + "zairyu_card_no",))
JUMINHYO_CODE = text_field("registry.juminhyo_code", "住民票コード", TEXT, 11, columns=(H + "juminhyo_code",),
                           note="検査用数字も確かめる")
MY_NUMBER = text_field("registry.my_number", "個人番号", TEXT, 12, columns=(H + "my_number",),
                       note="検査用数字も確かめる")
ZOKUGARA = text_field("registry.zokugara", "続柄", TEXT, 20, columns=(H + "zokugara",))
SEX = text_field("registry.sex", "性別", TEXT, 2, note="1（男）・2（女）、または 男・女")
RESIDENT_KIND = text_field("registry.resident_kind", "住民種別", TEXT, 10, columns=(H + "resident_kind",),
                           note="日本人・外国人")
ADDRESS_ = text_field("registry.address", "住所", ADDRESS, 200, columns=(H + "address",))
KATAGAKI = text_field("registry.katagaki", "方書", ADDRESS, 200, columns=(H + "katagaki",))
POSTAL_CODE = text_field("registry.postal_code", "郵便番号", TEXT, 8, note="ハイフンなし7桁で保存する")
PREVIOUS_ADDRESS = text_field("registry.previous_address", "転入前住所", ADDRESS, 200,
                              columns=(H + "previous_address",))
DESTINATION = text_field("registry.destination", "転出先住所", ADDRESS, 200, columns=(H + "moved_out_to",))
ATTRIBUTE_NAME = text_field("registry.address_attribute", "住所の付加情報の名前", TEXT, 20,
                            note="校区・自治区など（団体のパラメータ registry.address.attributes）")
ATTRIBUTE_VALUE = text_field("registry.address_attribute_value", "住所の付加情報", TEXT, 100)

# numbers and dates as typed -------------------------------------------------------------
ATENA_NO = text_field("registry.atena_no", "宛名番号", CODE, 12,
                      columns=(H + "atena_no", "registry_support_measures.atena_no",
                               "registry_certificate_subjects.atena_no"))
SETAI_NO = text_field("registry.setai_no", "世帯番号", CODE, 12,
                      columns=(H + "setai_no", "registry_households.setai_no",
                               "registry_certificate_issuances.setai_no"))
DATE_TEXT = 30
BIRTH_DATE = text_field("registry.birth_date", "生年月日", TEXT, DATE_TEXT, note="西暦または和暦")
IDO_DATE = text_field("registry.ido_date", "異動日", TEXT, DATE_TEXT, note="西暦または和暦")
TODOKE_DATE = text_field("registry.todoke_date", "届出日", TEXT, DATE_TEXT, note="西暦または和暦")
BECAME_RESIDENT_ON = text_field("registry.became_resident_on", "住民となった年月日", TEXT, DATE_TEXT)
ZAIRYU_KIKAN_END = text_field("registry.zairyu_kikan_end", "在留期間の満了の日", TEXT, DATE_TEXT)
NOTIFIED_ON = text_field("registry.notified_on", "転入通知年月日", TEXT, DATE_TEXT)

# notifications ---------------------------------------------------------------------------
NOTE_ = text_field("registry.note", "備考", NOTE, 1000, columns=("registry_notifications.note",),
                   note="職権処理・取消しの理由を含む")
REQUEST_KEY = text_field("registry.request_key", "重複登録を防ぐキー", CODE, 64,
                         columns=("registry_notifications.request_key",))
CHANGE_ITEM = text_field("registry.change_item", "修正する項目", CODE, 40, note="職権修正で変える項目の名前")

# 支援措置 ---------------------------------------------------------------------------------
SUPPORT_CATEGORY = text_field("registry.support_category", "支援措置の区分", TEXT, 20,
                              columns=("registry_support_measures.category",))
SUPPORT_APPLIED_ON = text_field("registry.support_applied_on", "申出日", TEXT, DATE_TEXT)
SUPPORT_START_ON = text_field("registry.support_start_on", "開始日", TEXT, DATE_TEXT)
SUPPORT_END_ON = text_field("registry.support_end_on", "終了予定日", TEXT, DATE_TEXT)
SUPPORT_NOTE = text_field("registry.support_note", "支援措置の備考", NOTE, 1000,
                          columns=("registry_support_measures.note",))
SUPPORT_AGENCY = text_field("registry.support_consult_agency", "相談機関の名称", TEXT, 100,
                            columns=("registry_support_measures.consult_agency",),
                            note="警察署・配偶者暴力相談支援センター・児童相談所など（本の支援措置では必須）")
SUPPORT_OPINION_ON = text_field("registry.support_opinion_on", "相談機関の意見の日付", TEXT, DATE_TEXT)
SUPPORT_OPINION = text_field("registry.support_opinion", "相談機関の意見", NOTE, 1000,
                             columns=("registry_support_measures.opinion",), note="支援の必要性についての意見")
SUPPORT_END_NOTE = text_field("registry.support_end_note", "終了の理由", NOTE, 500,
                              columns=("registry_support_measures.end_note",), note="終了するときは必須")

# 証明書の請求 -----------------------------------------------------------------------------
REQUESTER_NAME = text_field("registry.requester_name", "請求者の氏名・名称", NAME, 100,
                            columns=("registry_certificate_issuances.requester_name",))
PURPOSE = text_field("registry.purpose", "請求の目的", TEXT, 200,
                     columns=("registry_certificate_issuances.purpose",))
FEE_EXEMPTION = text_field("registry.fee_exemption", "手数料の免除の理由", CODE, 20,
                           columns=("registry_certificate_issuances.fee_exemption",),
                           note="パラメータ registry.certificate.fee_exemptions のコード（その日に定めのあるもの）")
IDENTITY_DOCUMENT = text_field("registry.identity_document", "本人確認書類", CODE, 30,
                               columns=("registry_certificate_issuances.identity_document",),
                               note="パラメータ registry.certificate.identity_documents のコード。書類の番号は受け付けない")
HOLD_REASON = text_field("registry.hold_reason", "判断の理由", NOTE, 500, columns=("registry_support_holds.reason",),
                         note="保留した請求の解除・拒否の理由（必須）")

# 住所マスター（町字） ------------------------------------------------------------------------
T = "registry_towns."
TOWN_NAME = text_field("registry.town_name", "町字の名前", ADDRESS, 120, columns=(T + "name",),
                       note="区・大字・町名・丁目・小字をつないだ名前（町字ファイルの各列も同じ規則）")
TOWN_WARD = text_field("registry.town_ward", "区の名前", ADDRESS, 24, columns=(T + "ward",))
TOWN_CHOME = text_field("registry.town_chome", "丁目名", ADDRESS, 32)
TOWN_KANA = text_field("registry.town_kana", "町字の名前のフリガナ", KANA, 240, columns=(T + "kana",))
TOWN_QUERY = text_field("registry.town_query", "町字の検索語", TEXT, 60, note="町字の名前またはフリガナの一部")
BANCHI = text_field("registry.banchi", "番地・号", ADDRESS, 60,
                    note="画面で町字を選んだあとに入力する部分（住所＝団体名＋町字＋番地・号）")
