"""Input and output shapes of the registry's use cases (pydantic; shared by API and CLI).

Dates are strings: 西暦 (``1989-01-08``, ``1989/1/8``) or 和暦 (``平成元年1月8日``,
``H1.1.8``) — the services parse them and answer in Japanese when they are wrong.

Every text item's type comes from ``fields.py`` (character policy, label, maximum length:
one definition for API, screens, import and migration).  A write that changes someone's
legal state never fills an item by default: 住民種別 (``resident_kind``), the 転出 stage and
every item of a 支援措置 that decides who is protected and for how long must be given.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from municloud.kernel.fields import Serial
from municloud.modules.registry import fields as f

AtenaNo = f.ATENA_NO.type
SetaiNo = f.SETAI_NO.type
Zokugara = dict[AtenaNo, f.ZOKUGARA.type]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class PersonIn(_In):
    """A person's items (new resident: 転入・出生)."""

    shimei: f.SHIMEI.type = Field(description="氏名（入力どおりに保存。IVSもそのまま）")
    shimei_kana: f.SHIMEI_KANA.type = Field(description="フリガナ（ひらがな・半角カナも可）")
    birth_date: f.BIRTH_DATE.type | None = Field(None, description="生年月日（西暦または和暦）")
    sex: f.SEX.type = Field(description="性別 1=男 2=女")
    zokugara: f.ZOKUGARA.type | None = Field(None, description="続柄（世帯主・妻・子…）")
    resident_kind: f.RESIDENT_KIND.type = Field(description="住民種別：日本人／外国人（既定値はありません）")
    kyu_uji: f.KYU_UJI.type | None = None
    kyu_uji_kana: f.KYU_UJI_KANA.type | None = None
    tsusho: f.TSUSHO.type | None = None
    tsusho_kana: f.TSUSHO_KANA.type | None = None
    honseki: f.HONSEKI.type | None = None
    hittosha: f.HITTOSHA.type | None = None
    nationality: f.NATIONALITY.type | None = None
    zairyu_shikaku: f.ZAIRYU_SHIKAKU.type | None = None
    zairyu_kikan: f.ZAIRYU_KIKAN.type | None = None
    zairyu_kikan_end: f.ZAIRYU_KIKAN_END.type | None = None
    zairyu_card_no: f.ZAIRYU_CARD_NO.type | None = None
    juminhyo_code: f.JUMINHYO_CODE.type | None = Field(None, description="住民票コード（なければ新たに付番）")
    my_number: f.MY_NUMBER.type | None = Field(None, description="個人番号（12桁）")
    became_resident_on: f.BECAME_RESIDENT_ON.type | None = Field(
        None, description="住民となった年月日（既定：異動日。転入・出生ではその日が住民となった日）")


class AddressIn(_In):
    address: f.ADDRESS_.type = Field(description="住所")
    katagaki: f.KATAGAKI.type | None = Field(None, description="方書")
    postal_code: f.POSTAL_CODE.type | None = Field(None, description="郵便番号")
    attributes: dict[f.ATTRIBUTE_NAME.type, f.ATTRIBUTE_VALUE.type] = Field(
        default_factory=dict, description="校区・自治区など（団体の設定による）")


class _Notification(_In):
    ido_date: f.IDO_DATE.type = Field(description="異動日")
    todoke_date: f.TODOKE_DATE.type | None = Field(None, description="届出日（職権のときは空）")
    note: f.NOTE_.type | None = Field(None, description="備考・職権処理の理由")
    request_key: f.REQUEST_KEY.type | None = Field(
        None, description="重複登録を防ぐキー：同じキーの届出は一度しか登録されない（二度目は409）",
    )
    expected_rireki: dict[AtenaNo, Serial] = Field(
        default_factory=dict,
        description="宛名番号 → 画面で見ていた履歴番号（他の職員の更新と衝突したら409）",
    )


class Tennyu(_Notification):
    kind: Literal["tennyu"]
    from_abroad: bool = False
    previous_address: f.PREVIOUS_ADDRESS.type = Field(description="転入前住所")
    address: AddressIn
    join_setai_no: SetaiNo | None = Field(None, description="既存の世帯に入る場合の世帯番号")
    persons: list[PersonIn] = Field(min_length=1)


class Tenkyo(_Notification):
    kind: Literal["tenkyo"]
    atena_nos: list[AtenaNo] = Field(min_length=1)
    address: AddressIn
    join_setai_no: SetaiNo | None = None
    new_household: bool = False
    new_head: AtenaNo | None = None
    zokugara: Zokugara = Field(default_factory=dict)
    remaining_head: AtenaNo | None = None
    remaining_zokugara: Zokugara = Field(default_factory=dict)


class Tenshutsu(_Notification):
    kind: Literal["tenshutsu"]
    stage: Literal["yotei", "kakutei"] = Field(description="yotei（転出予定：予定日で消除）／kakutei（転出確定）")
    atena_nos: list[AtenaNo] = Field(min_length=1)
    destination: f.DESTINATION.type = Field(description="転出先住所（予定／確定）")
    abroad: bool = False
    notified_on: f.NOTIFIED_ON.type | None = Field(None, description="転入通知年月日（確定のとき）")
    new_head: AtenaNo | None = None
    zokugara: Zokugara = Field(default_factory=dict)


class Shussei(_Notification):
    kind: Literal["shussei"]
    setai_no: SetaiNo
    person: PersonIn


class Shibou(_Notification):
    kind: Literal["shibou"]
    atena_no: AtenaNo
    new_head: AtenaNo | None = None
    zokugara: Zokugara = Field(default_factory=dict)


class SetaiHenko(_Notification):
    kind: Literal["setai_henko"]
    type: Literal["head_change", "split", "merge"]
    setai_no: SetaiNo
    new_head: AtenaNo | None = None
    atena_nos: list[AtenaNo] = Field(default_factory=list, description="世帯分離で新しい世帯に移る方")
    into_setai_no: SetaiNo | None = Field(None, description="世帯合併の合併先")
    zokugara: Zokugara = Field(default_factory=dict)
    remaining_head: AtenaNo | None = None
    remaining_zokugara: Zokugara = Field(default_factory=dict)


class ShimeiHenko(_Notification):
    kind: Literal["shimei_henko"]
    atena_no: AtenaNo
    shimei: f.SHIMEI.type
    shimei_kana: f.SHIMEI_KANA.type
    kyu_uji: f.KYU_UJI.type | None = None


class ShokkenShusei(_Notification):
    kind: Literal["shokken_shusei"]
    atena_no: AtenaNo
    changes: dict[f.CHANGE_ITEM.type, Any] = Field(
        min_length=1, description="項目 → 新しい値（各項目の値は住民票の記載事項と同じ規則で確かめます）")


class Torikeshi(_Notification):
    kind: Literal["torikeshi"]
    notification_id: Serial
    ido_date: f.IDO_DATE.type | None = None  # type: ignore[assignment]


NotificationIn = Annotated[
    Tennyu | Tenkyo | Tenshutsu | Shussei | Shibou | SetaiHenko | ShimeiHenko | ShokkenShusei | Torikeshi,
    Field(discriminator="kind"),
]


class NewAddress(BaseModel):
    """The new address of a 転入・転居 as recorded: 郵便番号 and 付加情報 as derived (住所マスター,
    the household joined, ``registry.address.attribute_areas``)."""

    address: str
    katagaki: str | None = None
    postal_code: str | None = None
    address_attributes: dict[str, str] = Field(default_factory=dict)


class NotificationResult(BaseModel):
    notification_id: int
    kind: str
    ido_jiyu: str
    atena_nos: list[str]
    setai_nos: list[str]
    late_notice: bool = Field(False, description="届出期間経過：届出期間（住民基本台帳法第22条〜第25条）を過ぎた届出。登録したうえで記録")
    notice_deadline: date | None = Field(None, description="届出期限（届出期間のある届出のとき）")
    move_out_due_on: date | None = Field(None, description="転出予定日：この日に除票になる（転出予定のとき）")
    dry_run: bool = Field(
        False, description="true：確認だけ（登録していない）。異動番号・新しい宛名番号・世帯番号は仮の番号で、登録のときに改めて付番する",
    )
    address: NewAddress | None = Field(None, description="転入・転居：記録する新しい住所（郵便番号・付加情報は導いた値）")


class SupportMeasureIn(_In):
    """A 支援措置 decides who is protected and for how long: every item is given explicitly
    (no kind, stage or date is assumed; the screens and clients propose the usual period,
    ``registry.support_measure.period_months``, as a value the clerk sees)."""

    stage: Literal["仮", "本"] = Field(description="仮（仮支援措置：審査中）／本")
    category: f.SUPPORT_CATEGORY.type = Field(description="DV・ストーカー・児童虐待・その他")
    applied_on: f.SUPPORT_APPLIED_ON.type = Field(description="申出日")
    start_on: f.SUPPORT_START_ON.type = Field(description="開始日")
    end_on: f.SUPPORT_END_ON.type = Field(description="終了予定日（通常は開始日から1年）")
    consult_agency: f.SUPPORT_AGENCY.type | None = Field(
        None, description="相談機関の名称（警察署・配偶者暴力相談支援センター・児童相談所など）：本では必須")
    opinion_on: f.SUPPORT_OPINION_ON.type | None = Field(None, description="相談機関の意見の日付：本では必須")
    opinion: f.SUPPORT_OPINION.type | None = Field(None, description="相談機関の意見（支援の必要性）：本では必須")
    note: f.SUPPORT_NOTE.type | None = None


class SupportMeasureChange(_In):
    action: Literal["extend", "confirm", "end"]
    end_on: f.SUPPORT_END_ON.type | None = Field(
        None, description="延長後の終了予定日（extend）／終了日（end）：どちらも必須（本決定 confirm では不要）")
    reason: f.SUPPORT_END_NOTE.type | None = Field(None, description="終了の理由（end）：必須")
    consult_agency: f.SUPPORT_AGENCY.type | None = Field(
        None, description="相談機関の名称（confirm：仮の支援措置にまだ意見が記録されていなければ必須）")
    opinion_on: f.SUPPORT_OPINION_ON.type | None = Field(None, description="相談機関の意見の日付（confirm）")
    opinion: f.SUPPORT_OPINION.type | None = Field(None, description="相談機関の意見（confirm）")
    expected_version: Serial | None = None
    note: f.SUPPORT_NOTE.type | None = None


class ThirdPartyRequestIn(_In):
    atena_nos: list[AtenaNo] = Field(min_length=1)
    requester_type: Literal["third_party", "agent", "lawyer", "public_office"] = Field(
        "third_party", description="請求者の種別：第三者・代理人・弁護士等（職務上請求）・国又は地方公共団体"
    )
    kind: Literal["certificate", "inspection"] = "certificate"
    purpose: f.PURPOSE.type = Field(description="請求の目的")
    hold_no: Serial | None = Field(
        None,
        description="責任者が解除した保留番号（支援措置の対象の方を含むため保留した請求を、解除後に1回だけ受け付ける）")
