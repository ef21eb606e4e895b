"""Shapes of the certificate use cases: the request, the issued certificate, the 交付履歴 view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    fee_exemption: f.FEE_EXEMPTION.type | None = Field(
        None, description="手数料を免除する理由のコード（パラメータ registry.certificate.fee_exemptions。"
                          "例：public_use＝公用、public_assistance＝生活保護）。指定すると手数料は0円で、理由を交付履歴に記録")
    identity_document: f.IDENTITY_DOCUMENT.type | None = Field(
        None, description="請求者の本人確認に用いた書類の種類のコード（パラメータ registry.certificate.identity_documents。"
                          "例：my_number_card、driver_license）。書類の番号は受け付けず、記録しません。"
                          "指定すると identity_checked も true になります")
    identity_checked: bool = Field(
        False, description="請求者がその方ご本人であることを本人確認書類（運転免許証など）で確認した。"
                           "支援措置の対象の方の本人からの請求では必須（確認しないと拒否）")

    @field_validator("fee_exemption", "identity_document", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _document_means_checked(self) -> CertificateRequest:
        if self.identity_document is not None:
            self.identity_checked = True
        return self

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
    unit_fee: int = Field(description="1通の手数料（円、交付日に定めのあった額）")
    fee: int = Field(description="手数料（円）＝1通の手数料×通数。免除のときは0")
    fee_exemption: str | None = Field(None, description="免除の理由のコード")
    fee_exemption_label: str | None = None
    identity_document: str | None = Field(None, description="本人確認書類の種類のコード（番号は記録しません）")
    identity_document_label: str | None = None
    receipt_no: str | None = Field(None, description="領収書の発行番号（発行したとき）")
    issued_by: str
    issued_at: datetime


class CertificateQuote(BaseModel):
    """The confirmation's answer (a dry run): what would be issued and the fee, nothing written."""

    title: str
    atena_nos: list[str]
    copies: int
    unit_fee: int
    fee: int
    fee_exemption: str | None = None
    fee_exemption_label: str | None = None
    identity_document: str | None = None
    identity_document_label: str | None = None


class JournalLine(BaseModel):
    """日計表: one kind of document issued for a fee — a registry certificate or another fee
    source's (印鑑登録証明書 …, ``kernel.fees``)."""

    kind: str
    title: str
    count: int = Field(description="件数（発行番号の数）")
    copies: int = Field(description="通数")
    charged_copies: int = Field(description="手数料を受けた通数")
    fee: int = Field(description="手数料（円）")
    exempt_copies: int = Field(description="免除した通数")


class DayIssuances(BaseModel):
    """The 交付履歴 of one day (JST), oldest first, and the fees taken that day — the other
    fee sources' (印鑑登録証明書 …, ``kernel.fees``) as lines by kind, counted in ``takings``."""

    day: date
    issuances: list[IssuanceView]
    other_fees: list[JournalLine] = Field(
        default_factory=list, description="ほかの業務で同じ窓口が受けた手数料（印鑑登録証明書など、種類ごとの集計）")
    takings: int = Field(description="その日の手数料の合計（円）＝証明書の手数料＋other_fees の手数料（窓口の収納額）")


class ExemptionLine(BaseModel):
    """日計表: one 免除 reason."""

    reason: str
    label: str
    count: int
    copies: int
    waived: int = Field(description="免除した額（円）＝1通の手数料×通数")


class Journal(BaseModel):
    """証明書交付の日計表 (the day's totals for the 手数料 reconciliation; no personal data)."""

    day: date
    lines: list[JournalLine]
    exemptions: list[ExemptionLine]
    count: int
    copies: int
    fee: int = Field(description="手数料の合計（円）＝その日の収納額")
    exempt_count: int
    exempt_copies: int
    waived: int
    receipts: int = Field(description="領収書を発行した件数")


class DocumentState(BaseModel):
    """A document in the register (発行台帳) and how often ``/verify`` confirmed it — no personal data."""

    issue_no: str
    kind: str
    title: str
    issued_at: datetime
    issued_by: str
    pages: int
    sha256: str
    has_code: bool = Field(description="確認コードを印刷した（/verify で発行番号と確認コードにより確認できる）")
    confirmed: int = Field(description="確認コードで確認された回数（ファイルの照合なし）")
    matched: int = Field(description="同じファイルであると照合された回数")
    mismatched: int = Field(description="違うファイルが示された回数（改ざん・偽造の疑い）")
    refused: int = Field(description="確認コードが違う・ない照会の回数")
    last_verified_at: datetime | None = None


class IssuanceStatusView(BaseModel):
    """One 交付履歴 row with the state of its PDF and of its 領収書."""

    issuance: IssuanceView
    document: DocumentState
    receipt: DocumentState | None = None
