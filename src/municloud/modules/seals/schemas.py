"""Input and output shapes of the seal-registration use cases (pydantic; API and screens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from municloud.modules.registry.api import ATENA_NO
from municloud.modules.seals import fields as f
from municloud.modules.seals.domain import MAX_COPIES


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class SealRegistrationIn:
    """A registration request: the person, the impression's size as measured, the image."""

    atena_no: str
    size_mm: str  # 一辺の長さ (mm, at most one decimal), as the clerk entered it
    image: bytes  # PNG or JPEG, cropped to the impression
    requester: str = "本人"  # 本人 / 代理人 (申請者)
    identity_method: str = "document"  # 本人確認の方法: document / guarantor / inquiry (domain.IDENTITY_METHODS)
    guarantor_atena_no: str | None = None  # 保証人の宛名番号 (identity_method="guarantor")
    inquiry_sent_on: str | None = None  # 照会書の送付日 as typed (西暦・和暦; identity_method="inquiry")
    answer_received: bool = False  # 回答書の提出を受けた (identity_method="inquiry")
    adult_ward: bool = False  # 成年被後見人である (後見登記で分かったとき): refused
    #: The 登録番号 in force when the clerk confirmed (0: none).  When given and no longer
    #: true — the confirmation was sent twice, or a colleague registered meanwhile — the
    #: registration is refused (409) instead of replacing the registration just made.
    expected_registration_no: int | None = None


class EndIn(_In):
    reason: Literal["lost", "withdrawn"] = Field(
        description="lost＝印鑑登録証の亡失の届出、withdrawn＝登録の廃止の申請"
    )


class CertificateIn(_In):
    atena_no: ATENA_NO.type = Field(description="宛名番号")
    card_no: f.CARD_NO.type = Field(description="提示された印鑑登録証の番号")
    copies: int = Field(1, ge=1, le=MAX_COPIES, description=f"通数（1〜{MAX_COPIES}）")
    requester: Literal["本人", "代理人"] = Field(
        description="請求者：本人／代理人（必須：支援措置の対象の方には本人だけが交付を受けられるため、仮定しない）")
    purpose: f.PURPOSE.type | None = Field(None, description="使用目的（任意）")
    identity_checked: bool = Field(
        False, description="本人確認書類で請求者がご本人であることを確認した（支援措置の対象の方の本人請求では必須）")


class RegistrationResult(BaseModel):
    """What the clerk needs after registering: the numbers to print on the 印鑑登録証."""

    registration_no: int
    card_no: str
    atena_no: str
    status: str
    registered_on: date
    size_mm: str
    image_mime: str
    image_sha256: str
    replaced_registration_no: int | None = None
    image_width: int = 0  # pixels (the checks' measures, shown on the screens)
    image_height: int = 0
    image_bytes: int = 0
    print_dpi: int = 0  # the image's fineness printed at the impression's real size
    shimei: str = ""  # 氏名 of the registrant (for the 印鑑登録証 and the result screen)
    requester: str = "本人"
    identity_method: str = "document"


class RegistrationView(BaseModel):
    """A registration as shown (the card number masked: it is what proves the will)."""

    registration_no: int
    atena_no: str
    status: str
    card_no_masked: str
    registered_on: date
    size_mm: str
    image_mime: str
    image_sha256: str
    image_width: int
    image_height: int
    ended_on: date | None
    end_reason: str | None
    ended_by_notification: int | None
    replaced_by: int | None
    requester: str | None = None  # 本人 / 代理人 (None: registered before it was recorded)
    identity_method: str | None = None  # document / guarantor / inquiry
    guarantor_atena_no: str | None = None
    inquiry_sent_on: date | None = None


class SealPerson(BaseModel):
    """The registrant as the seal screens show them (from the registry's record)."""

    shimei: str
    shimei_kana: str
    birth_date: date
    sex: str  # 男 / 女
    address: str
    is_resident: bool


class ResidentSeals(BaseModel):
    atena_no: str
    person: SealPerson | None = None
    active: RegistrationView | None
    past: list[RegistrationView]


@dataclass(frozen=True)
class ImpressionImage:
    registration_no: int
    mime: str
    data: bytes


@dataclass(frozen=True)
class CertificateIssued:
    issue_no: str  # 発行番号
    pdf: bytes
    sha256: str
    pages: int
    copies: int
    fee_total: int  # 円
    registration_no: int
