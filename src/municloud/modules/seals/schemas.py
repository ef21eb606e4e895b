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


class ResidentSeals(BaseModel):
    atena_no: str
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
