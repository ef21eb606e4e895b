"""Shapes of the certificate use cases: the request, the issued certificate, the 交付履歴 view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from municloud.modules.registry import fields as f

#: 証明書の種類 → 表題
TITLES = {
    "juminhyo": "住民票の写し",
    "joshu": "住民票の除票の写し",
    "kisai_jiko": "住民票記載事項証明書",
}
FORMS = {"setai": "世帯連記式", "kojin": "個人票"}

#: 請求者の種別 → 表示名.  第三者・弁護士等・国又は地方公共団体 are third-party requests
#: (住民基本台帳法第12条の2・第12条の3); 本人・同一世帯員 are 本人等 (第12条) and 代理人
#: acts for the person with a 委任状, so is treated as 本人等 here — except where a person
#: under 支援措置 is touched: then only 本人 (identity checked) is served at once, a 代理人
#: never, the others after a supervisor's review (``registry/protection.py``).
REQUESTER_TYPES = {
    "self": "本人",
    "household_member": "同一世帯員",
    "agent": "代理人",
    "third_party": "第三者",
    "lawyer": "弁護士等",
    "public_office": "国・地方公共団体",
}
THIRD_PARTY_TYPES = frozenset({"third_party", "lawyer", "public_office"})
_BY_LABEL = {label: code for code, label in REQUESTER_TYPES.items()} | {
    "国又は地方公共団体": "public_office", "弁護士": "lawyer", "世帯員": "household_member",
}

#: Items a 住民票記載事項証明書 may certify (氏名 is always printed).
KISAI_ITEMS = {
    "birth_date": "生年月日",
    "sex": "性別",
    "became_resident_on": "住民となった年月日",
    "address": "住所",
    "address_fixed_on": "住所を定めた年月日",
    "todoke_date": "届出年月日",
    "previous_address": "前住所",
}

RequesterType = Literal["self", "household_member", "agent", "third_party", "lawyer", "public_office"]
KisaiItem = Literal["birth_date", "sex", "became_resident_on", "address", "address_fixed_on", "todoke_date",
                    "previous_address"]


class CertificateRequest(BaseModel):
    """交付請求. Items beyond the basic ones are printed only when asked for."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["juminhyo", "joshu", "kisai_jiko"] = Field(
        "juminhyo", description="juminhyo=住民票の写し / joshu=住民票の除票の写し / kisai_jiko=住民票記載事項証明書")
    form: Literal["setai", "kojin"] | None = Field(
        None, description="setai=世帯連記式 / kojin=個人票（既定：除票は個人票、それ以外は世帯連記式）")
    atena_no: f.ATENA_NO.type | None = Field(None, description="宛名番号（この方の住民票。setai_no とどちらか一方）")
    setai_no: f.SETAI_NO.type | None = Field(None, description="世帯番号（この世帯の住民票。atena_no とどちらか一方）")
    members: list[f.ATENA_NO.type] | Literal["all"] | None = Field(
        None, description="記載する方：all＝世帯全員、または宛名番号の一覧（既定：atena_no ならその方、setai_no なら全員）")
    with_history: bool = Field(False, description="異動の履歴を記載する")
    include_head_and_relationship: bool = Field(False, description="世帯主の氏名と続柄を記載する")
    include_honseki: bool = Field(False, description="本籍・筆頭者を記載する")
    include_juminhyo_code: bool = Field(False, description="住民票コードを記載する（権限が必要。本人等の請求のみ）")
    include_my_number: bool = Field(False, description="個人番号を記載する（権限が必要。本人等の請求のみ）")
    items: list[KisaiItem] | None = Field(None, description="記載事項証明書で証明する事項（氏名は常に記載）")
    requester_type: RequesterType = Field(
        description="請求者：self=本人 / household_member=同一世帯員 / agent=代理人 / third_party=第三者 / "
                    "lawyer=弁護士等 / public_office=国・地方公共団体（日本語の表示名も可）。既定値はありません："
                    "本人か第三者かで支援措置の確認と記載できる事項が変わるため")
    requester_name: f.REQUESTER_NAME.type = Field(min_length=1, description="請求者の氏名・名称（交付履歴にのみ記録）")
    purpose: f.PURPOSE.type | None = Field(None, description="請求の目的（第三者の請求では必須）")
    copies: int = Field(1, ge=1, le=20, description="通数（手数料＝1通の手数料×通数）")
    identity_checked: bool = Field(
        False, description="請求者がその方ご本人であることを本人確認書類（運転免許証など）で確認した。"
                           "支援措置の対象の方の本人からの請求では必須（確認しないと拒否）")

    @field_validator("requester_type", mode="before")
    @classmethod
    def _japanese_label(cls, value: object) -> object:
        return _BY_LABEL.get(value, value) if isinstance(value, str) else value

    @field_validator("requester_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("請求者の氏名・名称を入力してください")
        return value

    @property
    def is_third_party(self) -> bool:
        return self.requester_type in THIRD_PARTY_TYPES

    @property
    def resolved_form(self) -> str:
        return self.form or ("kojin" if self.kind == "joshu" else "setai")

    def options(self) -> dict:
        """The printing options as recorded in the 交付履歴 and the audit entry."""
        return {
            "with_history": self.with_history,
            "include_head_and_relationship": self.include_head_and_relationship,
            "include_honseki": self.include_honseki,
            "include_juminhyo_code": self.include_juminhyo_code,
            "include_my_number": self.include_my_number,
            "items": list(self.items) if self.items is not None else None,
        }


@dataclass(frozen=True)
class IssuedCertificate:
    issue_no: str  # 発行番号
    title: str
    pdf: bytes
    sha256: str
    pages: int
    copies: int
    fee: int  # 円（1通の手数料×通数）
    issued_at: datetime  # UTC
    atena_nos: tuple[str, ...]


class IssuanceView(BaseModel):
    """One line of a resident's 交付履歴 (for staff)."""

    issue_no: str
    kind: str
    title: str
    form: str
    atena_nos: list[str]
    requester_type: str
    requester_type_label: str
    requester_name: str
    purpose: str | None
    options: dict
    copies: int
    fee: int
    issued_by: str
    issued_at: datetime
