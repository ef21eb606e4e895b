"""Input and output shapes of the registry's use cases (pydantic; shared by API and CLI).

Dates are strings: 西暦 (``1989-01-08``, ``1989/1/8``) or 和暦 (``平成元年1月8日``,
``H1.1.8``) — the services parse them and answer in Japanese when they are wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class PersonIn(_In):
    """A person's items (new resident: 転入・出生)."""

    shimei: str = Field(description="氏名（入力どおりに保存。IVSもそのまま）")
    shimei_kana: str = Field(description="フリガナ（ひらがな・半角カナも可）")
    birth_date: str | None = Field(None, description="生年月日（西暦または和暦）")
    sex: str = Field(description="性別 1=男 2=女")
    zokugara: str | None = Field(None, description="続柄（世帯主・妻・子…）")
    resident_kind: str = Field("日本人", description="住民種別：日本人／外国人")
    kyu_uji: str | None = None
    kyu_uji_kana: str | None = None
    tsusho: str | None = None
    tsusho_kana: str | None = None
    honseki: str | None = None
    hittosha: str | None = None
    nationality: str | None = None
    zairyu_shikaku: str | None = None
    zairyu_kikan: str | None = None
    zairyu_kikan_end: str | None = None
    zairyu_card_no: str | None = None
    juminhyo_code: str | None = Field(None, description="住民票コード（なければ新たに付番）")
    my_number: str | None = Field(None, description="個人番号（12桁）")
    became_resident_on: str | None = Field(None, description="住民となった年月日（既定：異動日）")


class AddressIn(_In):
    address: str = Field(description="住所")
    katagaki: str | None = Field(None, description="方書")
    postal_code: str | None = Field(None, description="郵便番号")
    attributes: dict[str, str] = Field(default_factory=dict, description="校区・自治区など（団体の設定による）")


class _Notification(_In):
    ido_date: str = Field(description="異動日")
    todoke_date: str | None = Field(None, description="届出日（職権のときは空）")
    note: str | None = Field(None, description="備考・職権処理の理由")
    request_key: str | None = Field(
        None, max_length=64,
        description="重複登録を防ぐキー：同じキーの届出は一度しか登録されない（二度目は409）",
    )
    expected_rireki: dict[str, int] = Field(
        default_factory=dict,
        description="宛名番号 → 画面で見ていた履歴番号（他の職員の更新と衝突したら409）",
    )


class Tennyu(_Notification):
    kind: Literal["tennyu"]
    from_abroad: bool = False
    previous_address: str = Field(description="転入前住所")
    address: AddressIn
    join_setai_no: str | None = Field(None, description="既存の世帯に入る場合の世帯番号")
    persons: list[PersonIn] = Field(min_length=1)


class Tenkyo(_Notification):
    kind: Literal["tenkyo"]
    atena_nos: list[str] = Field(min_length=1)
    address: AddressIn
    join_setai_no: str | None = None
    new_household: bool = False
    new_head: str | None = None
    zokugara: dict[str, str] = Field(default_factory=dict)
    remaining_head: str | None = None
    remaining_zokugara: dict[str, str] = Field(default_factory=dict)


class Tenshutsu(_Notification):
    kind: Literal["tenshutsu"]
    stage: Literal["yotei", "kakutei"] = "yotei"
    atena_nos: list[str] = Field(min_length=1)
    destination: str = Field(description="転出先住所（予定／確定）")
    abroad: bool = False
    notified_on: str | None = Field(None, description="転入通知年月日（確定のとき）")
    new_head: str | None = None
    zokugara: dict[str, str] = Field(default_factory=dict)


class Shussei(_Notification):
    kind: Literal["shussei"]
    setai_no: str
    person: PersonIn


class Shibou(_Notification):
    kind: Literal["shibou"]
    atena_no: str
    new_head: str | None = None
    zokugara: dict[str, str] = Field(default_factory=dict)


class SetaiHenko(_Notification):
    kind: Literal["setai_henko"]
    type: Literal["head_change", "split", "merge"]
    setai_no: str
    new_head: str | None = None
    atena_nos: list[str] = Field(default_factory=list, description="世帯分離で新しい世帯に移る方")
    into_setai_no: str | None = Field(None, description="世帯合併の合併先")
    zokugara: dict[str, str] = Field(default_factory=dict)
    remaining_head: str | None = None
    remaining_zokugara: dict[str, str] = Field(default_factory=dict)


class ShimeiHenko(_Notification):
    kind: Literal["shimei_henko"]
    atena_no: str
    shimei: str
    shimei_kana: str
    kyu_uji: str | None = None


class ShokkenShusei(_Notification):
    kind: Literal["shokken_shusei"]
    atena_no: str
    changes: dict[str, Any] = Field(min_length=1)


class Torikeshi(_Notification):
    kind: Literal["torikeshi"]
    notification_id: int
    ido_date: str | None = None  # type: ignore[assignment]


NotificationIn = Annotated[
    Tennyu | Tenkyo | Tenshutsu | Shussei | Shibou | SetaiHenko | ShimeiHenko | ShokkenShusei | Torikeshi,
    Field(discriminator="kind"),
]


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


class SupportMeasureIn(_In):
    stage: Literal["仮", "本"] = "本"
    category: str = Field("DV", description="DV・ストーカー・児童虐待・その他")
    applied_on: str | None = Field(None, description="申出日（既定：今日）")
    start_on: str | None = Field(None, description="開始日（既定：申出日）")
    end_on: str | None = Field(None, description="終了予定日（既定：開始日から1年）")
    note: str | None = None


class SupportMeasureChange(_In):
    action: Literal["extend", "confirm", "end"]
    end_on: str | None = Field(None, description="延長後の終了予定日／終了日")
    expected_version: int | None = None
    note: str | None = None


class ThirdPartyRequestIn(_In):
    atena_nos: list[str] = Field(min_length=1)
    requester_type: Literal["third_party", "agent", "lawyer", "public_office"] = Field(
        "third_party", description="請求者の種別：第三者・代理人・弁護士等（職務上請求）・国又は地方公共団体"
    )
    kind: Literal["certificate", "inspection"] = "certificate"
    purpose: str = Field(description="請求の目的")
    hold_no: int | None = Field(
        None, description="責任者が解除した保留番号（支援措置の対象の方を含むため保留した請求を、解除後に1回だけ受け付ける）")
